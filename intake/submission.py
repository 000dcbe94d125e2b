"""Turning a valid request form into a stored request, its appointment and its emails."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import booking, notifications, workflow
from .models import IntakeRequest, ReferenceCounter


@dataclass
class Submission:
    request: IntakeRequest
    token: str | None  # None when the same form was already received
    created: bool


def already_received(submission_key):
    """The request a form with this key created, if it was sent before."""
    if submission_key is None:
        return None
    return IntakeRequest.objects.filter(submission_key=submission_key).first()


def submit(data, submission_key, slot=None):
    """Store the request (and book its slot) in one transaction, exactly once per form.

    Raises booking.SlotUnavailable, leaving nothing behind, when the slot went meanwhile.
    """
    existing = already_received(submission_key)
    if existing:
        return Submission(existing, None, False)
    try:
        with transaction.atomic():
            return _create(data, submission_key, slot)
    except IntegrityError:
        # A concurrent copy of the same form (double click) won the race.
        existing = IntakeRequest.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return Submission(existing, None, False)


def _create(data, submission_key, slot):
    now = timezone.now()
    data = dict(data)
    themes = data.pop("themes", [])
    collectivite = data.get("collectivite")
    request = IntakeRequest(
        **data,
        submission_key=submission_key,
        reference=ReferenceCounter.next_reference(timezone.localdate(now).year),
        consent_at=now,
        created_at=now,
        related_open_request=(
            IntakeRequest.objects.open().for_collectivite(collectivite).first()
            if collectivite
            else None
        ),
    )
    token = request.issue_access_token()
    request.save()
    request.themes.set(themes)
    if slot is not None:
        booking.book(request, slot.starts_at, now=now)
    workflow.log_submission(request)
    notifications.request_submitted(request, token)
    return Submission(request, token, True)
