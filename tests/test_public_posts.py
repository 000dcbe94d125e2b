"""The public forms that Wagtail and Django answer themselves: a wrong password costs its
client, past the limit the form answers 429 without trying; a password reset emails one
account a few times per window, whoever asks, and the answer never changes."""

import re

import pytest
from django.core import mail
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db

RESET_URL = "/admin/password_reset/"
RESET_DONE = "/admin/password_reset/done/"
TOO_MANY = "Trop de tentatives"


@pytest.fixture
def limit(settings):
    settings.RATELIMIT_FORM_POSTS = 3
    return 3


@pytest.fixture
def staff(db):
    return factories.user_in_group("Équipe", "camille.agent")


def reset(client, email, address="203.0.113.5"):
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address)


def test_five_resets_email_the_account_three_times_and_the_latest_lets_it_in(
    client, settings, staff
):
    settings.RATELIMIT_FORM_POSTS = 10
    settings.RATELIMIT_RESETS_PER_ACCOUNT = 3
    for number in range(5):
        response = reset(client, staff.email, address=f"198.51.100.{number}")
        assert (response.status_code, response["Location"]) == (302, RESET_DONE)
    assert [message.to for message in mail.outbox] == [[staff.email]] * 3
    [path] = re.findall(r"/admin/password_reset/confirm/\S+/", mail.outbox[-1].body)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert 'name="new_password1"' in response.content.decode()


def test_a_client_pays_for_every_reset_it_asks(client, limit, staff):
    for number in range(limit):
        reset(client, f"personne{number}@example.org")
    response = reset(client, staff.email)
    assert (response.status_code, response["Location"]) == (302, RESET_DONE)
    assert mail.outbox == []
    reset(client, staff.email, address="203.0.113.6")
    assert [message.to for message in mail.outbox] == [[staff.email]]


def test_a_reset_without_client_address_sends_nothing(client, staff):
    response = reset(client, staff.email, address="")
    assert (response.status_code, response["Location"]) == (302, RESET_DONE)
    assert mail.outbox == []


# The admin sign-in has its lockout instead (tests/test_login_lockout.py).
@pytest.mark.parametrize("url", ["/_util/login/"])
def test_wrong_passwords_cost_their_client_right_ones_nothing(client, limit, staff, url):
    wrong = {"username": staff.username, "password": "pas-le-bon"}
    right = {"username": staff.username, "password": "motdepasse-test"}
    for _ in range(limit + 2):
        client.logout()
        assert client.post(url, right, REMOTE_ADDR="198.51.100.7").status_code == 302
    client.logout()
    for _ in range(limit):
        assert client.post(url, wrong, REMOTE_ADDR="198.51.100.7").status_code == 200
    response = client.post(url, right, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.post(url, right, REMOTE_ADDR="203.0.113.5").status_code == 302


def assert_guesses_limited(client, url, limit):
    """Past ``limit`` wrong guesses, even the right password ("sesame") is refused to that
    client, not to another."""
    for _ in range(limit):
        guess = {"password": "devine", "return_url": "/"}
        assert client.post(url, guess, REMOTE_ADDR="198.51.100.7").status_code == 200
    right = {"password": "sesame", "return_url": "/"}
    assert client.post(url, right, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.post(url, right, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_a_shared_page_password_is_not_guessed(client, limit, home):
    restriction = PageViewRestriction.objects.create(
        page=home, restriction_type=PageViewRestriction.PASSWORD, password="sesame"
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{home.pk}/"
    assert_guesses_limited(client, url, limit)


def test_a_shared_collection_password_is_not_guessed(client, limit):
    restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(),
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="sesame",
    )
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    assert_guesses_limited(client, url, limit)
