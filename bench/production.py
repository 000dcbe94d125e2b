"""Print one table of what the portal costs under its production settings, measured in one run.

Sets up what production runs, on loopback only (as `bench/submissions.py` does): a throw-away
PostgreSQL database, migrated, with the referential and the demo content; static files
collected by the production storage; Redis (database 14, flushed first); the production
settings with `CONN_MAX_AGE=600`. Then:

(a) gunicorn with one sync worker serves the portal, and another, on the same configuration
    (gunicorn.conf.py, one sync worker), serves `bench/raw_wsgi.py`: a raw WSGI app that
    answers each page with the status, headers and bytes the portal gave for it. wrk (one
    thread, 4 connections) loads, in each of 3 interleaved rounds and for the home page,
    `/la-cellule/` and `/temoignages/`: the raw app, the portal's cached page, and the page
    with a query string, which the page cache neither reads nor keeps (home/cache.py): the
    page rendered from the database with the page shell's fragments kept, as on a running
    server. The figures are the medians of the rounds, each page's against the raw app's in
    the same round. Neither worker is replaced during the run (`--max-requests 0`), so the
    portal's one serves every round;
(b) the SQL queries of every public page with an empty cache and on a repeat view (Django
    test client in this process, on the same database, as `bench/page_cache.py` counts them);
(c) `bench/submissions.py`'s phases against `gunicorn -w 4`: 20 concurrent clients posting
    the request form, the double submits and the replays; lost are the submissions answered
    with the confirmation and not stored;
(d) the peak resident set (VmHWM) of the portal's worker after (a) and (e), and the highest of
    the 4 workers after (c);
(e) the home page in Debian's Chromium (as `bench/front_end.py` opens it, the page cache
    filled): its requests and the bytes transferred.

Only the table goes to the standard output; the phases' own lines go to the standard error.
Exits with status 1 when a check of (c) fails. Needs wrk (Debian's package), Chromium,
PostgreSQL on 127.0.0.1:5432 (user postgres, allowed to create databases) and Redis on
127.0.0.1:6379; BENCH_PG_URL, BENCH_REDIS_URL and BENCH_SECONDS (each wrk run, 5 by default)
override them.
"""

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DATABASE = f"bench_production_{os.getpid()}"
# What this process reads itself (the queries of (b), the form tokens of (c)) is on the same
# database and Redis as gunicorn; set before the benches below set Django up.
os.environ.update(DATABASE_URL=f"{PG_URL}/{DATABASE}", REDIS_URL=REDIS_URL)

from bench import front_end, page_cache, submissions  # noqa: E402
from tests import chromium  # noqa: E402
from tests.demo_urls import DEMO_PUBLIC_URLS  # noqa: E402
from tests.processes import environment, free_port, manage  # noqa: E402
from tests.production.conftest import start_gunicorn, stop, wait_until_healthy  # noqa: E402

PAGES = ["/", "/la-cellule/", "/temoignages/"]
UNCACHED = "?bench=uncached"  # a query string: the page cache neither reads nor keeps it
ROUNDS = 3
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = 4
SAME_CONFIGURATION = ("--max-requests", "0")  # for the portal and the raw app alike
# Headers gunicorn writes itself, or that the raw app sets from the body it holds.
SERVER_HEADERS = {"connection", "content-length", "date", "server", "transfer-encoding"}


BenchFailure = submissions.BenchFailure


# --- Servers --------------------------------------------------------------------------------


def fetch(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.reason, response.getheaders(), response.read()
    finally:
        connection.close()


def capture(port, destination):
    """What the raw app answers: each page as the page cache replays it (its second view),
    and /healthz, which the raw app answers as the portal did, to be found ready."""
    responses = {}
    for path in [*PAGES, "/healthz"]:
        fetch(port, path)
        status, reason, headers, body = fetch(port, path)
        expect(path, status, headers, "public" if path in PAGES else "")
        kept = [(name, value) for name, value in headers if name.lower() not in SERVER_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        responses[path] = (f"{status} {reason}", kept, body.decode("latin-1"))
    for path in PAGES:  # warms the shell's fragments
        status, _, headers, _ = fetch(port, path + UNCACHED)
        expect(path + UNCACHED, status, headers, "private")
    destination.write_text(json.dumps(responses), encoding="utf-8")


def expect(path, status, headers, cache_control):
    """A 200 that the page cache keeps ("public") or bypasses ("private")."""
    announced = {name.lower(): value for name, value in headers}.get("cache-control", "")
    if status != 200 or cache_control not in announced:
        raise BenchFailure(f"GET {path} answered {status}, Cache-Control: {announced}")


def peak_rss(arbiter):
    """The highest peak resident set (VmHWM) of the arbiter's workers, in MB (10^6 bytes)."""
    peaks = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError):  # a process that ended meanwhile
            continue
        if parent == arbiter:
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024 / 1e6)
    if not peaks:
        raise BenchFailure(f"gunicorn {arbiter} has no worker")
    return max(peaks)


