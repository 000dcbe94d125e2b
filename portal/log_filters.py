"""Logging filters: what the portal's logs must never hold."""

import json
import logging
import re

# A status-page path carries the applicant's secret token: whoever reads it can act as them.
STATUS_PATH = re.compile(r"/suivi/[^/\s?#\"'<>]+")
REDACTED_PATH = "/suivi/[…]"


def redact(value):
    """``value`` with every status token replaced; anything but text is left as it is."""
    if isinstance(value, str):
        return STATUS_PATH.sub(REDACTED_PATH, value)
    return value


class RedactStatusTokens(logging.Filter):
    """Rewrites a record's message and arguments (Django's "Not Found: /suivi/…", the
    development server's request line, an access log's atoms) so that no token is written."""

    def filter(self, record):
        record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: redact(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(value) for value in record.args)
        return True


def redact_event(event, hint):
    """Sentry's ``before_send``: the event with every status token replaced (its URL, its
    breadcrumbs, its messages)."""
    return json.loads(redact(json.dumps(event, default=str)))
