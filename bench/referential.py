"""Print the load time of the referential of collectivités and the latency of its search.

Runs against a throw-away test database (SQLite by default, DATABASE_URL otherwise): the
full load into an empty table, a second (idempotent) load, then about 200 realistic queries
— names typed in full or in part, without accents, with a département code, EPCI names
without their legal form — through `search_collectivites` and through the JSON endpoint.
Figures only: nothing here is asserted.
"""

import os
import random
import statistics
import sys
import time
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

from intake.models import Collectivite, CollectiviteKind  # noqa: E402
from intake.referential import search_collectivites  # noqa: E402
from intake.text import normalise  # noqa: E402

REPEAT = 3
FIXED_QUERIES = [
    "fresnes 94",
    "tarn agout",
    "nouvelle caledonie",
    "paris",
    "Saint-Denis",
    "st maur",
    "marseille",
    "lyon",
    "ville",
    "sa",
    "le",
    "la",
    "94",
    "corse",
    "metropole",
    "communaute de communes",
    "Fresnes (Val-de-Marne)",
    "zzzqqq",
]
ROW = "{:<30}{:>10}{:>10}{:>10}{:>10}"


def realistic_queries(count=200, seed=20260):
    """Names as people type them, drawn from the loaded referential with a fixed seed."""
    rng = random.Random(seed)
    communes = list(
        Collectivite.objects.filter(kind=CollectiviteKind.COMMUNE)
        .order_by("code")
        .values_list("name", "departement_code", "population")
    )
    large = [row for row in communes if (row[2] or 0) >= 5000]
    groups = list(
        Collectivite.objects.filter(kind__in=[CollectiviteKind.EPCI, CollectiviteKind.EPT])
        .order_by("code")
        .values_list("name", flat=True)
    )
    territories = list(
        Collectivite.objects.exclude(
            kind__in=[CollectiviteKind.COMMUNE, CollectiviteKind.EPCI, CollectiviteKind.EPT]
        )
        .order_by("code")
        .values_list("name", flat=True)
    )
    queries = list(FIXED_QUERIES)
    while len(queries) < count:
        draw = rng.random()
        if draw < 0.45:
            name, departement, _ = rng.choice(large if rng.random() < 0.6 else communes)
            words = name.split("-") if rng.random() < 0.5 else [name]
            typed = normalise(" ".join(words)) if rng.random() < 0.5 else name.lower()
            cut = rng.choice([3, 4, 6, len(typed)])
            typed = typed[:cut]
            queries.append(f"{typed} {departement}" if rng.random() < 0.3 else typed)
        elif draw < 0.8:
            name = rng.choice(groups)
            words = normalise(name).split()
            if words[0] in {"cc", "ca", "cu"}:
                words = words[1:]
            start = rng.randrange(max(1, len(words) - 1))
            queries.append(" ".join(words[start : start + rng.choice([1, 2, 3])]))
        else:
            queries.append(rng.choice(territories)[: rng.choice([4, 6, 40])])
    return queries[:count]


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
        print(f"database: {connection.vendor}; {Collectivite.objects.count()} collectivités")
        print(f"full load into an empty table: {first:.1f} s")
        print(f"second load (nothing to change): {second:.1f} s")

        queries = realistic_queries()
        client = Client(HTTP_HOST="localhost")
        url = "/demande/collectivites/"
        print(f"{len(queries)} queries, each run {REPEAT} times after a warm-up run")
        print(ROW.format("", "median ms", "p95 ms", "max ms", ""))
        for label, function in [
            ("search_collectivites()", search_collectivites),
            ("GET /demande/collectivites/", lambda query: client.get(url, {"q": query})),
        ]:
            median, p95, worst = timings(function, queries)
            print(ROW.format(label, f"{median:.1f}", f"{p95:.1f}", f"{worst:.1f}", ""))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