# --- (a) Throughput -------------------------------------------------------------------------


def wrk(url):
    """Requests per second that wrk sustains on ``url``, every answer a 2xx or 3xx."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 60)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if result.returncode or rate is None or refused:
        raise BenchFailure(f"wrk {url} failed:\n{result.stdout}{result.stderr}")
    errors = re.search(r"Socket errors: .*", result.stdout)
    print(f"  {url}: {rate.group(1)}/s", errors.group(0) if errors else "", file=sys.stderr)
    return float(rate.group(1))


def throughput(portal, raw):
    """{(kind, page): [requests/s of each round]}, kind raw, cached or uncached."""
    rates = {}
    for number in range(1, ROUNDS + 1):
        print(f"round {number} of {ROUNDS}", file=sys.stderr)
        for path in PAGES:
            for kind, url in (
                ("raw", raw + path),
                ("cached", portal + path),
                ("uncached", portal + path + UNCACHED),
            ):
                rates.setdefault((kind, path), []).append(wrk(url))
    return rates


# --- (b), (e): queries and the browser ------------------------------------------------------


def queries():
    """{page: (queries with an empty cache, on a repeat view)} for every public page."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    states = (page_cache.empty_cache, page_cache.nothing)
    return {
        path: tuple(page_cache.measure(client, path, before)[0] for before in states)
        for path in DEMO_PUBLIC_URLS
    }


def home_in_chromium(url):
    """(requests, bytes transferred) of the home page, the page cache filled."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            front_end.page(browser, url + "/")
            log, _ = front_end.visit(browser, url + "/", front_end.DESKTOP, throttled=False)
        finally:
            browser.close()
    return len(log.types), log.total


# --- The run --------------------------------------------------------------------------------


def serve_pages(env, work):
    """(a), the portal's worker of (d) and (e), on the portal and raw app side by side."""
    ports = {"portal": free_port(), "raw": free_port()}
    logs = {name: work / f"{name}.log" for name in ports}
    responses = work / "responses.json"
    processes = {}
    try:
        processes["portal"] = start_gunicorn(
            ports["portal"], env, logs["portal"], workers=1, options=SAME_CONFIGURATION
        )
        portal = f"http://127.0.0.1:{ports['portal']}"
        wait_until_healthy(portal, processes, logs)
        capture(ports["portal"], responses)
        processes["raw"] = start_gunicorn(
            ports["raw"],
            {**env, "RAW_RESPONSES": str(responses)},
            logs["raw"],
            workers=1,
            app="bench.raw_wsgi:application",
            options=SAME_CONFIGURATION,
        )
        raw = f"http://127.0.0.1:{ports['raw']}"
        wait_until_healthy(raw, processes, logs)
        rates = throughput(portal, raw)
        browser = home_in_chromium(f"http://localhost:{ports['portal']}")
        rss = {name: peak_rss(process.pid) for name, process in processes.items()}
    finally:
        stop(processes)
        report_logs(logs.values())
    return rates, browser, rss


def post_forms(env, work):
    """(c) on gunicorn -w 4, and the peak RSS of its workers."""
    port = free_port()
    with open(work / "submissions.log", "w") as log:
        server = submissions.start_gunicorn(env, port, log)
    try:
        submissions.wait_until_serving(server, port)
        with contextlib.redirect_stdout(sys.stderr):
            checks, figures = submissions.bench(port, env["DATABASE_URL"])
        return checks, figures, peak_rss(server.pid)
    finally:
        submissions.stop_gunicorn(server)
        report_logs([work / "submissions.log"])


def report_logs(paths):
    """The lines of gunicorn's logs worth a look, on the standard error."""
    with contextlib.redirect_stdout(sys.stderr):
        for path in paths:
            if path.exists():
                submissions.report_log(path)


def machine():
    model = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
    with psycopg.connect(f"{PG_URL}/postgres") as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return (
        f"machine: {os.cpu_count()} cores, {model.group(1) if model else 'unknown CPU'}; "
        f"PostgreSQL {version.split()[0]} and Redis on loopback; "
        f"wrk {wrk_version.split()[1]}, 1 thread, {CONNECTIONS} connections, "
        f"{SECONDS} s a run, medians of {ROUNDS} interleaved rounds"
    )


def run(env, work):
    submissions.prepare_database(env, env["STATIC_ROOT"])
    manage(env, "load_demo_content")
    print("database ready", file=sys.stderr)
    rates, browser, rss = serve_pages(env, work)
    counts = queries()
    checks, forms, forms_rss = post_forms(env, work)
    return rates, counts, checks, forms, browser, {**rss, "forms": forms_rss}


# --- The table ------------------------------------------------------------------------------

