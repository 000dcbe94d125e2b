"""Submitting a request: exactly what is stored, once per form, and the races of a double
click or of the last seat, forced here so that they run on SQLite as on PostgreSQL."""

import uuid

import pytest
from django.db import IntegrityError
from django.utils import timezone

from home.models import PortalSettings, Theme
from intake import booking
from intake.lifecycle import submission
from intake.lifecycle.commands import submit
from intake.models import (
    AccessToken,
    Appointment,
    IntakeRequest,
    OutgoingEmail,
    RequestLogEntry,
    hash_token,
)
from intake.workdays import add_working_days
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db


def test_submit_stores_the_request_its_slot_its_link_and_its_emails(
    request_fields, first_slot, committed, settings
):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    portal = PortalSettings.load()
    portal.response_delay_days = 7
    portal.save()
    theme = Theme.objects.create(name="Budget participatif")
    request_fields["themes"] = [theme]
    key = uuid.uuid4()

    submission = committed(submit, request_fields, submission_key=key, slot=first_slot)

    request = submission.intake_request
    assert (submission.created, len(submission.token)) == (True, 43)
    assert request.reference == f"TE-{timezone.localdate().year}-00001"
    assert (request.status, request.submission_key) == ("submitted", key)
    assert request.consent_at == request.created_at
    assert list(request.themes.all()) == [theme]
    today = timezone.localdate()
    assert (request.clock_started_on, request.response_target_days) == (today, 7)
    assert request.response_due_on == add_working_days(today, 7)
    assert request.related_open_request is None
    assert request.collectivite_search_name == ""
    # The confirmation page's link, and the acknowledgement's own, issued as it left.
    tokens = AccessToken.objects.order_by("pk")
    assert [(token.request, token.digest) for token in tokens][0] == (
        request,
        hash_token(submission.token),
    )
    assert tokens.count() == 2
    [appointment] = request.appointments.all()
    assert (appointment.starts_at, appointment.status, appointment.seat) == (
        first_slot.starts_at,
        "booked",
        1,
    )
    [entry] = RequestLogEntry.objects.for_instance(request)
    assert (entry.action, entry.user, entry.data) == ("intake.submitted", None, {})
    assert sorted(email.to[0] for email in OutgoingEmail.objects.all()) == [
        "camille@example.fr",
        "equipe@example.fr",
    ]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_the_same_form_twice_gives_the_first_request(request_fields, first_slot, committed):
    key = uuid.uuid4()
    first = committed(submit, request_fields, submission_key=key, slot=first_slot)
    again = committed(submit, request_fields, submission_key=key, slot=first_slot)
    assert (again.intake_request, again.token, again.created) == (first.intake_request, None, False)
    assert IntakeRequest.objects.count() == 1
    assert Appointment.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2


def test_a_double_click_that_loses_the_race_gives_the_winners_request(
    request_fields, first_slot, committed, monkeypatch
):
    key = uuid.uuid4()
    winner = committed(submit, request_fields, submission_key=key, slot=first_slot)
    # The loser looked before the winner committed: it saw nothing, then hit the unique key.
    real = submission.already_received
    looks = []

    def already_received(submission_key):
        looks.append(submission_key)
        return None if len(looks) == 1 else real(submission_key)

    monkeypatch.setattr(submission, "already_received", already_received)
    loser = committed(submit, request_fields, submission_key=key, slot=first_slot)
    assert looks == [key, key]
    assert (loser.intake_request, loser.token, loser.created) == (
        winner.intake_request,
        None,
        False,
    )
    assert IntakeRequest.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2


def test_another_integrity_error_is_not_hidden(request_fields, committed):
    # A reference taken by a request imported by hand: the counter gives it again.
    intake_request(reference=f"TE-{timezone.localdate().year}-00001")
    with pytest.raises(IntegrityError):
        committed(submit, request_fields, submission_key=uuid.uuid4())
    assert IntakeRequest.objects.count() == 1
    assert OutgoingEmail.objects.count() == 0


def steal_seat_on_first_insert(monkeypatch):
    """Make a concurrent booking commit the seat just before our insert, once."""
    real_create = Appointment.objects.create
    calls = []

    def create(**fields):
        calls.append(fields["seat"])
        if len(calls) == 1:
            rival = intake_request()
            Appointment(
                request=rival,
                starts_at=fields["starts_at"],
                ends_at=fields["ends_at"],
                seat=fields["seat"],
            ).save()
        return real_create(**fields)

    monkeypatch.setattr(Appointment.objects, "create", create)
    return calls


def test_the_last_seat_lost_in_a_race_stores_nothing(
    request_fields, first_slot, committed, monkeypatch
):
    calls = steal_seat_on_first_insert(monkeypatch)
    with pytest.raises(booking.SlotUnavailable):
        committed(submit, request_fields, submission_key=uuid.uuid4(), slot=first_slot)
    assert calls == [1]
    assert IntakeRequest.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_a_seat_lost_in_a_race_takes_the_next_one(
    request_fields, first_slot, committed, monkeypatch
):
    from intake.models import OpeningRule

    OpeningRule.objects.update(seats=2)
    slot = next(s for s in booking.available_slots() if s.starts_at == first_slot.starts_at)
    calls = steal_seat_on_first_insert(monkeypatch)
    submission = committed(submit, request_fields, submission_key=uuid.uuid4(), slot=slot)
    assert calls == [1, 2]
    assert submission.intake_request.appointments.get().seat == 2


def test_an_open_request_of_the_same_collectivite_is_linked(request_fields, fresnes, committed):
    earlier = intake_request(collectivite=fresnes, status="in_review")
    intake_request(collectivite=fresnes, status="closed")
    submission = committed(submit, request_fields, submission_key=uuid.uuid4())
    assert submission.intake_request.related_open_request == earlier


def test_a_typed_collectivite_finds_its_earlier_request(request_fields, committed):
    request_fields.update(
        collectivite=None,
        collectivite_name="Syndicat du Haut-Rhône",
        collectivite_kind="epci",
        collectivite_departement="01",
    )
    first = committed(submit, request_fields, submission_key=uuid.uuid4()).intake_request
    assert first.collectivite_search_name == "syndicat du haut rhone"
    request_fields["collectivite_name"] = "SYNDICAT DU HAUT RHÔNE"
    second = committed(submit, request_fields, submission_key=uuid.uuid4()).intake_request
    assert second.related_open_request == first
    request_fields["collectivite_departement"] = "74"
    third = committed(submit, request_fields, submission_key=uuid.uuid4()).intake_request
    assert third.related_open_request is None
