"""The production stack in Debian's Chromium: styled pages, no console errors, no failed
requests, the request form delivered by the task worker, the health check and the admin."""

import json
import re
import time
import urllib.request
from base64 import b32decode

import pytest
from playwright.sync_api import expect

from tests import two_factor
from tests.chromium import take_screenshot
from tests.demo_urls import DEMO_PUBLIC_URLS
from tests.test_permissions_policy import POLICY

from .conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [*DEMO_PUBLIC_URLS, "/demande/", "/suivi/"]
SCREENSHOTS = {"/": "production-accueil", "/demande/": "production-demande"}
BLUE_FRANCE = "rgb(0, 0, 145)"
EMAIL = "camille.martin@example.fr"
REFERENCE = re.compile(r"TE-\d{4}-\d{5}")
DELIVERY_TIMEOUT = 30

# Values only the DSFR's stylesheets and fonts produce: without them the header has no
# shadow nor stacking order, the search button is grey and the text is in Times.
DSFR_STYLES = """() => {
  const header = getComputedStyle(document.querySelector('.fr-header'));
  const search = document.querySelector('#header-search .fr-btn');
  return {
    headerFilter: header.filter,
    headerZIndex: header.zIndex,
    buttonBackground: getComputedStyle(search).backgroundColor,
    buttonIcon: getComputedStyle(search, '::before').maskImage,
    bodyFont: getComputedStyle(document.body).fontFamily,
  };
}"""
LOADED_FONTS = """async () => {
  await document.fonts.ready;
  return [...document.fonts].filter(font => font.status === 'loaded').map(font => font.family);
}"""


def open_page(page, url):
    response = page.goto(url, wait_until="networkidle")
    page.wait_for_selector('html[data-fr-js="true"]', state="attached")
    return response


def tick(box):
    """Click a DSFR radio or checkbox as people do: on its label, which covers the input."""
    box.page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def assert_dsfr_applies(page, stack):
    styles = page.evaluate(DSFR_STYLES)
    assert "drop-shadow" in styles["headerFilter"]
    assert styles["headerZIndex"] == "750"
    assert styles["buttonBackground"] == BLUE_FRANCE
    assert styles["bodyFont"].startswith("Marianne")
    # The icon is a mask over a hashed SVG of the manifest storage, served by WhiteNoise.
    icon = re.search(r'url\("([^"]+)"\)', styles["buttonIcon"])
    assert icon and re.search(r"search-line\.[0-9a-f]{12}\.svg$", icon[1]), styles["buttonIcon"]
    svg = page.request.get(icon[1])
    assert svg.status == 200
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.headers["permissions-policy"] == POLICY
    assert "Marianne" in page.evaluate(LOADED_FONTS)


def test_every_public_page_is_styled_without_errors(stack, page, problems):
    report = {}
    for path in PUBLIC_PAGES:
        problems.clear()
        response = open_page(page, stack.url + path)
        assert response.status == 200, path
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        assert response.headers["permissions-policy"] == POLICY
        assert_dsfr_applies(page, stack)
        if path in SCREENSHOTS:
            take_screenshot(page, SCREENSHOTS[path])
        if problems.console_errors or problems.failed_requests:
            report[path] = [*problems.console_errors, *problems.failed_requests]
    assert report == {}


