"""Search in the referential of collectivités.

The stored `Collectivite.search_name` is `normalise(name)` (`intake.text`); a query is
normalised the same way, so every comparison below is a plain, case-sensitive comparison of
ASCII text that the database can run on its index (prefix) or by a quick scan (substring) — on
SQLite and on PostgreSQL alike, without any extension.
"""

import re

from django.db.models import Case, F, IntegerField, Value, When

from intake.models import Collectivite, CollectiviteKind
from intake.text import normalise

__all__ = ["resolve_collectivite", "search_collectivites"]

MAX_QUERY_LENGTH = 100
MAX_TOKENS = 8
RESOLVE_CANDIDATES = 8

# Codes of the départements and of the overseas collectivities that have communes; "20"
# stands for Corsica as a whole. A number outside this list ("800") stays part of the name.
_DEPARTEMENT_CODE = re.compile(r"^(?:0[1-9]|1\d|2[0-9ab]|[3-8]\d|9[0-5]|97[1-8]|98[678])$")
_TRAILING_PARENTHESES = re.compile(r"^(?P<name>.*?)\s*\((?P<inside>[^()]*)\)\s*$")
# Among equally good matches of the same population, the more local body first.
_KIND_ORDER = [
    CollectiviteKind.COMMUNE,
    CollectiviteKind.OUTRE_MER,
    CollectiviteKind.DEPARTEMENT,
    CollectiviteKind.REGION,
    CollectiviteKind.EPCI,
    CollectiviteKind.EPT,
]


def _departement_codes(token):
    if token == "20":
        return ["2A", "2B"]
    return [token.upper()]


def _parse(text):
    """Split a query into its normalised name part and the département codes it names.

    A code among the words ("fresnes 94") filters on the département; so does a trailing
    parenthesis holding a département's name or code, which is how the combobox labels a
    commune ("Fresnes (Val-de-Marne)"), so that a label typed or posted back resolves.
    """
    text = str(text)[:MAX_QUERY_LENGTH]
    codes = []
    parentheses = _TRAILING_PARENTHESES.match(text)
    if parentheses:
        inside = normalise(parentheses["inside"])
        if _DEPARTEMENT_CODE.match(inside):
            codes = _departement_codes(inside)
        else:
            codes = list(
                Collectivite.objects.filter(
                    kind__in=[CollectiviteKind.DEPARTEMENT, CollectiviteKind.OUTRE_MER],
                    search_name=inside,
                ).values_list("code", flat=True)
            )
        if codes:
            text = parentheses["name"]
    words = []
    for word in normalise(text).split()[:MAX_TOKENS]:
        if _DEPARTEMENT_CODE.match(word) and not codes:
            codes = _departement_codes(word)
        else:
            words.append(word)
    return " ".join(words), codes


def _ranked(name, codes):
    queryset = Collectivite.objects.all()
    if codes:
        queryset = queryset.filter(departement_code__in=codes)
    for word in dict.fromkeys(name.split()):
        queryset = queryset.filter(search_name__contains=word)
    if name:
        match_rank = Case(
            When(search_name=name, then=Value(0)),
            When(search_name__startswith=name, then=Value(1)),
            When(search_name__contains=f" {name}", then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    else:
        match_rank = Value(3, output_field=IntegerField())
    kind_rank = Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(_KIND_ORDER)),
        default=Value(len(_KIND_ORDER)),
        output_field=IntegerField(),
    )
    return queryset.annotate(match_rank=match_rank, kind_rank=kind_rank).order_by(
        "match_rank", F("population").desc(nulls_last=True), "kind_rank", "name", "pk"
    )


def _search(text, limit):
    name, codes = _parse(text)
    if not name and not codes:
        return "", []
    results = list(_ranked(name, codes)[:limit])
    if not results and codes and not _TRAILING_PARENTHESES.match(str(text)):
        # The number was part of the name after all ("CC Val 81" typed as "val 81 cc").
        name = normalise(str(text)[:MAX_QUERY_LENGTH])
        results = list(_ranked(name, [])[:limit])
    return name, results


def search_collectivites(query, limit=10):
    """The collectivités matching every word of `query`, best first.

    Order: exact name, name starting with the query, query starting a later word of the
    name, any other match; then the larger population; then the more local kind.
    """
    return _search(query, limit)[1]


def resolve_collectivite(text):
    """Match a collectivité typed without the combobox: `(match, candidates)`.

    `match` is set when the text designates one collectivité (a single exact name, or a
    single result); otherwise `candidates` lists the best few to choose from (empty when
    nothing matches).
    """
    name, results = _search(text, RESOLVE_CANDIDATES)
    exact = [collectivite for collectivite in results if collectivite.search_name == name]
    if len(exact) == 1:
        return exact[0], []
    if len(results) == 1:
        return results[0], []
    return None, results
