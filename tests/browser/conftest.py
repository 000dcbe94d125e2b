"""Playwright on Debian's Chromium against pytest-django's live server."""

import os
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from intake import booking
from intake.lifecycle.commands import submit
from intake.models import Collectivite
from tests import chromium, factories


@pytest.fixture(scope="session")
def browser(django_db_setup):
    chromium.check_available()
    from playwright.sync_api import sync_playwright

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
            browser = chromium.launch(playwright)
            yield browser
            browser.close()
    finally:
        # Whatever happens above, later tests must get Django's async safety check back.
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def csp_violations():
    """What the Content-Security-Policy refused in the `page` fixture's pages: nothing, or the
    test fails at its end."""
    violations = []
    yield violations
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(browser, csp_violations):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    chromium.watch_csp(context, csp_violations)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    return chromium.take_screenshot


@pytest.fixture
def axe_check(screenshot, request):
    """check(page, step): axe-core on the page as it stands, a screenshot named after the test
    module and the step; the test fails at its end if any step had violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    prefix = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    failures = {}

    def check(page, step):
        page.wait_for_load_state("networkidle")
        results = axe.run(page)
        if results.violations_count:
            failures[step] = chromium.violations_report(results)
        screenshot(page, f"{prefix}-{step}")

    yield check
    assert not failures, "\n\n".join(f"{step}\n{report}" for step, report in failures.items())


@pytest.fixture
def demo_server(transactional_db, live_server, settings):
    """The live server with the demo content loaded (tests need `serialized_rollback=True`)."""
    settings.BASE_URL = live_server.url
    call_command("load_demo_content", stdout=StringIO())
    return live_server


@pytest.fixture
def team_server(demo_server):
    """The demo site, the referential, a team member and a request booked on the first slot."""
    call_command("load_collectivites", stdout=StringIO())
    member = factories.user_in_group(
        "Équipe", "camille.agent", first_name="Camille", last_name="Agent"
    )
    lavaur = Collectivite.objects.get(kind="commune", code="81140")
    submission = submit(
        {
            "collectivite": lavaur,
            "collectivite_name": "",
            "collectivite_kind": "",
            "first_name": "Dominique",
            "last_name": "Roux",
            "function": "Maire",
            "role": "elected",
            "email": "dominique.roux@example.fr",
            "phone": "+33563000000",
            "needs": ["strategy", "funding"],
            "themes": [],
            "rhythm": "regular",
            "context": "Nous voulons créer un conseil citoyen.",
            "existing_bodies": "",
            "first_exchange": "slot",
        },
        submission_key=uuid.uuid4(),
        slot=booking.available_slots()[0],
    )
    return demo_server, member, submission
