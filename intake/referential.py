"""Search in the referential of collectivités, for the form's combobox and for a name typed
without JavaScript.

A query is first read for what it says besides the name: a municipal arrondissement of Paris,
Lyon or Marseille ("Paris 15e", "Lyon IIIe", "mairie du 13e arrondissement de Marseille"),
which designates it; the kind of body ("mairie de", "CC", "CD", "conseil départemental du"…),
which ranks that kind first; a postcode; a département code ("CD93" too); a département or
région named beside the name ("Fresnes Val-de-Marne"), which narrows the search.
The remaining words must each appear in the normalised name (`intake.text`) or in another name
of the collectivité (a former commune merged into it; its short name, whole only:
`CollectiviteAlias`, read from the collectivité's `other_names` and `short_names` in the same
query). The matches are ranked by how likely they are meant: the population times a weight of
how well the name matches (`MATCH_WEIGHTS`): the exact name; ten times less, the core name
(without legal form or article), a name starting with the query's words or a former commune's
name; ten times less again, a name starting with the query cut inside a word; ten times less
again, a core name or a later word starting with it; then the rest. So "Villeneuve" is
Villeneuve-d'Ascq (62,868 inhabitants) before the village Villeneuve (4,360), but "Fresnes" is
Fresnes (94) before Fresnes-sur-Marne. When no current name matches, the core names sharing
the most trigrams with the query are offered too (alone when no other name matches either),
which tolerates typos on SQLite and PostgreSQL alike, from a table of the database
(`CollectiviteTrigram`).
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import BigIntegerField, Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Coalesce

from .models import (
    ARRONDISSEMENT,
    Collectivite,
    CollectiviteAlias,
    CollectiviteKind,
    CollectiviteTrigram,
)
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
# A guess this similar is a near miss of a current name, as good a clue as a former name.
NEAR_MISS = Fraction(1, 2)
# How likely a collectivité is meant, for each population, by how well its name matches the
# query: people write a name whole, or shorten it by its last words ("Saint-Maur" for
# Saint-Maur-des-Fossés, ten times less often); a word cut short ("Bourg" of Bourges) is a name
# being typed, ten times less likely again; seldom do they name it by a later word only. A
# former commune's name counts as a start of the current name: the commune nouvelle's
# population overstates the former commune's ("Saint-Sauveur" is no Bressuire).
MATCH_WEIGHTS = {"exact": 10_000, "start": 1_000, "prefix": 100, "word": 10, "elsewhere": 1}
# The arrondissements of each city, by number: Paris 75101–75120, Lyon 69381–69389,
# Marseille 13201–13216. "Paris Centre" is the mairie of the first four since 2020.
ARRONDISSEMENTS = {
    "paris": (20, "751{:02d}"),
    "lyon": (9, "6938{:d}"),
    "marseille": (16, "132{:02d}"),
}
PARIS_CENTRE = (1, 2, 3, 4)

_POSTCODE = re.compile(r"^\d{5}$")
# "CD93", "CG2A": a département's council and its code in one word.
_COUNCIL_AND_CODE = re.compile(r"^(cd|cg)(\d{2,3}|2a|2b)$")
# "15e", "1er", "3eme", "2nde", "XVe", "IIIeme": an ordinal number.
_ORDINAL = re.compile(r"^(\d{1,2}|[ivx]{1,5})(e|er|ere|eme|ieme|em|me|nd|nde)$")
_NUMBER = re.compile(r"^\d{1,2}$")
_ROMAN = re.compile(r"^[ivx]{1,5}$")
_ORDINAL_SUFFIXES = {"e", "er", "ere", "eme", "ieme"}
_ARRONDISSEMENT_WORDS = {"arrondissement", "arrondissements", "arr", "arrt", "ardt", "arrdt"}
# What may come with an arrondissement in a query, and says nothing more.
_ARRONDISSEMENT_FILLERS = ARTICLES | {"mairie", "ville", "et", "secteur"}
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
        (("cd",), (CollectiviteKind.DEPARTEMENT,)),
        (("cg",), (CollectiviteKind.DEPARTEMENT,)),
        (("cr",), (CollectiviteKind.REGION,)),
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
    ARRONDISSEMENT,
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
    designated: Collectivite | None = None


def _kind_phrase(tokens, index):
    for phrase, kinds in _KIND_PHRASES:
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return len(phrase), kinds
    return 0, ()


def _tokens(text):
    tokens = []
    for token in normalise(str(text)[:MAX_QUERY_LENGTH]).split():
        council = _COUNCIL_AND_CODE.match(token)
        tokens.extend(council.groups() if council else [token])
    return tokens[:MAX_TOKENS]


def _roman(text):
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for index, letter in enumerate(text):
        value = values[letter]
        following = values[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _number(text):
    return int(text) if text.isdigit() else _roman(text)


def _arrondissement_codes(tokens):
    """The codes of the arrondissements that the query names, in its order, or []: an ordinal
    ("15e", "XVe") or a number after the city ("Paris 15"), with the city or the word
    "arrondissement" or "mairie", and nothing else than such words."""
    cities = [token for token in tokens if token in ARRONDISSEMENTS]
    numbers, marked = [], False
    for index, token in enumerate(tokens):
        ordinal = _ORDINAL.match(token)
        follows_city = index > 0 and tokens[index - 1] in ARRONDISSEMENTS
        followed_by_suffix = index + 1 < len(tokens) and tokens[index + 1] in _ORDINAL_SUFFIXES
        if ordinal:
            numbers.append(_number(ordinal.group(1)))
            marked = True
        elif _NUMBER.match(token) and (follows_city or followed_by_suffix or numbers):
            numbers.append(int(token))
            marked = marked or followed_by_suffix
        elif _ROMAN.match(token) and follows_city:
            numbers.append(_roman(token))
        elif token == "centre" and tokens[index - 1 : index] == ["paris"]:
            numbers.extend(PARIS_CENTRE)
        elif token in _ARRONDISSEMENT_WORDS:
            marked = True
        elif token not in ARRONDISSEMENTS and token not in _ARRONDISSEMENT_FILLERS | (
            _ORDINAL_SUFFIXES
        ):
            return []
    if not numbers or len(set(cities)) > 1 or not (cities or marked):
        return []
    codes = []
    for city in cities[:1] or ARRONDISSEMENTS:
        count, code = ARRONDISSEMENTS[city]
        codes.extend(code.format(number) for number in numbers if 1 <= number <= count)
    return codes


def _read(text):
    tokens = _tokens(text)
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


def _likelihood(query, name):
    """The population, times the weight of how well the name, or another name, matches (when
    there is a name to match)."""
    population = Cast(Coalesce(F("population"), 0), BigIntegerField()) + 1
    if not name:
        return population
    weight = MATCH_WEIGHTS
    # A kind of body alone starts a name being typed ("ca" of Calvados), not a name of that
    # kind ("CA Roissy Pays de France"), which the next reading lists.
    boundary = f"{name} " if query.words else name
    match = Case(
        When(Q(search_name=name) | _short_name(query, name), then=Value(weight["exact"])),
        # "havre" is Le Havre as much as "saint" starts Saint-Denis: population decides.
        When(
            Q(core_name=name)
            | Q(search_name__startswith=boundary)
            | Q(other_names__contains=f"|{name}|")
            | Q(other_names__contains=f"|{boundary}"),
            then=Value(weight["start"]),
        ),
        When(
            Q(search_name__startswith=name) | Q(other_names__contains=f"|{name}"),
            then=Value(weight["prefix"]),
        ),
        When(
            Q(core_name__startswith=name)
            | Q(search_name__contains=f" {name}")
            | Q(other_names__contains=f" {name}"),
            then=Value(weight["word"]),
        ),
        default=Value(weight["elsewhere"]),
        output_field=BigIntegerField(),
    )
    return match * population


def _short_name(query, name):
    """A short name is matched whole, with or without the legal form: "Grand Lyon Métropole"."""
    names = dict.fromkeys([name, core_name(name), query.typed])
    return Q(*(Q(short_names__contains=f"|{short}|") for short in names), _connector=Q.OR)


def _ranked(queryset, query, reading):
    """Every word of the reading in the name or in another name; the likeliest first."""
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
    annotations["likelihood"] = _likelihood(query, name)
    order.append("-likelihood")
    if name:
        queryset = queryset.filter(
            _containing("search_name", reading.words)
            | _containing("other_names", reading.words)
            | _short_name(query, name)
        )
    return queryset.annotate(kind_rank=_KIND_RANK, **annotations).order_by(
        *order, "kind_rank", "name", "pk"
    )


def _containing(field, words):
    return Q(*(Q(**{f"{field}__contains": word}) for word in dict.fromkeys(words)))


def _matches(query, reading, limit):
    """The collectivités whose name holds every word of the reading, or whose former commune's
    name does, or whose short name is the reading's; each found by another name that matches
    better than its own says which."""
    results = list(_ranked(_filtered(query, reading), query, reading)[:limit])
    if not reading.words:
        return results
    name = " ".join(reading.words)
    exact = MATCH_WEIGHTS["exact"]
    others = {
        c.pk: c
        for c in results
        if (c.other_names or c.short_names) and _weight(c, query, name) < exact
    }
    if not others:
        return results  # none that another name could match better than its own
    aliases = sorted(
        CollectiviteAlias.objects.filter(collectivite__in=list(others)),
        key=lambda alias: (-_weight(alias, query, name), alias.name),
    )
    for alias in aliases:
        collectivite = others[alias.collectivite_id]
        better = _weight(alias, query, name) > _weight(collectivite, query, name)
        if collectivite.matched_alias is None and better:
            collectivite.matched_alias = alias
    return results


def _name_rank(found, query, name):
    """How well a name matches, as `_likelihood` weighs it: the key of MATCH_WEIGHTS, or None
    when not every word of the query is in it (or a short name is not whole)."""
    search_name = found.search_name
    alias = isinstance(found, CollectiviteAlias)
    if alias and found.kind == CollectiviteAlias.Kind.SHORT:
        return "exact" if search_name in {name, core_name(name), query.typed} else None
    if not all(word in search_name for word in name.split()):
        return None
    core = search_name if alias else found.core_name
    if search_name == name:
        return "start" if alias else "exact"
    if core == name or search_name.startswith(f"{name} "):
        return "start"
    if search_name.startswith(name):
        return "prefix"
    if core.startswith(name) or f" {name}" in search_name:
        return "word"
    return "elsewhere"


def _weight(found, query, name):
    return MATCH_WEIGHTS.get(_name_rank(found, query, name), 0)


def _by_similarity(queryset, reading, limit):
    """The names closest to the reading's, allowing for typos; the likeliest first."""
    typed = core_name(" ".join(reading.words))
    if len(typed.replace(" ", "")) < TYPO_MIN_LETTERS:
        return []
    grams = trigrams(typed)
    words = [trigrams(word) for word in typed.split() if len(word) >= TYPO_WORD_LETTERS]
    shared = CollectiviteTrigram.objects.similar_to(grams, TYPO_THRESHOLD)
    ranked, similarities = [], {}
    for pk, core, count, population, kind, name in queryset.filter(pk__in=list(shared)).values_list(
        "pk", "core_name", "trigram_count", "population", "kind", "name"
    ):
        own = trigrams(core)
        # Each word typed must have something of the name: "Zzzqqq-sur-Mer" is no Fos-sur-Mer.
        if all(word & own for word in words):
            similarity = similarities[pk] = shared[pk] / (len(grams) + count - shared[pk])
            population = population or 0
            score = similarity + POPULATION_WEIGHT * math.log10(1 + population)
            preferred = not reading.kinds or kind in reading.kinds
            ranked.append((not preferred, -score, -population, _KIND_ORDER.index(kind), name, pk))
    best = sorted(ranked)[:limit]
    found = queryset.in_bulk([key[-1] for key in best]) if best else {}
    for pk, similarity in similarities.items():
        if pk in found:
            found[pk].similarity = similarity
    return [found[key[-1]] for key in best]


