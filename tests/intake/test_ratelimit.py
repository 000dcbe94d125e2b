"""What a client may spend on the public forms: stored requests, emails sent and spammers
caught count, corrections never do; a limited answer (429) shows the form again with every
value and a clear message."""

import re
import uuid

import pytest
from django.core import mail
from django.core.cache import cache

from intake import ratelimit
from intake.models import IntakeRequest
from tests.intake.conftest import submission_token
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

LIMITED = "Trop de demandes envoyées depuis votre connexion"


@pytest.fixture
def limit(settings):
    settings.RATELIMIT_FORM_POSTS = 3
    return 3


def post_new(client, form_page, valid_data, **extra):
    data = {
        **valid_data,
        "submission": submission_token(key=uuid.uuid4()),
        "first_exchange": "call_back",
        "slot": "",
    }
    return client.post(form_page.url, data, **extra)


def test_corrections_never_hit_the_limit(client, form_page, limit, valid_data):
    invalid = {**valid_data, "email": "pas-une-adresse"}
    for _ in range(limit * 5):
        response = client.post(form_page.url, invalid)
        assert response.status_code == 400
    assert post_new(client, form_page, valid_data).status_code == 302


def test_a_limited_answer_keeps_everything_typed(client, form_page, limit, valid_data):
    for _ in range(limit):
        assert post_new(client, form_page, valid_data).status_code == 302
    response = post_new(client, form_page, valid_data)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert LIMITED in html
    assert 'value="camille.martin@example.fr"' in html
    assert "Nous voulons reconstituer un service participation." in html
    assert IntakeRequest.objects.count() == limit


def test_the_honeypot_spends_too(client, form_page, limit, valid_data):
    for _ in range(limit):
        client.post(form_page.url, {**valid_data, "website": "http://spam.example"})
    assert IntakeRequest.objects.count() == 0
    assert post_new(client, form_page, valid_data).status_code == 429


def test_replaying_the_same_form_costs_nothing(client, form_page, limit, valid_data):
    data = {**valid_data, "first_exchange": "call_back", "slot": ""}
    for _ in range(limit * 2):
        assert client.post(form_page.url, data).status_code == 302
    assert IntakeRequest.objects.count() == 1


