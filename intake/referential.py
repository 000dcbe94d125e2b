"""Search in the referential of collectivités, for the form's combobox and for a name typed
without JavaScript.

A query is first read for what it says besides the name: the kind of body ("mairie de", "CC",
"conseil départemental du"…), which ranks that kind first; a postcode; a département code; a
département or région named beside the name ("Fresnes Val-de-Marne"), which narrows the search.
The remaining words must each appear in the normalised name (`intake.text`); the matches are
ranked: the exact name; then the core name (without legal form or article) or a name starting
with the query; then a core name starting with it; then the query starting a later word; then
the rest; within each, the larger population first. When nothing matches, the core names
sharing the most trigrams with the query are offered instead, which tolerates typos on SQLite
and PostgreSQL alike, from a table of the database (`CollectiviteTrigram`).
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Case, F, IntegerField, Q, Value, When

from .models import Collectivite, CollectiviteKind, CollectiviteTrigram
from .text import ARTICLES, core_name, normalise, trigrams

__all__ = ["resolve_collectivite", "search_collectivites"]

MAX_QUERY_LENGTH = 100
MAX_TOKENS = 8
RESOLVE_CANDIDATES = 8
# A postcode lists all of its communes: the largest one (51300) covers 46.
POSTCODE_COMMUNES = 50
# pg_trgm's default similarity threshold: trigrams in common over trigrams of either, counted
# on the core name, which people type, over the whole name, so that "Strasbourh" finds
# Strasbourg before the Eurométropole de Strasbourg.
TYPO_THRESHOLD = Fraction(3, 10)
# Shorter names share too few trigrams with anything for a guess to be useful.
TYPO_MIN_LETTERS = 4
# Shorter words ("de", "la") need not be found in a guess.
TYPO_WORD_LETTERS = 3
# What a tenfold population adds to the trigram similarity of a guess: "Fresnse" is more
# likely Fresnes (29,528 inhabitants, similarity 0.45) than Fresse (687, similarity 0.5).
POPULATION_WEIGHT = 0.05

_POSTCODE = re.compile(r"^\d{5}$")
# Codes of the départements and of the overseas collectivities that have communes; "20"
# stands for Corsica as a whole. A number outside this list ("800") stays part of the name.
_DEPARTEMENT_CODE = re.compile(r"^(?:0[1-9]|1\d|2[0-9ab]|[3-8]\d|9[0-5]|97[1-8]|98[678])$")
_COMMUNE = (CollectiviteKind.COMMUNE,)
_EPCI = (CollectiviteKind.EPCI,)
_TERRITORIAL = (CollectiviteKind.OUTRE_MER, CollectiviteKind.REGION, CollectiviteKind.DEPARTEMENT)
# Words that name the kind of body, normalised; the longest phrase wins.
_KIND_PHRASES = sorted(
    [
        (("commune",), _COMMUNE),
        (("ville",), _COMMUNE),
        (("mairie",), _COMMUNE),
        (("municipalite",), _COMMUNE),
        (("hotel", "de", "ville"), _COMMUNE),
        (("communaute", "de", "communes"), _EPCI),
        (("communaute", "de", "commune"), _EPCI),
        (("communaute", "d", "agglomeration"), _EPCI),
        (("communaute", "urbaine"), _EPCI),
        (("communaute",), _EPCI),
        (("com", "com"), _EPCI),
        (("comcom",), _EPCI),
        (("cc",), _EPCI),
        (("cdc",), _EPCI),
        (("ca",), _EPCI),
        (("cu",), _EPCI),
        (("agglomeration",), _EPCI),
        (("agglo",), _EPCI),
        (("metropole",), _EPCI),
        (("eurometropole",), _EPCI),
        (("intercommunalite",), _EPCI),
        (("interco",), _EPCI),
        (("epci",), _EPCI),
        (("etablissement", "public", "territorial"), (CollectiviteKind.EPT,)),
        (("ept",), (CollectiviteKind.EPT,)),
        (("conseil", "departemental"), (CollectiviteKind.DEPARTEMENT,)),
        (("conseil", "general"), (CollectiviteKind.DEPARTEMENT,)),
        (("hotel", "du", "departement"), (CollectiviteKind.DEPARTEMENT,)),
        (("departement",), (CollectiviteKind.DEPARTEMENT,)),
        (("conseil", "regional"), (CollectiviteKind.REGION,)),
        (("hotel", "de", "region"), (CollectiviteKind.REGION,)),
        (("region",), (CollectiviteKind.REGION,)),
        (("collectivite", "d", "outre", "mer"), (CollectiviteKind.OUTRE_MER,)),
        (("collectivite", "territoriale"), _TERRITORIAL),
        (("collectivite",), _TERRITORIAL),
    ],
    key=lambda phrase: -len(phrase[0]),
)
# After one of them, a département is part of the name ("Villeneuve-sur-Lot") more often than
# where it lies.
_LINKS = ARTICLES | {"sur", "sous", "en", "et", "a", "au", "aux", "lez"}
# Among equally good matches of the same population, the more local body first.
_KIND_ORDER = [
    CollectiviteKind.COMMUNE,
    CollectiviteKind.OUTRE_MER,
    CollectiviteKind.DEPARTEMENT,
    CollectiviteKind.REGION,
    CollectiviteKind.EPCI,
    CollectiviteKind.EPT,
]


@dataclass(frozen=True)
class _Query:
    """What a query says: `typed` is all of it, normalised; `name` its words but the postcode
    and the département code; `words` the name without the kind of body."""

    typed: str
    name: tuple
    words: tuple
    kinds: tuple
    postcode: str
    code: str


@dataclass(frozen=True)
class _Reading:
    """One way to understand a query: the words of the name, where to look for them, which
    kinds of body come first."""

    words: tuple
    codes: tuple = ()
    territories: tuple = ()
    kinds: tuple = ()


@dataclass(frozen=True)
class _Found:
    """The results of a search, the reading that found them, and whether they are guesses."""

    query: _Query
    reading: _Reading
    results: list
    tolerant: bool = False


def _kind_phrase(tokens, index):
    for phrase, kinds in _KIND_PHRASES:
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return len(phrase), kinds
    return 0, ()


def _read(text):
    tokens = normalise(str(text)[:MAX_QUERY_LENGTH]).split()[:MAX_TOKENS]
    name, words, kinds, postcode, code = [], [], [], "", ""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        # Only before the name: after it, such words belong to it ("Plaine Commune").
        length, phrase_kinds = (0, ()) if words else _kind_phrase(tokens, index)
        if length:
            kinds.extend(phrase_kinds)
            end = index + length
            # "mairie de la …", "conseil départemental du …": the article goes with the kind.
            while end < len(tokens) and tokens[end] in ARTICLES:
                end += 1
            name.extend(tokens[index:end])
            index = end
            continue
        if _POSTCODE.match(token) and not postcode:
            postcode = token
        elif _DEPARTEMENT_CODE.match(token) and not code:
            code = token
        else:
            name.append(token)
            words.append(token)
        index += 1
    return _Query(
        " ".join(tokens),
        tuple(name),
        tuple(words),
        tuple(dict.fromkeys(kinds)),
        postcode,
        code,
    )


def _departement_codes(code):
    return ("2A", "2B") if code == "20" else (code.upper(),)


def _territory(words):
    """The longest run of `words` that names a département, a région or an overseas
    collectivity, leaving other words: `(start, end, territories)`, or None."""
    runs = {
        " ".join(words[start:end]): (start, end)
        for start in range(len(words))
        for end in range(start + 1, len(words) + 1)
        if end - start < len(words)
    }
    if not runs:
        return None
    found = defaultdict(list)
    for territory in (
        Collectivite.objects.territories()
        .named(list(runs))
        .only("kind", "code", "search_name", "core_name")
    ):
        for name in {territory.search_name, territory.core_name} & set(runs):
            found[name].append(territory)
    if not found:
        return None
    best = max(found, key=lambda name: (runs[name][1] - runs[name][0], runs[name][0]))
    return (*runs[best], tuple(found[best]))


def _readings(query):
    """The readings to try in turn, until one finds something."""
    codes = _departement_codes(query.code) if query.code else ()
    if query.kinds and not query.words:
        # Nothing but a kind ("ville", "ca", "région"): the start of a name ("Villeurbanne",
        # "Caen") before the list of that kind.
        return [_Reading(query.name, codes), _Reading((), codes, kinds=query.kinds)]
    literal = _Reading(query.words, codes, kinds=query.kinds)
    readings = [literal]
    territory = _territory(query.words)
    if territory:
        start, end, territories = territory
        before, after = query.words[:start], query.words[end:]
        linked = bool(before) and before[-1] in _LINKS
        narrowed = _Reading(
            (before[:-1] if linked else before) + after, codes, territories, query.kinds
        )
        readings = [literal, narrowed] if linked else [narrowed, literal]
    if query.code:
        # The number was part of the name after all ("CC Altitude 800" typed "altitude 80").
        readings.append(_Reading((*query.words, query.code), kinds=query.kinds))
    return readings


def _filtered(query, reading):
    queryset = Collectivite.objects.all()
    if query.postcode:
        queryset = queryset.with_postcode(query.postcode)
    if reading.codes:
        queryset = queryset.filter(departement_code__in=reading.codes)
    if reading.territories:
        queryset = queryset.in_territories(reading.territories)
    if reading.kinds and not reading.words:
        queryset = queryset.filter(kind__in=reading.kinds)
    return queryset


def _rank(*cases, default):
    return Case(*cases, default=Value(default), output_field=IntegerField())


_KIND_RANK = _rank(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(_KIND_ORDER)),
    default=len(_KIND_ORDER),
)


def _ranked(queryset, query, reading):
    """Every word of the reading in the name; the best matches first."""
    name = " ".join(reading.words)
    whole = " ".join(query.words)
    annotations, order = {}, []
    if query.typed != name:
        # What was read as a kind or a place may be part of the name ("Plaine Commune").
        annotations["typed_rank"] = _rank(
            When(search_name=query.typed, then=Value(0)),
            When(search_name__startswith=query.typed, then=Value(1)),
            default=2,
        )
        order.append("typed_rank")
    if reading.kinds:
        annotations["kind_preference"] = _rank(
            When(kind__in=reading.kinds, then=Value(0)), default=1
        )
        order.append("kind_preference")
    if whole != name:
        # So may what was read as a place: "Tarn Agout" is no "Agout" in the Tarn.
        annotations["whole_rank"] = _rank(
            When(Q(search_name=whole) | Q(core_name=whole), then=Value(0)), default=1
        )
        order.append("whole_rank")
    if name:
        annotations["match_rank"] = _rank(
            When(search_name=name, then=Value(0)),
            # "havre" is Le Havre as much as "saint" starts Saint-Denis: population decides.
            When(Q(core_name=name) | Q(search_name__startswith=name), then=Value(1)),
            When(core_name__startswith=name, then=Value(2)),
            When(search_name__contains=f" {name}", then=Value(3)),
            default=4,
        )
        order.append("match_rank")
    return (
        queryset.containing(reading.words)
        .annotate(kind_rank=_KIND_RANK, **annotations)
        .order_by(*order, F("population").desc(nulls_last=True), "kind_rank", "name", "pk")
    )


def _by_similarity(queryset, reading, limit):
    """The names closest to the reading's, allowing for typos; the likeliest first."""
    typed = core_name(" ".join(reading.words))
    if len(typed.replace(" ", "")) < TYPO_MIN_LETTERS:
        return []
    grams = trigrams(typed)
    words = [trigrams(word) for word in typed.split() if len(word) >= TYPO_WORD_LETTERS]
    shared = CollectiviteTrigram.objects.similar_to(grams, TYPO_THRESHOLD)
    ranked = []
    for pk, core, count, population, kind, name in queryset.filter(pk__in=list(shared)).values_list(
        "pk", "core_name", "trigram_count", "population", "kind", "name"
    ):
        own = trigrams(core)
        # Each word typed must have something of the name: "Zzzqqq-sur-Mer" is no Fos-sur-Mer.
        if all(word & own for word in words):
            similarity = shared[pk] / (len(grams) + count - shared[pk])
            population = population or 0
            score = similarity + POPULATION_WEIGHT * math.log10(1 + population)
            preferred = not reading.kinds or kind in reading.kinds
            ranked.append((not preferred, -score, -population, _KIND_ORDER.index(kind), name, pk))
    best = [key[-1] for key in sorted(ranked)[:limit]]
    found = queryset.in_bulk(best) if best else {}
    return [found[pk] for pk in best]


