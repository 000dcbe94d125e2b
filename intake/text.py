"""The text of collectivité names as the search compares it: normalised words, the name without
its legal form or leading article, and its trigrams; and as a sentence says it, with its
article after a preposition ("du Gers", "de la CA du Pays de Gex").

Imports nothing from the project, so that the models and the search can both use it.
"""

import re
import unicodedata

__all__ = ["ARTICLES", "core_name", "name_type_of", "normalise", "trigrams", "with_article"]

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


# The INSEE's type of name (TNCC, "type de nom en clair"): 0 no article and "de", 1 no article
# and "d'", then the article the name takes: 2 le, 3 la, 4 les, 5 l', 6 aux, 7 las, 8 los.
NAME_ARTICLES = {2: "le", 3: "la", 4: "les", 5: "l'", 6: "aux", 7: "las", 8: "los"}
# What a preposition and an article become together; the others keep both ("de la", "à l'").
_CONTRACTIONS = {
    ("de", "le"): "du",
    ("de", "les"): "des",
    ("de", "aux"): "des",
    ("à", "le"): "au",
    ("à", "les"): "aux",
    ("à", "aux"): "aux",
}
_ELIDED = {"de": "d'"}
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")
# The words opening the name of a body that say its article: "la CA du Pays de Gex", "la
# Métropole du Grand Paris", "l'Eurométropole de Strasbourg", "le Syndicat mixte du Pays de
# Gex", "le PETR du Pays de Lunel".
_OPENING_WORDS = {
    **dict.fromkeys(["cc", "ca", "cu", "communaute", "metropole", "mairie", "ville"], 3),
    **dict.fromkeys(["commune", "region", "collectivite", "intercommunalite"], 3),
    **dict.fromkeys(["syndicat", "sivom", "sivu", "petr", "pays", "parc", "pole"], 2),
    **dict.fromkeys(["conseil", "departement", "district"], 2),
    **dict.fromkeys(["eurometropole", "etablissement", "agglomeration", "agglo"], 5),
}


def _embedded_article(name, article):
    """The rest of `name` when it opens with `article`, as a commune's name does ("Le Havre",
    "L'Haÿ-les-Roses"); None otherwise."""
    opening = name[: len(article) + 1].lower().replace("’", "'")
    if article.endswith("'"):
        return name[len(article) :] if opening[: len(article)] == article else None
    return name[len(article) + 1 :] if opening == f"{article} " else None


def with_article(name, name_type, preposition=""):
    """`name` as a sentence says it after `preposition` ("de", "à" or none), from its INSEE type
    of name: "Gers" (2) → "le Gers", "du Gers"; "Le Havre" (2) → "Le Havre", "du Havre"; "Les
    Ulis" (4) → "des Ulis"; "Orléans" (1) → "d'Orléans"; "Fresnes" (0) → "de Fresnes"."""
    article = NAME_ARTICLES.get(name_type)
    if article is None:
        if not preposition:
            return name
        if name_type == 1 and preposition in _ELIDED:
            return f"{_ELIDED[preposition]}{name}"
        return f"{preposition} {name}"
    rest = _embedded_article(name, article)
    if rest is None:
        rest, article_as_written = name, article
    else:
        article_as_written = name[: len(name) - len(rest)].rstrip()
    joined = _CONTRACTIONS.get((preposition, article))
    if joined:
        return f"{joined} {rest}"
    spoken = article_as_written if article.endswith("'") else f"{article_as_written} "
    phrase = f"{spoken}{rest}"
    return f"{preposition} {phrase}" if preposition else phrase


def name_type_of(name):
    """The type of name of a name that the INSEE does not give (a group of communes, a body
    typed outside the referential): its opening article, the article of its legal form, or
    none and "d'" before a vowel."""
    for name_type, article in NAME_ARTICLES.items():
        if _embedded_article(name, article) is not None:
            return name_type
    words = normalise(name).split()
    if words and words[0] in _OPENING_WORDS:
        return _OPENING_WORDS[words[0]]
    return 1 if name[:1].lower() in _VOWELS else 0
