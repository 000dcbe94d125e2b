"""Steps shared by the browser tests of the Wagtail admin."""

PASSWORD = "motdepasse-test"  # every user of tests.factories.user_in_group


def sign_in(page, url, member):
    page.goto(url + "/admin/login/")
    page.locator("#id_username").fill(member.username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="S'identifier").click()


def submit_form(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()