def _search(text, limit):
    query = _read(text)
    if not (query.name or query.postcode or query.code):
        return _Found(query, _Reading(()), [])
    if query.postcode:
        limit = max(limit, POSTCODE_COMMUNES)
    readings = _readings(query)
    for reading in readings:
        results = list(_ranked(_filtered(query, reading), query, reading)[:limit])
        if results:
            return _Found(query, reading, results)
    first = readings[0]
    results = _by_similarity(_filtered(query, first), first, limit) if first.words else []
    return _Found(query, first, results, tolerant=True)


def search_collectivites(query, limit=10):
    """The collectivités matching `query`, best first (see the module's docstring); every
    commune of a postcode, even beyond `limit`."""
    return _search(query, limit).results


def resolve_collectivite(text):
    """Match a collectivité typed without the combobox: `(match, candidates)`.

    `match` is set when the text designates one collectivité (a single exact name, or a
    single result); otherwise `candidates` lists the best few to choose from (empty when
    nothing matches). A guess made despite a typo is always offered, never taken.
    """
    found = _search(text, RESOLVE_CANDIDATES)
    if found.tolerant:
        return None, found.results
    kinds = found.reading.kinds
    preferred = [c for c in found.results if not kinds or c.kind in kinds]
    whole, name = " ".join(found.query.words), " ".join(found.reading.words)
    names = [n for n in dict.fromkeys((whole, name)) if n]
    tiers = [[c for c in found.results if c.search_name == found.query.typed]]
    tiers += [[c for c in preferred if c.search_name == n] for n in names]
    if kinds or whole != name:
        # A core name alone ("Le Saint" for "saint") designates only when the query said more
        # than a name: a kind ("communauté de communes Tarn-Agout"), or a place it was not.
        tiers += [[c for c in preferred if c.core_name == n] for n in names]
    for tier in tiers:
        if tier:
            return (tier[0], []) if len(tier) == 1 else (None, found.results)
    if len(found.results) == 1:
        return found.results[0], []
    return None, found.results
