"""The admin sign-in locks out after repeated failures, per account and per client address,
in the shared cache: a clear French message with the time left, no password checked while
locked, a success clearing the account's count."""

import logging

import pytest
from django.contrib.auth.signals import user_login_failed
from django.utils.html import escape

from portal import lockout
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "motdepasse-test"  # every user of tests.factories.user_in_group
# Wagtail's French, as it is.
WRONG_LOGIN = (
    " Votre nom d’utilisateur et votre mot de passe ne correspondent à aucun utilisateur. "
    "Veuillez essayer de nouveau."
)
START = 1_800_000_000 + 60  # a minute into a window of 900 s


@pytest.fixture
def clock(monkeypatch):
    """The lockout's clock, moved by hand."""

    class Clock:
        time = START

        def advance(self, seconds):
            self.time += seconds

    clock = Clock()
    monkeypatch.setattr(lockout, "now", lambda: clock.time)
    return clock


@pytest.fixture
def member(db):
    return factories.user_in_group("Équipe", "camille")


@pytest.fixture
def checked():
    """Every password the authentication backends checked and refused."""
    refused = []

    def receiver(credentials, **kwargs):
        refused.append(credentials["username"])

    user_login_failed.connect(receiver)
    yield refused
    user_login_failed.disconnect(receiver)


def sign_in(client, username, password, address="192.0.2.10", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def answer(response):
    """The sign-in's outcome: signed in, or the error the page shows."""
    if response.status_code == 302:
        assert "_auth_user_id" in response.wsgi_request.session
        return "signed in"
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert escape(errors[0]) in response.content.decode()
    return errors[0]


def locked(minutes):
    unit = "minute" if minutes == 1 else "minutes"
    return f"Trop de tentatives de connexion. Réessayez dans {minutes} {unit}."


def test_the_fifth_failure_locks_the_account_and_its_right_password_is_refused(
    client, member, clock, checked, caplog
):
    outcomes = [answer(sign_in(client, "camille", f"faux-{n}")) for n in range(4)]
    assert outcomes == [WRONG_LOGIN] * 4
    with caplog.at_level(logging.WARNING, logger="portal.lockout"):
        assert answer(sign_in(client, "camille", "faux-5")) == locked(15)
    assert caplog.messages == [
        "Admin sign-in locked for 900 s after 5 failures of the account 'camille'"
    ]
    assert answer(sign_in(client, "camille", PASSWORD)) == locked(15)
    assert answer(sign_in(client, "camille", "faux-6")) == locked(15)
    # Five passwords checked: none while locked, the right one neither.
    assert checked == ["camille"] * 5


def test_the_message_gives_the_minutes_left_and_the_lock_ends(client, member, clock):
    for n in range(5):
        sign_in(client, "camille", f"faux-{n}")
    clock.advance(5 * 60 + 1)
    assert answer(sign_in(client, "camille", PASSWORD)) == locked(10)
    clock.advance(9 * 60)
    assert answer(sign_in(client, "camille", PASSWORD)) == locked(1)
    clock.advance(58)  # one second left
    assert answer(sign_in(client, "camille", PASSWORD)) == locked(1)
    clock.advance(1)
    assert answer(sign_in(client, "camille", PASSWORD)) == "signed in"


def test_after_the_lock_the_count_starts_again(client, member, clock, settings):
    settings.LOGIN_LOCKOUT_DURATION = 60  # shorter than the window: the count itself restarts
    for n in range(5):
        sign_in(client, "camille", f"faux-{n}")
    clock.advance(60)
    outcomes = [answer(sign_in(client, "camille", f"faux-{n}")) for n in range(5)]
    assert outcomes == [WRONG_LOGIN] * 4 + [locked(1)]


def test_failures_of_an_earlier_window_are_forgotten(client, member, clock):
    for n in range(4):
        sign_in(client, "camille", f"faux-{n}")
    clock.advance(14 * 60)  # the next window
    outcomes = [answer(sign_in(client, "camille", f"faux-{n}")) for n in range(5)]
    assert outcomes == [WRONG_LOGIN] * 4 + [locked(15)]


def test_a_success_clears_the_accounts_count(client, member, clock):
    for n in range(4):
        sign_in(client, "camille", f"faux-{n}")
    assert answer(sign_in(client, "camille", PASSWORD)) == "signed in"
    client.logout()
    outcomes = [answer(sign_in(client, "camille", f"faux-{n}")) for n in range(5)]
    assert outcomes == [WRONG_LOGIN] * 4 + [locked(15)]


def test_the_account_is_locked_from_every_address_the_others_are_not(client, member, clock):
    other = factories.user_in_group("Équipe", "dominique")
    for n in range(5):
        sign_in(client, "camille", f"faux-{n}", address="192.0.2.10")
    assert answer(sign_in(client, "camille", PASSWORD, address="198.51.100.20")) == locked(15)
    assert answer(sign_in(client, other.username, PASSWORD, address="192.0.2.10")) == "signed in"


def test_the_username_counts_as_people_type_it(client, member, clock):
    for username in ["camille", "Camille", " CAMILLE ", "ｃａｍｉｌｌｅ"]:  # full-width letters
        sign_in(client, username, "faux")
    assert answer(sign_in(client, "camIlle", "faux")) == locked(15)
    assert answer(sign_in(client, "camille", PASSWORD)) == locked(15)


def test_the_twentieth_failure_locks_the_address_for_every_account(client, member, clock, checked):
    outcomes = [answer(sign_in(client, f"inconnu-{n}", "faux")) for n in range(20)]
    assert outcomes == [WRONG_LOGIN] * 19 + [locked(15)]
    assert answer(sign_in(client, "camille", PASSWORD)) == locked(15)
    assert len(checked) == 20
    assert answer(sign_in(client, "camille", PASSWORD, address="198.51.100.20")) == "signed in"


def test_an_ipv6_client_counts_with_its_whole_network(client, member, clock):
    for n in range(20):
        sign_in(client, f"inconnu-{n}", "faux", address=f"2001:db8:1:2::{n + 1:x}")
    assert answer(sign_in(client, "camille", PASSWORD, address="2001:db8:1:2::ff")) == locked(15)
    assert answer(sign_in(client, "camille", PASSWORD, address="2001:db8:1:3::1")) == "signed in"


def test_behind_a_proxy_the_address_it_saw_counts(client, member, clock, settings):
    settings.RATELIMIT_TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        sign_in(client, f"inconnu-{n}", "faux", HTTP_X_FORWARDED_FOR="203.0.113.7")
    # Everyone comes through the proxy's address: only the client it saw is locked.
    seen = {"address": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert answer(sign_in(client, "camille", PASSWORD, **seen)) == locked(15)
    other = {"address": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert answer(sign_in(client, "camille", PASSWORD, **other)) == "signed in"


def test_the_thresholds_are_settings(client, member, clock, settings):
    settings.LOGIN_LOCKOUT_ACCOUNT_FAILURES = 2
    settings.LOGIN_LOCKOUT_DURATION = 120
    outcomes = [answer(sign_in(client, "camille", f"faux-{n}")) for n in range(2)]
    assert outcomes == [WRONG_LOGIN, locked(2)]


def test_an_incomplete_form_counts_nothing(client, member, clock, checked):
    for _ in range(10):
        response = client.post(LOGIN, {"username": "camille", "password": ""})
        assert response.status_code == 200
    assert checked == []
    outcomes = [answer(sign_in(client, "camille", f"faux-{n}")) for n in range(5)]
    assert outcomes == [WRONG_LOGIN] * 4 + [locked(15)]
