"""The appointment writes of the lifecycle (``lifecycle/appointments.py``) where they can go
wrong: a move to the appointment's own start, and a race lost for every seat of a slot."""

from datetime import datetime, timedelta

import pytest
from django.db import transaction

from intake.booking import PARIS, SlotUnavailable, offered_slot
from intake.lifecycle import appointments, commands
from intake.models import Appointment, OpeningRule, RequestLogEntry
from tests.intake import factories

pytestmark = pytest.mark.django_db

# A Monday afternoon; the slot a week later is open to booking.
NOW = datetime(2026, 1, 5, 15, 10, tzinfo=PARIS)
FIRST = datetime(2026, 1, 12, 14, tzinfo=PARIS)
SECOND = datetime(2026, 1, 12, 14, 30, tzinfo=PARIS)


def test_rescheduling_to_its_own_start_returns_the_appointment_unchanged():
    appointment = appointments.book(factories.intake_request(), FIRST, now=NOW)

    moved = appointments.reschedule(appointment, FIRST, now=NOW)

    assert moved is not None
    assert (moved.pk, moved.starts_at, moved.seat, moved.ics_sequence) == (
        appointment.pk,
        FIRST,
        1,
        0,
    )
    assert RequestLogEntry.objects.count() == 0


def test_the_team_moving_an_appointment_to_its_own_start_logs_nothing(
    team_member, first_slot, committed
):
    request = factories.intake_request(email="contact@example.fr")
    booked = committed(
        commands.team_books,
        request,
        by=team_member,
        starts_at=first_slot.starts_at,
        kind=Appointment.Kind.FIRST_EXCHANGE,
    )
    logged = RequestLogEntry.objects.count()

    moved = committed(
        commands.reschedule,
        booked,
        by=team_member,
        starts_at=booked.starts_at,
        message="Nous gardons ce créneau.",
    )

    assert (moved.pk, moved.starts_at, moved.ics_sequence) == (booked.pk, booked.starts_at, 0)
    assert RequestLogEntry.objects.count() == logged


@pytest.fixture
def race_lost_for_every_seat(monkeypatch):
    """Two seats at FIRST. This booking looks first (both seats free), then two others commit
    both seats before it writes: each of its tries hits the unique constraint."""
    OpeningRule.objects.update(seats=2)
    seen = offered_slot(FIRST, NOW)
    assert (seen.seats, seen.seats_left) == (2, 2)
    winners = [appointments.book(factories.intake_request(), FIRST, now=NOW) for _seat in range(2)]
    monkeypatch.setattr(appointments, "offered_slot", lambda starts_at, now=None: seen)
    monkeypatch.setattr(appointments, "_taken_seats", lambda slot: set())
    return winners


def booked_seats_at(moment):
    return sorted(
        Appointment.objects.booked().filter(starts_at=moment).values_list("seat", flat=True)
    )


def test_losing_the_race_for_every_seat_is_refused_never_a_seat_too_many(
    race_lost_for_every_seat,
):
    loser = factories.intake_request()

    with transaction.atomic():
        with pytest.raises(SlotUnavailable):
            appointments.book(loser, FIRST, now=NOW)
        # The lost tries ran in savepoints: the caller's transaction goes on.
        assert not loser.appointments.exists()

    assert booked_seats_at(FIRST) == [1, 2]
    assert [a.request_id for a in Appointment.objects.order_by("seat")] == [
        winner.request_id for winner in race_lost_for_every_seat
    ]


def test_moving_into_a_slot_whose_every_seat_was_just_taken_leaves_it_where_it_was(
    race_lost_for_every_seat, monkeypatch
):
    appointment = Appointment.objects.create(
        request=factories.intake_request(),
        starts_at=SECOND + timedelta(days=7),
        ends_at=SECOND + timedelta(days=7, minutes=30),
    )

    with pytest.raises(SlotUnavailable):
        appointments.reschedule(appointment, FIRST, now=NOW)

    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.seat, appointment.ics_sequence) == (
        SECOND + timedelta(days=7),
        1,
        0,
    )
    assert booked_seats_at(FIRST) == [1, 2]
