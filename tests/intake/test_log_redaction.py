"""No status token reaches a log: whoever reads the logs must not be able to act as the
applicant. The tests run with the LOGGING of portal/settings/base.py, which production keeps."""

import logging

import pytest
from django.test import Client

from portal.log_filters import RedactStatusTokens
from tests.intake.factories import intake_request, status_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(db):
    """The status page of a request without an appointment."""
    return status_link(intake_request())


def logged(caplog):
    return [(record.name, record.levelname, record.getMessage()) for record in caplog.records]


def assert_no_token(caplog, link):
    token = link.split("/")[2]
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in str(record.msg)
        assert token not in repr(record.args)


def test_a_failed_status_page_post_is_logged_without_its_token(client, link, caplog):
    with caplog.at_level(logging.INFO):
        response = client.post(link, {"action": "message", "message-body": ""})
    assert response.status_code == 400
    assert logged(caplog) == [("django.request", "WARNING", "Bad Request: /suivi/[…]/")]
    assert_no_token(caplog, link)


def test_the_calendar_of_a_request_without_appointment_is_logged_without_its_token(
    client, link, caplog
):
    with caplog.at_level(logging.INFO):
        response = client.get(f"{link}rendez-vous.ics")
    assert response.status_code == 404
    assert logged(caplog) == [
        ("django.request", "WARNING", "Not Found: /suivi/[…]/rendez-vous.ics")
    ]
    assert_no_token(caplog, link)


def test_a_rate_limited_post_is_logged_without_its_token(client, link, caplog, settings):
    settings.RATELIMIT_FORM_POSTS = 0
    with caplog.at_level(logging.INFO):
        response = client.post(link, {"action": "message", "message-body": "Bonjour"})
    assert response.status_code == 429
    assert logged(caplog) == [("django.request", "WARNING", "Too Many Requests: /suivi/[…]/")]
    assert_no_token(caplog, link)


def test_a_refused_csrf_token_is_logged_without_its_token(link, caplog):
    with caplog.at_level(logging.INFO):
        response = Client(enforce_csrf_checks=True).post(link, {"action": "message"})
    assert response.status_code == 403
    assert logged(caplog) == [
        ("django.security.csrf", "WARNING", "Forbidden (CSRF cookie not set.): /suivi/[…]/")
    ]
    assert_no_token(caplog, link)


def test_the_development_servers_request_lines_are_logged_without_their_token(link, caplog):
    server = logging.getLogger("django.server")  # it does not propagate: listen to it directly
    server.addHandler(caplog.handler)
    try:
        server.info('"%s" %s %s', f"GET {link} HTTP/1.1", "200", "1234")
    finally:
        server.removeHandler(caplog.handler)
    assert logged(caplog) == [("django.server", "INFO", '"GET /suivi/[…]/ HTTP/1.1" 200 1234')]


def test_any_other_record_is_redacted_on_its_way_out(link):
    [console] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(check, RedactStatusTokens) for check in handler.filters)
    ]
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, "%(r)s %(f)s", None, None
    )
    record.args = {"r": f"GET {link} HTTP/1.1", "f": f"https://example.fr{link}"}
    assert console.filter(record)
    assert record.getMessage() == "GET /suivi/[…]/ HTTP/1.1 https://example.fr/suivi/[…]/"


def test_the_lost_link_page_keeps_its_path(client, caplog):
    with caplog.at_level(logging.INFO):
        client.post("/suivi/", {"email": "pas-une-adresse"})
    assert logged(caplog) == [("django.request", "WARNING", "Bad Request: /suivi/")]


def test_a_missing_attachment_is_logged_without_its_token(client, link, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get(f"{link}pieces-jointes/999/")
    assert response.status_code == 404
    assert logged(caplog) == [
        ("django.request", "WARNING", "Not Found: /suivi/[…]/pieces-jointes/999/")
    ]
    assert_no_token(caplog, link)