def test_request_form_is_delivered_by_the_task_worker(stack, page, problems):
    open_page(page, stack.url + "/demande/")
    form = page.locator("main form")
    combobox = page.get_by_role("combobox", name="Votre collectivité")
    combobox.fill("fresnes 94")
    page.get_by_role("option", name=re.compile(r"^Fresnes Commune · 94 Val-de-Marne")).click()
    expect(combobox).to_have_value("Fresnes (Val-de-Marne)")
    page.locator("#id_first_name").fill("Camille")
    page.locator("#id_last_name").fill("Martin")
    page.locator("#id_function").fill("Adjointe au maire")
    tick(form.get_by_role("radio", name="Élu ou élue"))
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_phone").fill("01 23 45 67 89")
    tick(form.get_by_role("checkbox", name="Les pistes de financement"))
    tick(form.get_by_role("radio", name="Un échange ponctuel"))
    page.locator("#id_context").fill("Nous lançons un budget participatif l'an prochain.")
    tick(form.get_by_role("radio", name="Je choisis un créneau"))
    page.locator("#id_slot").select_option(index=1)
    tick(page.locator("#id_consent"))
    page.wait_for_timeout(3000)  # the form refuses answers sent faster than a person types
    with page.expect_navigation():
        form.get_by_role("button", name="Envoyer ma demande").click()

    assert page.url == stack.url + "/demande/merci/"
    heading = page.locator("main .fr-alert--success .fr-alert__title")
    expect(heading).to_have_text(REFERENCE)
    reference = REFERENCE.search(heading.inner_text())[0]
    assert problems.console_errors == []
    assert problems.failed_requests == []

    # Delivered by db_worker from the database queue, not inline by the web process.
    deliveries = wait_for_deliveries(stack, count=2)  # the acknowledgement, the team's notice
    assert [status for status, _workers in deliveries] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert all(len(workers) == 1 for _status, workers in deliveries)
    acknowledgement, notice = sorted(stack.sent_emails(), key=lambda m: m["To"] != EMAIL)
    assert acknowledgement["To"] == EMAIL
    assert notice["To"] not in (EMAIL, None)
    assert reference in acknowledgement["Subject"]
    assert reference in notice["Subject"]


def wait_for_deliveries(stack, count):
    """The delivery tasks once `count` of them finished (or what there is at the timeout)."""
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while True:
        deliveries = stack.query(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'intake.tasks.deliver_email' ORDER BY enqueued_at"
        )
        finished = [row for row in deliveries if row[0] in {"SUCCESSFUL", "FAILED"}]
        if len(finished) >= count or time.monotonic() > deadline:
            return deliveries
        time.sleep(0.3)


def test_health_check_answers_over_plain_http(stack):
    # A load balancer probes without the proxy's header: no redirect to HTTPS.
    with urllib.request.urlopen(stack.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert response.headers["Cache-Control"].startswith("max-age=0")
        health = json.load(response)
    # The database queue is read: its worker keeps it empty.
    assert health["status"] == "ok"
    assert health["checks"]["database"] == {"status": "ok"}
    assert health["checks"]["cache"] == {"status": "ok"}
    assert health["checks"]["tasks"]["status"] == "ok"
    assert health["checks"]["tasks"]["oldest_queued_seconds"] < 60


def test_admin_login_is_styled_and_signs_in(stack, context, page, problems):
    response = page.goto(stack.url + "/admin/login/", wait_until="networkidle")
    assert response.status == 200
    assert response.headers["permissions-policy"] == POLICY
    button = page.get_by_role("button", name="S'identifier")
    # Wagtail's admin stylesheet: its primary button colour and its own font stack.
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(0, 125, 126)"
    take_screenshot(page, "production-admin-connexion")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    with page.expect_navigation():
        button.click()
    # The demo's superuser enrols an authenticator: its secret read off the page, its code typed.
    assert page.url == stack.url + "/admin/authentification/activation/?next=/admin/"
    secret = page.locator("#two-factor-secret").inner_text()
    page.locator("#id_code").fill(two_factor.code(b32decode(secret.replace(" ", ""))))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer").click()
    codes = page.get_by_role("list", name="Vos codes de secours").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Continuer").click()
    assert page.url == stack.url + "/admin/"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert stack.query("SELECT confirmed FROM otp_totp_totpdevice") == [(True,)]
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
    assert cookies["csrftoken"]["secure"]
    assert problems.console_errors == []
    assert problems.failed_requests == []

    # Another browser session, signed in with a recovery code: the second factor's other way.
    context.clear_cookies()
    page.goto(stack.url + "/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="S'identifier").click()
    assert page.url == stack.url + "/admin/authentification/code/?next=/admin/"
    page.locator("#id_code").fill(recovery_code)
    with page.expect_navigation():
        page.get_by_role("button", name="Valider").click()
    assert page.url == stack.url + "/admin/"
    expect(page.get_by_text("Code de secours utilisé : il vous en reste 9.")).to_be_visible()
    assert problems.console_errors == []
    assert problems.failed_requests == []


def test_no_server_error_was_logged(stack):
    # Runs last: whatever the pages above did, the app server logged no traceback.
    log = stack.log_text("gunicorn")
    assert "Traceback" not in log
    assert "Internal Server Error" not in log