def test_limit_is_per_client(client, form_page, limit, valid_data):
    for _ in range(limit):
        post_new(client, form_page, valid_data, REMOTE_ADDR="10.0.0.1")
    assert post_new(client, form_page, valid_data, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert post_new(client, form_page, valid_data, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_an_ipv6_client_counts_once_for_its_whole_64(client, form_page, limit, valid_data):
    for host in range(limit):
        post_new(client, form_page, valid_data, REMOTE_ADDR=f"2001:db8:1:2::{host + 1:x}")
    assert (
        post_new(client, form_page, valid_data, REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    )
    assert post_new(client, form_page, valid_data, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def through(proxies, client_address, spoofed=None):
    """The headers the app gets from a client behind ``proxies`` reverse proxies, each of
    which appends whom it heard from (the last one is the peer); a client may have written
    its own X-Forwarded-For, ``spoofed``."""
    chain = [client_address] + [f"10.0.0.{hop}" for hop in range(1, proxies + 1)]
    forwarded = [spoofed, *chain[:-1]] if spoofed else chain[:-1]
    return {"REMOTE_ADDR": chain[-1], "HTTP_X_FORWARDED_FOR": ", ".join(forwarded)}


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_proxies_the_forwarded_clients_are_counted_apart(
    client, form_page, limit, valid_data, settings, proxies
):
    settings.RATELIMIT_TRUSTED_PROXY_COUNT = proxies
    for _ in range(limit):
        post_new(client, form_page, valid_data, **through(proxies, "203.0.113.1"))
    assert (
        post_new(client, form_page, valid_data, **through(proxies, "203.0.113.1")).status_code
        == 429
    )
    assert (
        post_new(client, form_page, valid_data, **through(proxies, "203.0.113.2")).status_code
        == 302
    )


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_a_spoofed_forwarded_address_changes_nothing(
    client, form_page, limit, valid_data, settings, proxies
):
    settings.RATELIMIT_TRUSTED_PROXY_COUNT = proxies
    for number in range(limit):
        headers = through(proxies, "203.0.113.1", spoofed=f"198.51.100.{number}")
        assert post_new(client, form_page, valid_data, **headers).status_code == 302
    headers = through(proxies, "203.0.113.1", spoofed="198.51.100.99")
    assert post_new(client, form_page, valid_data, **headers).status_code == 429


@pytest.mark.parametrize(
    "proxies, forwarded, peer, key",
    [
        (0, "198.51.100.9", "203.0.113.7", "203.0.113.7"),  # no proxy: the header is a claim
        (1, "198.51.100.9, 203.0.113.7", "10.0.0.1", "203.0.113.7"),
        (2, "198.51.100.9, 203.0.113.7, 10.0.0.1", "10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.2", "203.0.113.7"),  # it reached the inner proxy
        (1, "", "203.0.113.7", "203.0.113.7"),  # it reached the app itself
        (1, "203.0.113.7:51000", "10.0.0.1", "203.0.113.7"),
        (1, "[2001:db8:1:2::7]:443", "10.0.0.1", "2001:db8:1:2::/64"),
        (0, "", "::ffff:203.0.113.7", "203.0.113.7"),
        (1, "unknown", "10.0.0.1", None),
        (1, "203.0.113.7, ", "10.0.0.1", None),
        (2, "198.51.100.9, _hidden, 10.0.0.1", "10.0.0.2", None),
        (0, "203.0.113.7", "", None),
    ],
)
def test_the_client_is_the_hop_before_the_trusted_proxies(
    rf, settings, proxies, forwarded, peer, key
):
    settings.RATELIMIT_TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=peer)
    assert ratelimit.client_key(request) == key


def test_a_request_that_tells_no_address_is_refused_alone(client, form_page, limit, valid_data):
    for _ in range(2):
        response = post_new(client, form_page, valid_data, REMOTE_ADDR="")
        assert response.status_code == 429
        assert LIMITED in response.content.decode()
    assert IntakeRequest.objects.count() == 0
    for host in range(1, limit + 1):
        response = post_new(client, form_page, valid_data, REMOTE_ADDR=f"203.0.113.{host}")
        assert response.status_code == 302


def test_the_status_page_and_the_lost_link_refuse_a_request_without_address(
    client, submitted, committed
):
    response = client.post(
        f"/suivi/{submitted.token}/",
        {"action": "message", "message-body": "Bonjour"},
        REMOTE_ADDR="",
    )
    assert response.status_code == 429
    assert "Bonjour" in response.content.decode()
    response = committed(client.post, "/suivi/", {"email": "camille@example.fr"}, REMOTE_ADDR="")
    assert response.status_code == 429
    assert submitted.intake_request.messages.count() == 0
    assert mail.outbox == []


def test_each_address_and_each_scope_has_its_own_count():
    for _ in range(3):
        ratelimit.spend("forms", "203.0.113.1", 600)
    ratelimit.spend("forms", "203.0.113.2", 600)
    assert ratelimit.spent("forms", "203.0.113.1") == 3
    assert ratelimit.spent("forms", "203.0.113.2") == 1
    assert ratelimit.spent("forms", "203.0.113.3") == 0
    assert ratelimit.spent("status-links", "203.0.113.1") == 0


def test_a_status_link_address_has_its_own_count(client, settings, committed):
    settings.RATELIMIT_LINKS_PER_ADDRESS = 1
    intake_request(email="camille@example.fr")
    intake_request(email="dominique@example.fr")
    for _ in range(2):
        committed(client.post, "/suivi/", {"email": "camille@example.fr"})
    committed(client.post, "/suivi/", {"email": "dominique@example.fr"})
    assert sorted(message.to[0] for message in mail.outbox) == [
        "camille@example.fr",
        "dominique@example.fr",
    ]


class VanishingCache:
    """The shared cache, where a count expires between ``add`` (which finds it) and ``incr``:
    the local-memory cache then raises ValueError; Redis's INCR makes the key anew, at 1 and
    without an expiry (``recreates``)."""

    def __init__(self, recreates=False):
        self.recreates = recreates
        self.timeouts = []

    def add(self, key, value, timeout):
        return cache.add(key, value, timeout=timeout)

    def incr(self, key):
        cache.delete(key)
        if self.recreates:
            cache.set(key, 1, timeout=None)
            return 1
        return cache.incr(key)

    def set(self, key, value, timeout):
        self.timeouts.append(timeout)
        cache.set(key, value, timeout=timeout)


@pytest.mark.parametrize("recreates", [False, True], ids=["local-memory", "redis"])
def test_a_count_that_expires_before_its_increment_starts_a_new_window(monkeypatch, recreates):
    assert ratelimit.spend("forms", "203.0.113.1", 600) == 1
    assert ratelimit.spend("forms", "203.0.113.1", 600) == 2
    vanishing = VanishingCache(recreates)
    monkeypatch.setattr(ratelimit, "cache", vanishing)
    assert ratelimit.spend("forms", "203.0.113.1", 600) == 1
    assert vanishing.timeouts == [600]  # the new count expires: it never counts forever
    monkeypatch.undo()
    assert ratelimit.spent("forms", "203.0.113.1") == 1
    assert ratelimit.spend("forms", "203.0.113.1", 600) == 2


def test_gets_are_not_limited(client, form_page, limit):
    for _ in range(limit + 2):
        assert client.get(form_page.url).status_code == 200


def test_lost_link_is_limited_per_client_and_per_address(client, settings, committed):
    settings.RATELIMIT_FORM_POSTS = 10
    settings.RATELIMIT_LINKS_PER_ADDRESS = 2
    intake_request(email="camille@example.fr")
    for _ in range(4):
        response = committed(client.post, "/suivi/", {"email": "Camille@example.fr"})
        assert response.status_code == 200
        assert "un nouveau lien de suivi lui est envoyé" in response.content.decode()
    assert len(mail.outbox) == 2  # the address gets two, however often it is asked
    settings.RATELIMIT_FORM_POSTS = 4
    response = client.post("/suivi/", {"email": "autre@example.fr"})
    assert response.status_code == 429
    assert LIMITED in response.content.decode()
    assert 'value="autre@example.fr"' in response.content.decode()


def test_a_wrong_address_is_a_correction(client, settings):
    settings.RATELIMIT_FORM_POSTS = 1
    for _ in range(3):
        response = client.post("/suivi/", {"email": "pas-une-adresse"})
        assert response.status_code == 400
        assert "Saisissez une adresse" in response.content.decode()


def test_the_status_page_counts_what_it_sends(client, settings, submitted):
    settings.RATELIMIT_FORM_POSTS = 2
    url = f"/suivi/{submitted.token}/"
    for _ in range(3):
        assert client.post(url, {"action": "message", "message-body": ""}).status_code == 400
    for number in range(2):
        response = client.post(url, {"action": "message", "message-body": f"Message {number}"})
        assert response.status_code == 302
    response = client.post(url, {"action": "message", "message-body": "Encore un"})
    assert response.status_code == 429
    html = response.content.decode()
    assert LIMITED in html and "Encore un" in html
    assert list(submitted.intake_request.messages.values_list("body", flat=True)) == [
        "Message 0",
        "Message 1",
    ]


def answer_of(response):
    """The lost-link form's answer, without the page around it (its CSRF token varies)."""
    html = response.content.decode()
    start = html.index('<div class="fr-alert fr-alert--info')
    return html[start : html.index("</div>", start)]


def test_a_stranger_spending_an_address_quota_leaves_its_owner_a_working_link(
    client, settings, committed
):
    settings.RATELIMIT_LINKS_PER_ADDRESS = 3
    owned = intake_request(email="camille@example.fr")
    for _ in range(3):
        committed(
            client.post, "/suivi/", {"email": "camille@example.fr"}, REMOTE_ADDR="198.51.100.66"
        )
    assert len(mail.outbox) == 3
    owner = committed(
        client.post, "/suivi/", {"email": "camille@example.fr"}, REMOTE_ADDR="203.0.113.5"
    )
    nobody = committed(
        client.post, "/suivi/", {"email": "personne@example.fr"}, REMOTE_ADDR="203.0.113.5"
    )
    assert owner.status_code == nobody.status_code == 200
    assert answer_of(owner) == answer_of(nobody)  # nothing tells whether a request exists
    assert (
        "Une même adresse reçoit au plus 3 liens en 10 minutes, quelle que soit la personne qui "
        "les demande. Tous les liens déjà reçus restent valables : le dernier courriel reçu "
        "vous mène à votre demande."
    ) in answer_of(owner)
    assert len(mail.outbox) == 3  # the quota held
    [token] = re.findall(r"/suivi/([^/\s]+)/", mail.outbox[-1].body)
    response = client.get(f"/suivi/{token}/")
    assert response.status_code == 200
    assert owned.reference in response.content.decode()
