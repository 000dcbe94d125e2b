"""Builders for intake objects, saved directly: no form, no lifecycle, no email."""

import itertools
import uuid
from datetime import timedelta

from django.utils import timezone

from intake.models import (
    AccessToken,
    Appointment,
    Collectivite,
    ContactRole,
    FirstExchange,
    IntakeRequest,
    Rhythm,
)
from intake.selectors import forget_referential_choices
from intake.text import normalise

_sequence = itertools.count(1)


def intake_request(**fields):
    """A valid, submitted IntakeRequest; any field can be overridden."""
    number = next(_sequence)
    fields.setdefault("reference", f"TE-2026-{number:05d}")
    fields.setdefault("submission_key", uuid.uuid4())
    fields.setdefault("collectivite_name", f"Commune {number}")
    fields.setdefault("collectivite_kind", "commune")
    fields.setdefault("first_name", "Camille")
    fields.setdefault("last_name", f"Martin {number}")
    fields.setdefault("function", "Chargée de mission participation")
    fields.setdefault("role", ContactRole.STAFF)
    fields.setdefault("email", f"contact{number}@example.fr")
    fields.setdefault("phone", "+33123456789")
    fields.setdefault("needs", ["strategy"])
    fields.setdefault("rhythm", Rhythm.ONE_OFF)
    fields.setdefault("context", "Nous voulons associer les habitants au projet de mandat.")
    fields.setdefault("first_exchange", FirstExchange.SLOT)
    fields.setdefault("consent_at", timezone.now())
    request = IntakeRequest(**fields)
    if not request.collectivite_id and not request.collectivite_search_name:
        request.collectivite_search_name = normalise(request.collectivite_name)
    if request.clock_started_on is None:
        request.start_response_clock(timezone.localdate(request.created_at), 5)
        request.decided_at = fields.get("decided_at")  # the clock's start clears it
    request.search_text = request.search_document()
    # The referential's names it read are left for the code under test to cache (tests add
    # départements after their requests).
    forget_referential_choices()
    request.save()
    return request


def held_session(intake_request, days_ago=7):
    """A working session of ``intake_request``, held ``days_ago`` days ago, for an hour."""
    start = timezone.now() - timedelta(days=days_ago)
    return Appointment.objects.create(
        request=intake_request,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        kind=Appointment.Kind.WORKING_SESSION,
        status=Appointment.Status.HELD,
        seat=None,
    )


def status_link(intake_request):
    """A fresh status-page path for ``intake_request``, as an email would carry it."""
    return f"/suivi/{AccessToken.issue(intake_request)}/"


def collectivite(name, kind="commune", **fields):
    """A body of the referential (its searchable names are computed on save)."""
    number = next(_sequence)
    fields.setdefault("code", f"{number:05d}")
    return Collectivite.objects.create(kind=kind, name=name, **fields)
