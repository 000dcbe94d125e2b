"""Redis down: pages are still served from the database, the rate limits and the sign-in
lockout still count (in each process), and the outage is logged once a minute, not per call."""

import logging

import pytest
from django.core.cache import cache

from intake import ratelimit
from portal import cache as portal_cache
from tests import factories
from tests.test_login_lockout import PASSWORD, answer, locked, sign_in

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every command fails at once with a connection error.
UNREACHABLE = {
    "default": {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
}
OUTAGE = (
    "Redis is unreachable (ConnectionError: Error 111 connecting to 127.0.0.1:1. Connection "
    "refused.): cache misses, rate limits and lockouts counted in this process"
)


@pytest.fixture
def redis_down(settings):
    settings.CACHES = UNREACHABLE
    yield cache


def test_reads_miss_and_writes_are_dropped(redis_down):
    assert redis_down.set("page", "html") is None
    assert redis_down.get("page") is None
    assert redis_down.get("page", "fallback") == "fallback"
    assert redis_down.get_many(["page", "menu"]) == {}
    assert redis_down.add("page", "html") is False
    assert redis_down.get_or_set("menu", lambda: ["la-cellule"]) == ["la-cellule"]
    assert redis_down.delete("page") is False
    assert redis_down.has_key("page") is False


def test_the_outage_is_logged_once_a_minute(redis_down, caplog, monkeypatch):
    clock = iter([1000.0, 1001.0, 1059.0, 1060.0])
    monkeypatch.setattr(portal_cache, "clock", lambda: next(clock))
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        for _ in range(4):
            redis_down.get("page")
    assert caplog.messages == [OUTAGE, OUTAGE]


def test_public_pages_are_served_from_the_database(redis_down, client, home, caplog):
    factories.content_page(home, title="La cellule", slug="la-cellule")
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        assert client.get("/").status_code == 200
        assert client.get("/la-cellule/").status_code == 200
    assert caplog.messages[:1] == [OUTAGE]


def test_a_rate_limit_still_holds(redis_down):
    spent = [ratelimit.within("forms", "192.0.2.1", 3, 600) for _ in range(5)]
    assert spent == [True, True, True, False, False]
    # Another client has its own count.
    assert ratelimit.within("forms", "192.0.2.2", 3, 600) is True
    ratelimit.forget("forms", "192.0.2.1")
    assert ratelimit.within("forms", "192.0.2.1", 3, 600) is True


def test_the_sign_in_lockout_still_holds(redis_down, client):
    factories.user_in_group("Équipe", "camille")
    outcomes = [answer(sign_in(client, "camille", f"faux-{n}")) for n in range(5)]
    assert outcomes[-1] == locked(15)
    assert answer(sign_in(client, "camille", PASSWORD)) == locked(15)


def test_the_health_check_reports_the_cache(redis_down, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "status": "fail",
        "error": "RuntimeError: the cache does not return what was stored",
    }
    assert response.json()["checks"]["database"] == {"status": "ok"}


def test_with_redis_up_nothing_falls_back(settings):
    settings.CACHES = {**UNREACHABLE}
    settings.CACHES["default"] = {
        **UNREACHABLE["default"],
        "LOCATION": "redis://127.0.0.1:6379/13",
        "KEY_PREFIX": "resilience-test",
    }
    cache.set("page", "html")
    assert cache.get("page") == "html"
    assert ratelimit.within("forms", "192.0.2.9", 1, 600) is True
    assert ratelimit.within("forms", "192.0.2.9", 1, 600) is False
    # Counted in Redis, not in the process: the fallback holds nothing.
    assert cache._local.get("ratelimit:forms:192.0.2.9") is None
    cache.clear()
