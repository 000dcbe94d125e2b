"""The text of collectivité names as the search compares it: normalised words, the name without
its legal form or leading article, and its trigrams.

Imports nothing from the project, so that the models and the search can both use it.
"""

import re
import unicodedata

__all__ = ["ARTICLES", "core_name", "normalise", "trigrams"]

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
ARTICLES = frozenset({"l", "le", "la", "les", "d", "de", "du", "des"})
# The legal forms that open or close the names of groups of communes in the referential:
# "CC du Pays de Lunel", "CA Lorient Agglomération", "Bordeaux Métropole".
_LEADING_FORMS = [
    ("communaute", "de", "communes"),
    ("communaute", "d", "agglomeration"),
    ("communaute", "urbaine"),
    ("communaute",),
    ("cc",),
    ("ca",),
    ("cu",),
    ("metropole",),
    ("eurometropole",),
    ("agglomeration",),
    ("agglo",),
]
_TRAILING_FORMS = [("communaute",), ("metropole",), ("agglomeration",), ("agglo",)]


def normalise(text):
    """Lowercase ASCII words separated by single spaces: "Saint-Maur-des-Fossés" → "saint maur
    des fosses", "L'Haÿ-les-Roses" → "l hay les roses", "St-Ouen" → "saint ouen"."""
    text = unicodedata.normalize("NFKD", str(text).lower().translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = _NOT_ALPHANUMERIC.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def _stripped(words):
    """`words` without one legal form or article at either end, never all of them."""
    for form in _LEADING_FORMS:
        if len(words) > len(form) and tuple(words[: len(form)]) == form:
            return words[len(form) :]
    for form in _TRAILING_FORMS:
        if len(words) > len(form) and tuple(words[-len(form) :]) == form:
            return words[: -len(form)]
    if len(words) > 1 and words[0] in ARTICLES:
        return words[1:]
    if len(words) > 1 and words[-1] in ARTICLES:
        return words[:-1]
    return words


def core_name(search_name):
    """The distinctive part of a normalised name, what people type when they leave out the legal
    form or the article: "cc du pays de lunel" → "pays de lunel", "ca lorient agglomeration" →
    "lorient", "le havre" → "havre". Never empty when the name is not."""
    words = search_name.split()
    while (stripped := _stripped(words)) != words:
        words = stripped
    return " ".join(words)


def trigrams(text):
    """The trigrams of a normalised text, as PostgreSQL's pg_trgm counts them: each word padded
    with two spaces before and one after, "fresnes" → "  f", " fr", "fre", …, "es "."""
    grams = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return grams
