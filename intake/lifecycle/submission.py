"""A request sent through the public form: the signed key of each filling of the form, and
the one transaction that stores the request, books its slot and schedules its emails."""

import time
import uuid
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from home.models import PortalSettings

from .. import notifications
from ..models import AccessToken, IntakeRequest, ReferenceCounter
from ..text import normalise
from . import appointments
from .base import _log

FORM_MAX_AGE = 60 * 60 * 24  # a form left open for a day must be reloaded
SIGNING_SALT = "intake.request-form"


def read_submission_token(token):
    """(key, started) of a form token; raises signing.BadSignature or SignatureExpired."""
    payload = signing.loads(token, salt=SIGNING_SALT, max_age=FORM_MAX_AGE)
    return uuid.UUID(payload["key"]), payload["started"]


def submission_key(token):
    """The key a form token carries, or None when it is not one of ours."""
    try:
        return read_submission_token(token)[0]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def new_submission_token():
    """A signed, timestamped key identifying one filling of the form."""
    return signing.dumps({"key": str(uuid.uuid4()), "started": time.time()}, salt=SIGNING_SALT)


@dataclass
class Submission:
    intake_request: IntakeRequest
    token: str | None  # None when the same form was already received
    created: bool


def already_received(submission_key):
    """The request a form with this key created, if it was sent before."""
    if submission_key is None:
        return None
    return IntakeRequest.objects.filter(submission_key=submission_key).first()


def submit(data, *, submission_key, slot=None, **create):
    """Store the request (and book its slot) in one transaction, exactly once per form.

    Raises booking.SlotUnavailable, leaving nothing behind, when the slot went meanwhile.
    ``create`` is what a request typed in by the team adds (see ``contacts.register``).
    """
    existing = already_received(submission_key)
    if existing:
        return Submission(existing, None, False)
    try:
        with transaction.atomic():
            return _create(data, submission_key, slot, **create)
    except IntegrityError:
        # A concurrent copy of the same form (double click) won the race.
        existing = already_received(submission_key)
        if existing is None:
            raise
        return Submission(existing, None, False)


def _create(data, submission_key, slot, *, by=None, action="intake.submitted", **log_data):
    """Store a new request: the applicant's (``by`` None) or one the team types in for them,
    whose ``data`` then says when and how the consent was given."""
    now = timezone.now()
    today = timezone.localdate(now)
    data = dict(data)
    themes = data.pop("themes", [])
    collectivite = data.get("collectivite")
    intake_request = IntakeRequest(
        **{"consent_at": now, **data},
        submission_key=submission_key,
        reference=ReferenceCounter.next_reference(today.year),
        created_at=now,
        collectivite_search_name="" if collectivite else normalise(data["collectivite_name"]),
    )
    intake_request.start_response_clock(today, PortalSettings.load().response_delay_days)
    intake_request.related_open_request = (
        IntakeRequest.objects.open().same_collectivite_as(intake_request).first()
    )
    intake_request.save()
    intake_request.themes.set(themes)
    token = AccessToken.issue(intake_request)
    if slot is not None:
        appointments.book(intake_request, slot.starts_at, now=now)
    _log(intake_request, action, by, **log_data)
    notifications.request_submitted(intake_request)
    return Submission(intake_request, token, True)
