"""Playwright on Debian's Chromium against pytest-django's live server.

In CI (CI=true) a browser that cannot start fails the run instead of skipping it.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).parent / "screenshots"))


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot be skipped in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    # Django keeps one connection per context; starting Playwright switches this thread to a
    # new context, whose fresh connection would lack the snapshot that serialized_rollback
    # restores after each flush. Hand the snapshot over to it.
    snapshot = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests
    # themselves stay synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            if snapshot is not None:
                connections[DEFAULT_DB_ALIAS]._test_serialized_contents = snapshot
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        # Whatever happens above, later tests must get Django's async safety check back.
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def demo_server(transactional_db, live_server, settings):
    """The live server with the demo content loaded (tests need `serialized_rollback=True`)."""
    settings.BASE_URL = live_server.url
    call_command("load_demo_content", stdout=StringIO())
    return live_server
