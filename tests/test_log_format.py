"""Production's JSON log lines and Sentry events: one object per line, never a status token."""

import json
import logging
import sys

from django.test import RequestFactory

from portal.log_filters import redact_event
from portal.log_format import JsonFormatter


def _record(message, *args, **extra):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_a_line_is_one_json_object_with_the_plain_extras():
    request = RequestFactory().get("/suivi/s3cr3t/")
    line = JsonFormatter().format(
        _record("Not Found: %s", "/suivi/s3cr3t/", status_code=404, request=request, job="digest")
    )
    entry = json.loads(line)
    # The handlers' filter redacts the message before it reaches the formatter (settings).
    assert entry["message"] == "Not Found: /suivi/s3cr3t/"
    assert (entry["level"], entry["logger"], entry["status_code"], entry["job"]) == (
        "WARNING",
        "django.request",
        404,
        "digest",
    )
    # The request object is left out: its text carries the path.
    assert "request" not in entry
    assert entry["time"].endswith("+00:00")


def test_an_extra_text_is_redacted_and_an_exception_kept():
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record("failed", path="/suivi/s3cr3t/rendez-vous/")
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["path"] == "/suivi/[…]/rendez-vous/"
    assert entry["exception"].startswith("Traceback")
    assert entry["exception"].endswith("ValueError: boom")


def test_a_sentry_event_loses_every_status_token():
    event = {
        "request": {"url": "https://te.example/suivi/s3cr3t/", "method": "POST"},
        "breadcrumbs": {"values": [{"message": "GET /suivi/other-token/rendez-vous/1.ics"}]},
        "level": "error",
    }
    assert redact_event(event, {}) == {
        "request": {"url": "https://te.example/suivi/[…]/", "method": "POST"},
        "breadcrumbs": {"values": [{"message": "GET /suivi/[…]/rendez-vous/1.ics"}]},
        "level": "error",
    }
