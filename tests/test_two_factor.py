"""The admin's second factor: whoever may see personal data (the team, superusers) enrols an
authenticator on their first sign-in and then types one of its codes, or a recovery code
(each good once), after the password, before any admin URL; wrong codes lock like wrong
passwords. Every sign-in here is a real one, through the sign-in form."""

import logging
import re
from base64 import b32decode, b32encode

import django.test
import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import lockout
from tests import factories, two_factor
from tests.html_validity import assert_valid_html, vnu_command
from tests.test_login_lockout import START, locked

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-test"  # every user of tests.factories.user_in_group
VERIFY = "/admin/authentification/code/"
ENROL = "/admin/authentification/activation/"
RECOVERY_CODES = "/admin/authentification/codes-de-secours/"
WRONG_CODE = "Ce code n'est pas le bon, ou il a déjà servi."


@pytest.fixture
def browser():
    """A client that signs in as a person does, with the sign-in form."""
    return django.test.Client()


@pytest.fixture
def member(db):
    return factories.user_in_group("Équipe", "camille")


@pytest.fixture
def enrolled(member):
    return two_factor.authenticator(member)


@pytest.fixture
def clock(monkeypatch):
    """The lockouts' clock, moved by hand."""

    class Clock:
        time = START

        def advance(self, seconds):
            self.time += seconds

    clock = Clock()
    monkeypatch.setattr(lockout, "now", lambda: clock.time)
    return clock


