"""Public POSTs are limited per client; the limit answers a DSFR 429 page."""

import pytest

pytestmark = pytest.mark.django_db


def test_form_posts_beyond_the_limit_get_429(client, form_page, settings):
    for _ in range(settings.RATELIMIT_FORM_POSTS):
        assert client.post(form_page.url, {}).status_code == 400
    response = client.post(form_page.url, {})
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.RATELIMIT_WINDOW)
    html = response.content.decode()
    assert "Trop de demandes" in html and "fr-footer" in html


def test_limit_is_per_client(client, form_page, settings):
    for _ in range(settings.RATELIMIT_FORM_POSTS + 1):
        client.post(form_page.url, {}, REMOTE_ADDR="10.0.0.1")
    assert client.post(form_page.url, {}, REMOTE_ADDR="10.0.0.2").status_code == 400


def test_gets_are_not_limited(client, form_page, settings):
    for _ in range(settings.RATELIMIT_FORM_POSTS + 2):
        assert client.get(form_page.url).status_code == 200


def test_lost_link_form_is_limited_too(client, settings):
    for _ in range(settings.RATELIMIT_FORM_POSTS):
        client.post("/suivi/", {"email": "a@example.fr"})
    assert client.post("/suivi/", {"email": "a@example.fr"}).status_code == 429


def test_an_ipv6_client_counts_once_for_its_whole_64(client, form_page, settings):
    for host in range(settings.RATELIMIT_FORM_POSTS):
        client.post(form_page.url, {}, REMOTE_ADDR=f"2001:db8:1:2::{host + 1:x}")
    assert client.post(form_page.url, {}, REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    assert client.post(form_page.url, {}, REMOTE_ADDR="2001:db8:1:3::1").status_code == 400