ROW = "{:<58}{:>18}{:>10}{:>13}{:>5}"
CONTENT_PAGE = "/la-cellule/"
CACHED_GOAL = 60  # % of the raw app, every cached page
UNCACHED_GOAL = 2.5  # % of the raw app, the content page
QUERIES_GOAL = 6  # on a cold cache; none on a repeat view
P95_GOAL = 300  # ms
RSS_GOAL = 100  # MB
HOME_GOAL = 200  # KiB


def rows(rates, counts, checks, forms, browser, rss):
    """(figure, measured, share of raw, goal, met: True, False or None) of each line."""
    for path in PAGES:
        raw = rates["raw", path]
        yield f"raw WSGI app, the bytes of {path}", f"{statistics.median(raw):.0f}/s", "", "", None
        for kind, goal in (
            ("cached", CACHED_GOAL),
            ("uncached", UNCACHED_GOAL if path == CONTENT_PAGE else None),
        ):
            mine = rates[kind, path]
            share = statistics.median(100 * a / b for a, b in zip(mine, raw, strict=True))
            yield (
                f"{kind} {path}",
                f"{statistics.median(mine):.1f}/s",
                f"{share:.2f} %",
                f">= {goal} %" if goal else "",
                share >= goal if goal else None,
            )
    others = [path for path in counts if path not in PAGES]
    worst = max(others, key=lambda path: counts[path])
    for label, (cold, repeat) in (
        *((f"SQL queries of {path}, cold / repeat", counts[path]) for path in PAGES),
        (f"SQL queries, the most of {len(others)} other pages: {worst}", counts[worst]),
    ):
        passed = cold <= QUERIES_GOAL and repeat == 0
        yield label, f"{cold} / {repeat}", "", f"<= {QUERIES_GOAL} / 0", passed
    clients = f"{submissions.CLIENTS} clients, gunicorn -w {submissions.WORKERS}"
    yield f"form submissions, {clients}", f"{forms.per_second:.1f}/s", "", "", None
    yield "  p95 latency", f"{forms.p95_ms:.0f} ms", "", f"< {P95_GOAL} ms", forms.p95_ms < P95_GOAL
    failed = forms.sent - forms.successes
    checked = all(passed for _, passed in checks)
    yield (
        "  lost / failed / the checks",
        f"{forms.lost} / {failed} / {'ok' if checked else 'FAIL'}",
        "",
        "0 / 0 / ok",
        forms.lost == 0 and failed == 0 and checked,
    )
    for name, label, goal in (
        ("portal", "peak RSS, the portal's worker after (a) and (e)", RSS_GOAL),
        ("forms", f"peak RSS, the most of {submissions.WORKERS} workers after (c)", RSS_GOAL),
        ("raw", "peak RSS, the raw app's worker", None),
    ):
        met = rss[name] <= goal if goal else None
        yield label, f"{rss[name]:.1f} MB", "", f"<= {goal} MB" if goal else "", met
    requests, size = browser
    yield (
        "home page in Chromium: requests, KiB",
        f"{requests}, {size / 1024:.1f}",
        "",
        f"<= {HOME_GOAL} KiB",
        size <= HOME_GOAL * 1024,
    )


def table(figures):
    print(ROW.format("figure", "measured", "of raw", "goal", "met"))
    for label, measured, share, goal, met in rows(*figures):
        print(ROW.format(label, measured, share, goal, {True: "yes", False: "NO", None: ""}[met]))


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing (apt-get install wrk)")
    chromium.check_available()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))  # still clean up
    redis.Redis.from_url(REDIS_URL).flushdb()
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    with tempfile.TemporaryDirectory(prefix="bench_production_") as work:
        work = Path(work)
        env = environment(
            DEBUG="",
            DJANGO_SETTINGS_MODULE="portal.settings.production",
            SECRET_KEY=submissions.SECRET_KEY,  # the bench reads the form's signed tokens
            ALLOWED_HOSTS="127.0.0.1,localhost",
            BASE_URL="https://127.0.0.1",
            DATABASE_URL=os.environ["DATABASE_URL"],
            REDIS_URL=REDIS_URL,
            CONN_MAX_AGE="600",
            SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, no TLS proxy in front
            RATELIMIT_FORM_POSTS="100000000",  # (c) measures throughput, not the limiter
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            STATIC_ROOT=str(work / "static"),
            MEDIA_ROOT=str(work / "media"),
            LOG_LEVEL="WARNING",
        )
        try:
            figures = run(env, work)
        except (BenchFailure, RuntimeError, subprocess.TimeoutExpired) as error:
            sys.exit(f"FAIL {error}")
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    print(machine())
    table(figures)
    _, _, checks, *_ = figures
    failures = [description for description, passed in checks if not passed]
    for description in failures:
        print(f"FAIL {description}")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
