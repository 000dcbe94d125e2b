"""Print the load time of the referential of collectivités, how often its search finds what
was meant, and its latency.

Runs against a throw-away test database (SQLite by default, DATABASE_URL otherwise): the full
load into an empty table, a second (idempotent) load; then the share of queries whose intended
collectivité comes first and in the top 5, for the two sets of real-world queries of
tests/intake/referential_queries.py and for queries drawn from the referential with a fixed
seed (names as typed, with a département, a postcode, a typo…); then the latency of
`search_collectivites` and of the JSON endpoint over all of them and over prefixes typed as in
the combobox. Figures only: nothing here is asserted.
"""

import os
import random
import statistics
import sys
import time
import unicodedata
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from intake.models import Collectivite, CollectiviteKind, CollectiviteTrigram  # noqa: E402
from intake.referential import search_collectivites  # noqa: E402
from intake.text import normalise  # noqa: E402
from tests.intake.referential_queries import (  # noqa: E402
    FORMER_AND_SHORT_NAMES,
    FORMER_AND_SHORT_NAMES_TOP_5,
    QUERIES,
)

REPEAT = 3
SEED = 20260
DRAWN = 40  # queries drawn per kind of query
PREFIXES = 200
ACCURACY_ROW = "{:<40}{:>8}{:>10}{:>10}"
LATENCY_ROW = "{:<30}{:>10}{:>10}{:>10}"


def without_accents(text):
    text = unicodedata.normalize("NFKD", text)
    return "".join(char for char in text if not unicodedata.combining(char))


def typo(name, rng):
    """One slip of the keyboard in the longest word: two letters swapped, one left out or
    one doubled, never the first letter."""
    words = name.split("-") if "-" in name else name.split()
    longest = max(range(len(words)), key=lambda index: len(words[index]))
    word = words[longest]
    position = rng.randrange(1, len(word) - 1)
    slip = rng.choice(["swap", "drop", "double"])
    if slip == "swap":
        word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    elif slip == "drop":
        word = word[:position] + word[position + 1 :]
    else:
        word = word[:position] + word[position] + word[position:]
    words[longest] = word
    return " ".join(words)


# How people type a commune, and an EPCI, drawn from its row of the referential.
COMMUNE_QUERIES = {
    "nom exact": lambda row, rng: row["name"],
    "minuscules sans accents": lambda row, rng: without_accents(row["name"]).lower(),
    "nom + code du département": lambda row, rng: f"{row['name']} {row['departement_code']}",
    "nom + nom du département": lambda row, rng: f"{row['name']} {row['departement_name']}",
    "mairie de + nom": lambda row, rng: f"Mairie de {row['name']}",
    "code postal": lambda row, rng: rng.choice(row["postcodes"].split()),
    "faute de frappe": lambda row, rng: typo(row["name"], rng),
}
EPCI_QUERIES = {
    "EPCI sans forme juridique": lambda row, rng: row["core_name"],
    "communauté de communes + nom": lambda row, rng: f"Communauté de communes {row['core_name']}",
}


def drawn_queries(rng):
    """{kind of query: [(query, (kind, code))]}, drawn from the loaded referential."""
    communes = list(
        Collectivite.objects.filter(kind=CollectiviteKind.COMMUNE, population__gte=2000)
        .order_by("code")
        .values("kind", "code", "name", "departement_code", "departement_name", "postcodes")
    )
    groups = list(
        Collectivite.objects.filter(kind=CollectiviteKind.EPCI)
        .order_by("code")
        .values("kind", "code", "core_name")
    )
    drawn = {}
    for rows, queries in [(communes, COMMUNE_QUERIES), (groups, EPCI_QUERIES)]:
        for label, typed in queries.items():
            if label == "faute de frappe":
                rows = [row for row in rows if max(map(len, row["name"].split("-"))) >= 6]
            drawn[label] = [
                (typed(row, rng), (row["kind"], row["code"])) for row in rng.sample(rows, DRAWN)
            ]
    return drawn


def prefixes(rng):
    """Beginnings of names, as the combobox sends them while a name is typed."""
    names = list(Collectivite.objects.order_by("code").values_list("name", flat=True))
    typed = []
    for name in rng.sample(names, PREFIXES):
        text = normalise(name) if rng.random() < 0.5 else name.lower()
        typed.append(text[: rng.choice([2, 3, 4, 6, 8])])
    return typed


def accuracy(label, queries):
    first = top5 = 0
    for query, expected in queries:
        found = [(c.kind, c.code) for c in search_collectivites(query, limit=5)]
        first += found[:1] == [expected]
        top5 += expected in found
    count = len(queries)
    print(
        ACCURACY_ROW.format(
            label, count, f"{100 * first / count:.0f} %", f"{100 * top5 / count:.0f} %"
        )
    )


def timings(function, queries):
    for query in queries:  # warm the connection and the database's page cache
        function(query)
    measured = []
    for _ in range(REPEAT):
        for query in queries:
            start = time.perf_counter()
            function(query)
            measured.append((time.perf_counter() - start) * 1000)
    measured.sort()
    return (
        statistics.median(measured),
        measured[int(len(measured) * 0.95) - 1],
        measured[-1],
    )


def timed_load():
    start = time.perf_counter()
    call_command("load_collectivites", stdout=StringIO())
    return time.perf_counter() - start


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        first = timed_load()
        second = timed_load()
        print(
            f"database: {connection.vendor}; {Collectivite.objects.count()} collectivités, "
            f"{CollectiviteTrigram.objects.count()} trigrams"
        )
        print(f"full load into an empty table: {first:.1f} s")
        print(f"second load (nothing to change): {second:.1f} s")

        rng = random.Random(SEED)
        drawn = drawn_queries(rng)
        print()
        print(ACCURACY_ROW.format("queries", "count", "first", "top 5"))
        accuracy("real world, first set", QUERIES)
        accuracy("real world, second set", FORMER_AND_SHORT_NAMES)
        accuracy("second set, ambiguous (top 5 asserted)", FORMER_AND_SHORT_NAMES_TOP_5)
        for label, queries in drawn.items():
            accuracy(label, queries)
        accuracy("all drawn", [query for queries in drawn.values() for query in queries])

        typed = [query for query, _ in QUERIES + FORMER_AND_SHORT_NAMES]
        typed += [query for query, _ in FORMER_AND_SHORT_NAMES_TOP_5]
        typed += [query for queries in drawn.values() for query, _ in queries]
        typed += prefixes(rng)
        client = Client(HTTP_HOST="localhost")
        url = "/demande/collectivites/"
        print()
        print(f"{len(typed)} queries (the above and {PREFIXES} prefixes), each run {REPEAT} times")
        print(LATENCY_ROW.format("", "median ms", "p95 ms", "max ms"))
        for label, function in [
            ("search_collectivites()", search_collectivites),
            ("GET /demande/collectivites/", lambda query: client.get(url, {"q": query})),
        ]:
            median, p95, worst = timings(function, typed)
            print(LATENCY_ROW.format(label, f"{median:.1f}", f"{p95:.1f}", f"{worst:.1f}"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
