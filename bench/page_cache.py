"""Print what the page cache saves on each public page of the demo: SQL queries and median
render time with an empty cache, with only the page shell's fragments kept (any running
server after its first request, right after a publish), and on a repeat view; then the site
map (its page and sitemap.xml) with 5,000 pages.

Runs against a throw-away test database (SQLite by default, DATABASE_URL otherwise) and the
cache of the settings (local memory, or Redis when REDIS_URL names it: never its database
15). Figures only: the test suite asserts the query budgets.
"""

import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from home import cache as page_cache  # noqa: E402
from home.models import ContentPage, HomePage  # noqa: E402
from tests.demo_urls import DEMO_PUBLIC_URLS  # noqa: E402
from tests.factories import content_page_tree  # noqa: E402

REPEAT = 20
SITEMAP_PAGES = 5000
SITEMAP_SECTIONS = 50
SITEMAP_URLS = ["/plan-du-site/", "/sitemap.xml"]
ROW = "{:<36}{:>8}{:>8}{:>8}{:>10}{:>10}{:>10}"


def empty_cache():
    """New generations: no page nor fragment is found any more (Redis is never flushed)."""
    cache.delete_many([page_cache.PAGES, page_cache.SHELL])


def shell_only():
    cache.delete(page_cache.PAGES)


def nothing():
    pass


STATES = [empty_cache, shell_only, nothing]


def measure(client, url, before):
    """(queries, median ms) of ``url`` with ``before()`` run ahead of each request."""
    client.get(url)  # the renditions and the process's own caches, as on a running server
    before()
    queries = []
    with connection.execute_wrapper(
        lambda execute, *query: queries.append(query) or execute(*query)
    ):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(REPEAT):
        before()
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return len(queries), statistics.median(timings)


def table(client, urls):
    print(ROW.format("url", "empty", "shell", "repeat", "empty ms", "shell ms", "repeat ms"))
    for url in urls:
        figures = [measure(client, url, before) for before in STATES]
        counts = [count for count, _ in figures]
        medians = [f"{median:.1f}" for _, median in figures]
        print(ROW.format(url, *counts, *medians))


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo_content", stdout=StringIO())
        client = Client()
        print(
            f"database: {connection.vendor}; cache: {cache.__class__.__name__}; "
            f"queries of one request, median of {REPEAT} (test client); empty: no cache at "
            "all, shell: the shell's fragments kept, repeat: the page kept"
        )
        table(client, DEMO_PUBLIC_URLS)
        start = time.perf_counter()
        content_page_tree(
            HomePage.objects.get(), SITEMAP_SECTIONS, SITEMAP_PAGES // SITEMAP_SECTIONS
        )
        built = time.perf_counter() - start
        live = ContentPage.objects.live().count()
        print(f"\nsite map with {live} content pages (bulk-inserted in {built:.1f} s)")
        table(client, SITEMAP_URLS)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
