"""Print what the public pages cost a browser under the production settings.

Sets up what production runs, on loopback only: a throw-away PostgreSQL database (migrated,
demo content loaded), static files collected by the production storage (hashed names,
compressed copies) into a temporary folder, and gunicorn with the production settings
(WhiteNoise, Redis cache). Then, in Debian's Chromium (Playwright), each page opened in a
fresh browser context (nothing cached):

1. the home page on a desktop window, unthrottled: every request it makes and the bytes
   transferred (headers and compressed bodies, as Chromium's network log counts them), by
   resource type;
2. every public page as Lighthouse's mobile preset sees it (412 × 823 window, network of
   150 ms round trips at 1.6 Mbit/s, CPU slowed four times): its requests, bytes, first
   contentful paint and cumulative layout shift (the sum of the layout shifts not caused by
   input, read with a PerformanceObserver once the fonts are loaded).

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, allowed to create databases) and Redis
on 127.0.0.1:6379 (database 13); BENCH_PG_URL and BENCH_REDIS_URL override them.
"""

import os
import secrets
import sys
import tempfile
from collections import Counter
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import chromium  # noqa: E402
from tests.demo_urls import DEMO_PUBLIC_URLS  # noqa: E402
from tests.processes import environment, free_port, manage  # noqa: E402
from tests.production.conftest import start_gunicorn, stop, wait_until_healthy  # noqa: E402

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PUBLIC_PAGES = [*DEMO_PUBLIC_URLS, "/demande/", "/suivi/"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# Lighthouse's mobile preset: a Moto G Power's screen, a slow 4G network, a CPU four times
# slower than the machine's.
MOBILE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
CPU_SLOWDOWN = 4
SETUP = [["migrate", "--noinput"], ["load_demo_content"], ["collectstatic", "--noinput", "-v0"]]
# Every layout shift not caused by input, from the start of the document.
LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""
SETTLED = """async () => {
  await document.fonts.ready;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {cls: window.layoutShift, fcp: paint ? paint.startTime : null};
}"""


class NetworkLog:
    """The page's requests and the bytes each one transferred, from Chromium's network log."""

    def __init__(self, cdp):
        self.types = {}
        self.urls = {}
        self.bytes = Counter()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def _sent(self, event):
        if event["request"]["url"].startswith("http"):
            self.types[event["requestId"]] = event.get("type", "Other")
            self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event):
        if event["requestId"] in self.types:
            self.bytes[event["requestId"]] = event["encodedDataLength"]

    def by_type(self):
        totals = Counter()
        counts = Counter()
        for request_id, kind in self.types.items():
            totals[kind] += self.bytes[request_id]
            counts[kind] += 1
        return counts, totals

    @property
    def total(self):
        return sum(self.bytes.values())


def visit(browser, url, options, throttled):
    context = browser.new_context(locale="fr-FR", **options)
    try:
        context.add_init_script(LAYOUT_SHIFTS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        log = NetworkLog(cdp)
        if throttled:
            cdp.send("Network.emulateNetworkConditions", SLOW_4G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        response = page.goto(url, wait_until="networkidle")
        assert response.status == 200, (url, response.status)
        figures = page.evaluate(SETTLED)
        return log, figures
    finally:
        context.close()


def kib(size):
    return f"{size / 1024:.1f}"


def report(browser, url):
    page(browser, url + "/")  # the page cache filled and the workers warm, as on a live site
    log, _ = visit(browser, url + "/", DESKTOP, throttled=False)
    counts, totals = log.by_type()
    print(f"home page, desktop, unthrottled: {len(log.types)} requests, {kib(log.total)} KiB")
    print(f"{'type':<14}{'requests':>10}{'KiB':>10}")
    for kind, size in totals.most_common():
        print(f"{kind:<14}{counts[kind]:>10}{kib(size):>10}")
    print()
    for request_id, address in log.urls.items():
        print(f"{log.types[request_id]:<14}{kib(log.bytes[request_id]):>8}  {address[len(url) :]}")
    print()
    print("mobile (412 px, slow 4G, CPU / 4), each page in a fresh context")
    print(f"{'page':<36}{'requests':>10}{'KiB':>10}{'FCP ms':>10}{'CLS':>8}")
    for path in PUBLIC_PAGES:
        page(browser, url + path)
        log, figures = visit(browser, url + path, MOBILE, throttled=True)
        print(
            f"{path:<36}{len(log.types):>10}{kib(log.total):>10}"
            f"{figures['fcp']:>10.0f}{figures['cls']:>8.3f}"
        )


def page(browser, url):
    """One plain visit, to fill the page cache before a measured one."""
    visit(browser, url, DESKTOP, throttled=False)


def main():
    chromium.check_available()
    from playwright.sync_api import sync_playwright

    name = f"bench_front_end_{os.getpid()}"
    redis.Redis.from_url(REDIS_URL).flushdb()
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    processes = {}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        port = free_port()
        env = environment(
            DEBUG="",
            SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, no TLS proxy in front
            DJANGO_SETTINGS_MODULE="portal.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="localhost",
            BASE_URL=f"https://localhost:{port}",
            DATABASE_URL=f"{PG_URL}/{name}",
            REDIS_URL=REDIS_URL,
            STATIC_ROOT=str(work / "static"),
            MEDIA_ROOT=str(work / "media"),
            LOG_LEVEL="WARNING",
        )
        logs = {"gunicorn": work / "gunicorn.log"}
        try:
            for command in SETUP:
                manage(env, *command)
            processes["gunicorn"] = start_gunicorn(port, env, logs["gunicorn"])
            url = f"http://localhost:{port}"
            wait_until_healthy(url, processes, logs)
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                try:
                    report(browser, url)
                finally:
                    browser.close()
        finally:
            stop(processes)
            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
