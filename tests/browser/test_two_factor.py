"""A team member's first sign-in in Chromium: the password, the enrolment of an authenticator
(its secret read off the page, as a person without a camera types it), the recovery codes
shown once, then the admin; the next sign-in asks for a code. axe-core on each screen, the
Content-Security-Policy refusing nothing."""

from base64 import b32decode

import pytest
from playwright.sync_api import expect

from tests import factories, two_factor
from tests.browser.admin import PASSWORD, submit_form

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def type_password(page, url, username):
    page.goto(url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    submit_form(page, "S'identifier")


def test_a_member_enrols_then_signs_in_with_a_code(demo_server, page, axe_check):
    member = factories.user_in_group("Équipe", "camille.agent")
    url = demo_server.url

    type_password(page, url, member.username)
    assert page.url == f"{url}/admin/authentification/activation/?next=/admin/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name="QR code à scanner avec l'application")).to_be_visible()
    axe_check(page, "1-activation")
    page.locator("#id_code").fill("000000")
    submit_form(page, "Confirmer")
    expect(page.locator(".w-field__errors")).to_contain_text("Ce code n'est pas le bon")
    axe_check(page, "2-activation-erreur")

    secret = page.locator("#two-factor-secret").inner_text()
    page.locator("#id_code").fill(two_factor.code(b32decode(secret.replace(" ", ""))))
    submit_form(page, "Confirmer")
    codes = page.get_by_role("list", name="Vos codes de secours").get_by_role("listitem")
    expect(codes).to_have_count(10)
    axe_check(page, "3-codes-de-secours")
    with page.expect_navigation():
        page.get_by_role("link", name="Continuer").click()
    assert page.url == f"{url}/admin/"
    page.goto(f"{url}/admin/demandes/")
    assert page.url == f"{url}/admin/demandes/"

    # Another day, another browser session.
    page.context.clear_cookies()
    type_password(page, url, member.username)
    assert page.url == f"{url}/admin/authentification/code/?next=/admin/"
    axe_check(page, "4-code")
    page.locator("#id_code").fill(two_factor.next_code(two_factor.authenticator(member)))
    submit_form(page, "Valider")
    assert page.url == f"{url}/admin/"