def _arrondissements(query, codes, limit):
    """The arrondissements named, the most populous first, then their city."""
    arrondissements = list(
        Collectivite.objects.filter(kind=ARRONDISSEMENT, code__in=codes)
        .select_related("commune")
        .order_by(F("population").desc(nulls_last=True), "code")
    )
    cities = [a.commune for a in arrondissements if a.commune_id]
    results = list({c.pk: c for c in [*arrondissements, *cities]}.values())[:limit]
    designated = arrondissements[0] if len(arrondissements) == 1 else None
    return _Found(query, _Reading(()), results, designated=designated)


def _search(text, limit):
    arrondissements = _arrondissement_codes(_tokens(text))
    query = _read(text)
    if arrondissements:
        return _arrondissements(query, arrondissements, limit)
    if not (query.name or query.postcode or query.code):
        return _Found(query, _Reading(()), [])
    if query.postcode:
        limit = max(limit, POSTCODE_COMMUNES)
    readings = _readings(query)
    other_names = []
    for reading in readings:
        results = _matches(query, reading, limit)
        if any(result.matched_alias is None for result in results):
            return _Found(query, reading, results)
        other_names = other_names or results
    first = readings[0]
    guesses = _by_similarity(_filtered(query, first), first, limit) if first.words else []
    if not other_names:
        return _Found(query, first, guesses, tolerant=True)
    # A former commune's name is as good a clue as a near miss of a current name, and the
    # population decides between them: "Frenes" is Fresnes (94, 29,528 inhabitants) before
    # Tinchebray-Bocage (4,813), which Frênes joined; "Saint-Macaire-en-Mauges" is Sèvremoine
    # before Saint-Macaire (1,981). Farther guesses come after.
    near = [c for c in guesses if c.similarity >= NEAR_MISS]
    far = [c for c in guesses if c.similarity < NEAR_MISS]
    clues = sorted([*other_names, *near], key=lambda c: -(c.population or 0))
    results = list({c.pk: c for c in [*clues, *far]}.values())[:limit]
    tolerant = results[0].matched_alias is None
    return _Found(query, first, results, tolerant=tolerant)


def search_collectivites(query, limit=10):
    """The collectivités matching `query`, best first (see the module's docstring); every
    commune of a postcode, even beyond `limit`."""
    return _search(query, limit).results


def resolve_collectivite(text):
    """Match a collectivité typed without the combobox: `(match, candidates)`.

    `match` is set when the text designates one collectivité (a single exact name that comes
    first, an arrondissement, or a single result); otherwise `candidates` lists the best few
    to choose from (empty when nothing matches). A guess made despite a typo is always
    offered, never taken.
    """
    found = _search(text, RESOLVE_CANDIDATES)
    if found.designated:
        return found.designated, []
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
            # The only one of its name designates unless likelier ones come first: "Évry" may
            # be Évry-Courcouronnes as much as the village Évry.
            designates = len(tier) == 1 and tier[0] is found.results[0]
            return (tier[0], []) if designates else (None, found.results)
    if len(found.results) == 1:
        return found.results[0], []
    return None, found.results