def sign_in(client, username, address="192.0.2.10"):
    """The password step: where the admin then sends the person."""
    response = client.post(
        "/admin/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 302, response.content.decode()
    response = client.get(response["Location"], REMOTE_ADDR=address)
    assert response.status_code == 302
    return response["Location"]


def send_code(client, code, next_url="/admin/", address="192.0.2.10"):
    return client.post(VERIFY, {"code": code, "next": next_url}, REMOTE_ADDR=address)


def refusal(response):
    """The error the code page shows."""
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.non_field_errors() or form.errors["code"]
    assert len(errors) == 1
    return errors[0]


def recovery_codes(user):
    return sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def enrol(client, member):
    """The enrolment as the page leads it: the secret read off the page, its code typed.
    Returns the recovery codes shown."""
    page = client.get(ENROL).content.decode()
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', page)[1]
    code = two_factor.code(b32decode(secret.replace(" ", "")))
    response = client.post(ENROL, {"code": code, "next": "/admin/demandes/"})
    assert response.status_code == 302
    assert response["Location"] == f"{RECOVERY_CODES}?next=%2Fadmin%2Fdemandes%2F"
    return client.get(response["Location"]).context["codes"]


def test_a_member_without_an_authenticator_enrols_and_sees_ten_recovery_codes_once(browser, member):
    assert sign_in(browser, "camille") == f"{ENROL}?next=/admin/"
    page = browser.get(ENROL)
    content = page.content.decode()
    assert page["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "<title>QR code à scanner avec l'application</title>" in content
    device = TOTPDevice.objects.get(user=member)
    assert not device.confirmed
    # The secret as text, grouped by four; a reload keeps the one already scanned.
    secret = b32encode(device.bin_key).decode()
    assert f'<code id="two-factor-secret">{" ".join(re.findall("....", secret))}</code>' in content
    assert secret in browser.get(ENROL).content.decode().replace(" ", "")

    response = browser.post(ENROL, {"code": "000000"})
    assert refusal(response) == WRONG_CODE
    assert browser.get("/admin/").status_code == 302

    codes = enrol(browser, member)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == recovery_codes(member)
    device.refresh_from_db()
    assert device.confirmed
    # Shown once: a reload shows them no more.
    again = browser.get(RECOVERY_CODES).content.decode()
    assert "ne sont affichés qu'une fois" in again
    assert not any(code in again for code in codes)
    assert browser.get("/admin/demandes/").status_code == 200


def test_the_enrolment_confirmed_the_next_sign_in_asks_for_a_code(browser, member):
    sign_in(browser, "camille")
    enrol(browser, member)
    browser.post("/admin/logout/")
    assert sign_in(browser, "camille") == f"{VERIFY}?next=/admin/"
    # Enrolled: no second authenticator while the first is there.
    response = browser.get(f"{ENROL}?next=/admin/pages/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"


def test_no_code_or_a_wrong_one_is_refused(browser, member, enrolled):
    assert sign_in(browser, "camille") == f"{VERIFY}?next=/admin/"
    assert refusal(send_code(browser, "")) == "Champ requis."
    assert refusal(send_code(browser, "123456")) == WRONG_CODE
    assert refusal(send_code(browser, "pas un code")) == WRONG_CODE
    assert browser.get("/admin/").status_code == 302


def test_a_valid_code_opens_the_admin_where_the_person_was_going(browser, member, enrolled):
    sign_in(browser, "camille")
    response = send_code(browser, " ".join(two_factor.next_code(enrolled)), "/admin/demandes/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/demandes/"
    assert browser.get("/admin/demandes/").status_code == 200
    assert browser.get("/admin/").status_code == 200


def test_a_code_serves_once(browser, member, enrolled):
    code = two_factor.next_code(enrolled)
    sign_in(browser, "camille")
    assert send_code(browser, code).status_code == 302
    other = django.test.Client()
    sign_in(other, "camille")
    assert refusal(send_code(other, code)) == WRONG_CODE


def test_a_recovery_code_serves_once(browser, member):
    sign_in(browser, "camille")
    codes = enrol(browser, member)
    browser.post("/admin/logout/")
    sign_in(browser, "camille")
    response = send_code(browser, codes[3].upper())
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    assert "Code de secours utilisé : il vous en reste 9." in page
    assert codes[3] not in recovery_codes(member)
    browser.post("/admin/logout/")
    sign_in(browser, "camille")
    assert refusal(send_code(browser, codes[3])) == WRONG_CODE


def test_a_code_from_elsewhere_goes_to_the_admin_s_home(browser, member, enrolled):
    sign_in(browser, "camille")
    response = send_code(browser, two_factor.next_code(enrolled), "https://example.com/admin/")
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/demandes/",
        "/admin/agenda/",
        "/admin/permanence/regles/",
        "/admin/pages/",
        "/admin/users/",
        "/admin/authentification/codes-de-secours/",
    ],
)
def test_every_admin_url_asks_for_the_code(browser, member, enrolled, path):
    sign_in(browser, "camille")
    response = browser.get(f"{path}?page=2")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={path}%3Fpage%3D2"
    response = browser.post(path)
    assert response["Location"].startswith(f"{VERIFY}?next=")


def test_a_superuser_is_asked_too(browser, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    assert sign_in(browser, "admin") == f"{ENROL}?next=/admin/"
    assert browser.get("/admin/demandes/")["Location"] == f"{ENROL}?next=/admin/demandes/"


def test_the_sign_in_s_own_pages_stay_open(browser, member, enrolled):
    sign_in(browser, "camille")
    assert browser.get(VERIFY).status_code == 200
    assert browser.get("/admin/jsi18n/").status_code == 200
    assert browser.get("/admin/sprite/").status_code == 200
    response = browser.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session


def test_editors_and_moderators_are_not_asked(browser, editor, moderator):
    for user in (editor, moderator):
        response = browser.post("/admin/login/", {"username": user.username, "password": PASSWORD})
        assert response["Location"] == "/admin/"
        assert browser.get("/admin/").status_code == 200
        assert browser.get("/admin/pages/").status_code == 200
        # The second factor's pages are not theirs.
        assert browser.get(ENROL)["Location"] == "/admin/"
        browser.post("/admin/logout/")
    assert not TOTPDevice.objects.exists()


def test_the_setting_turns_it_off(browser, member, settings):
    settings.TWO_FACTOR_REQUIRED = False
    browser.post("/admin/login/", {"username": "camille", "password": PASSWORD})
    assert browser.get("/admin/demandes/").status_code == 200


def test_deleting_the_devices_ends_the_verified_session(client, member):
    client.force_login(member)
    assert client.get("/admin/demandes/").status_code == 200
    TOTPDevice.objects.filter(user=member).delete()
    assert client.get("/admin/demandes/")["Location"] == f"{ENROL}?next=/admin/demandes/"


def test_the_fifth_wrong_code_locks_and_a_right_one_is_refused_while_locked(
    browser, member, enrolled, clock, caplog
):
    sign_in(browser, "camille")
    outcomes = [refusal(send_code(browser, f"00000{n}")) for n in range(4)]
    assert outcomes == [WRONG_CODE] * 4
    with caplog.at_level(logging.WARNING, logger="portal.lockout"):
        assert refusal(send_code(browser, "000005")) == locked(15)
    assert caplog.messages == [
        "Admin second factor locked for 900 s after 5 failures of the account 'camille'"
    ]
    assert refusal(send_code(browser, two_factor.next_code(enrolled))) == locked(15)
    # Not a word of the password's lockout: signing in again leads to the same lock.
    browser.post("/admin/logout/")
    assert sign_in(browser, "camille") == f"{VERIFY}?next=/admin/"
    assert refusal(send_code(browser, two_factor.next_code(enrolled))) == locked(15)
    clock.advance(15 * 60)
    assert send_code(browser, two_factor.next_code(enrolled))["Location"] == "/admin/"


def test_a_right_password_does_not_clear_the_wrong_codes(browser, member, enrolled, clock):
    sign_in(browser, "camille")
    for n in range(4):
        send_code(browser, f"00000{n}")
    browser.post("/admin/logout/")
    sign_in(browser, "camille")
    assert refusal(send_code(browser, "000004")) == locked(15)


def test_the_pages_are_valid_html(browser, member):
    vnu_command()
    sign_in(browser, "camille")
    documents = {
        "enrolment": browser.get(ENROL).content,
        "enrolment with an error": browser.post(ENROL, {"code": "1"}).content,
    }
    codes = enrol(browser, member)
    response = browser.post("/admin/logout/")
    sign_in(browser, "camille")
    documents["code"] = browser.get(VERIFY).content
    documents["code with an error"] = send_code(browser, "000000").content
    browser.post("/admin/logout/")
    sign_in(browser, "camille")
    response = send_code(browser, codes[0])
    documents["admin after a recovery code"] = browser.get(response["Location"]).content
    assert_valid_html(documents)
