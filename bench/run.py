"""Print render time, SQL queries and memory of the public pages as testimonials grow.

Runs against a throw-away test database (SQLite by default, DATABASE_URL otherwise).
Figures only: nothing here is asserted; the test suite asserts the query budgets.
"""

import os
import statistics
import sys
import time
import tracemalloc
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

from home.models import TestimonialIndexPage, TestimonialPage, Theme  # noqa: E402
from tests import factories  # noqa: E402

SIZES = [1, 50, 500]
REPEAT = 30
ROW = "{:>12}  {:<42}{:>8}{:>11}{:>9}{:>10}"
URLS = [
    "/",
    "/temoignages/",
    "/temoignages/?thematique=climat&page=2",
    "/la-cellule/",
    "/plan-du-site/",
]


def count_queries(client, url):
    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(url)
    return len(queries)


def measure(client, url):
    client.get(url)  # warm caches as a running server would
    queries = count_queries(client, url)
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200, (url, response.status_code)
    # Memory is traced on one request apart: tracing slows every allocation down.
    tracemalloc.start()
    client.get(url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    timings.sort()
    return queries, statistics.median(timings), timings[int(len(timings) * 0.95) - 1], peak


def grow(index, theme, count):
    missing = count - TestimonialPage.objects.count()
    for _ in range(missing):
        factories.testimonial(index, themes=[theme])


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo_content", stdout=StringIO())
        index = TestimonialIndexPage.objects.get()
        theme, _ = Theme.objects.get_or_create(slug="climat", defaults={"name": "Climat"})
        client = Client()
        print(f"database: {connection.vendor}; {REPEAT} requests per figure (test client)")
        print(ROW.format("testimonials", "url", "queries", "median ms", "p95 ms", "peak KiB"))
        for size in SIZES:
            grow(index, theme, size)
            # The demo already holds a few testimonials: report how many are really live.
            count = TestimonialPage.objects.live().count()
            for url in URLS:
                queries, median, p95, peak = measure(client, url)
                print(ROW.format(count, url, queries, f"{median:.1f}", f"{p95:.1f}", peak // 1024))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
