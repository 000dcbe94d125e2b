"""The text of collectivité names as the search compares it.

Imports nothing from the project, so that the models and the search can both use it.
"""

import re
import unicodedata

__all__ = ["normalise"]

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalise(text):
    """Lowercase ASCII words separated by single spaces: "Saint-Maur-des-Fossés" → "saint maur
    des fosses", "L'Haÿ-les-Roses" → "l hay les roses", "St-Ouen" → "saint ouen"."""
    text = unicodedata.normalize("NFKD", str(text).lower().translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = _NOT_ALPHANUMERIC.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
