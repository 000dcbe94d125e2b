"""Steps shared by the browser tests of the Wagtail admin."""

from tests import two_factor

PASSWORD = "motdepasse-test"  # every user of tests.factories.user_in_group


def sign_in(page, url, member):
    """The password, then, for someone the admin asks a second factor of, a code of their
    authenticator (made on first use), typed as they would."""
    device = two_factor.authenticator(member) if two_factor.must_prove(member) else None
    page.goto(url + "/admin/login/")
    page.locator("#id_username").fill(member.username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="S'identifier").click()
    if device is not None:
        page.locator("#id_code").fill(two_factor.next_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Valider").click()


def submit_form(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()
