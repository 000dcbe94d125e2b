"""Booking in the Monday permanence: holidays, closures, window, seats, races, admin screens."""

import re
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from intake import booking
from intake.booking import PARIS, AppointmentNotBooked, SlotUnavailable
from intake.lifecycle import appointments
from intake.models import Appointment, Closure, OpeningRule
from tests.intake import factories


def paris(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def monday_rule(**fields):
    """The permanence as the migration creates it, unsaved: pure functions need no database."""
    fields = {"weekday": 0, "start_time": time(14), "end_time": time(17), **fields}
    return OpeningRule(**fields)


def whole_day(day):
    return paris(day.year, day.month, day.day), paris(day.year, day.month, day.day, 23, 59)


def slots_on(day, rules=None, closures=(), booked=None):
    return booking.slots_between(rules or [monday_rule()], closures, booked or {}, *whole_day(day))


# A Monday afternoon, in the middle of the permanence. Its window opens on Wednesday
# 7 January (two whole days later) and closes on Monday 2 March at 15:10.
NOW = paris(2026, 1, 5, 15, 10)
FIRST = paris(2026, 1, 12, 14)
SECOND = paris(2026, 1, 12, 14, 30)


# Public holidays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "monday",
    [date(2026, 4, 6), date(2026, 5, 25), date(2027, 3, 29), date(2027, 5, 17)],
    ids=["easter-2026", "whit-2026", "easter-2027", "whit-2027"],
)
def test_easter_and_whit_mondays_offer_no_slot(monday):
    assert monday.weekday() == 0
    assert slots_on(monday) == []


def test_a_holiday_on_another_weekday_closes_that_weekday():
    thursday_rule = monday_rule(weekday=3)
    assert slots_on(date(2026, 5, 14), rules=[thursday_rule]) == []  # Ascension
    assert len(slots_on(date(2026, 5, 21), rules=[thursday_rule])) == 6


# Slots -------------------------------------------------------------------------------------


def test_a_monday_offers_six_half_hour_slots_from_14_to_17_paris_time():
    slots = slots_on(date(2026, 1, 12))

    assert [slot.starts_at for slot in slots] == [
        paris(2026, 1, 12, 14),
        paris(2026, 1, 12, 14, 30),
        paris(2026, 1, 12, 15),
        paris(2026, 1, 12, 15, 30),
        paris(2026, 1, 12, 16),
        paris(2026, 1, 12, 16, 30),
    ]
    assert all((slot.ends_at - slot.starts_at).total_seconds() == 30 * 60 for slot in slots)
    assert slots[-1].ends_at == paris(2026, 1, 12, 17)
    assert {(slot.seats, slot.seats_left) for slot in slots} == {(1, 1)}


def test_other_days_offer_nothing():
    for day in range(13, 19):
        assert slots_on(date(2026, 1, day)) == []


@pytest.mark.parametrize(
    "monday, utc_hour",
    [
        (date(2026, 1, 12), 13),  # winter time, UTC+1
        (date(2026, 3, 30), 12),  # the day after the change to summer time, UTC+2
        (date(2026, 7, 6), 12),  # summer time
        (date(2026, 10, 26), 13),  # the day after the change back to winter time
    ],
)
def test_slots_follow_the_paris_wall_clock_across_daylight_saving(monday, utc_hour):
    slots = slots_on(monday)

    assert len(slots) == 6
    assert slots[0].starts_at.astimezone(PARIS).time() == time(14)
    assert slots[-1].ends_at.astimezone(PARIS).time() == time(17)
    assert slots[0].starts_at.astimezone(UTC).hour == utc_hour


def test_a_slot_is_offered_only_while_it_fits_the_opening():
    rule = monday_rule(start_time=time(14), end_time=time(15, 40), slot_minutes=45)
    slots = slots_on(date(2026, 1, 12), rules=[rule])
    assert [slot.starts_at.time() for slot in slots] == [time(14), time(14, 45)]


def test_booked_seats_are_subtracted_and_full_slots_disappear():
    rule = monday_rule(seats=2)
    booked = {paris(2026, 1, 12, 14): 2, paris(2026, 1, 12, 14, 30).astimezone(UTC): 1}

    slots = slots_on(date(2026, 1, 12), rules=[rule], booked=booked)

    assert slots[0].starts_at == paris(2026, 1, 12, 14, 30)
    assert slots[0].seats_left == 1
    assert len(slots) == 5


def test_closures_remove_their_days_bounds_included():
    winter_break = Closure(start_date=date(2025, 12, 22), end_date=date(2026, 1, 12))
    one_day = Closure(start_date=date(2026, 1, 26), end_date=date(2026, 1, 26))

    slots = booking.slots_between(
        [monday_rule()], [winter_break, one_day], {}, paris(2025, 12, 15), paris(2026, 2, 3)
    )

    assert sorted({slot.starts_at.date() for slot in slots}) == [
        date(2025, 12, 15),
        date(2026, 1, 19),
        date(2026, 2, 2),
    ]


def test_slots_between_keeps_to_its_bounds():
    slots = booking.slots_between(
        [monday_rule()], [], {}, paris(2026, 1, 12, 14, 30), paris(2026, 1, 12, 16)
    )
    assert [slot.starts_at.time() for slot in slots] == [
        time(14, 30),
        time(15),
        time(15, 30),
        time(16),
    ]


def test_a_rule_ending_on_an_odd_minute_offers_only_the_slots_that_fit():
    rule = monday_rule(start_time=time(14), end_time=time(16, 59), slot_minutes=30)
    slots = slots_on(date(2026, 1, 12), rules=[rule])
    assert [slot.starts_at.time() for slot in slots] == [
        time(14),
        time(14, 30),
        time(15),
        time(15, 30),
        time(16),
    ]
    assert slots[-1].ends_at == paris(2026, 1, 12, 16, 30)


@pytest.mark.parametrize("seats", [(1, 3), (3, 1)], ids=["larger-second", "larger-first"])
def test_two_rules_offering_one_start_give_it_the_larger_number_of_seats(seats):
    rules = [monday_rule(seats=seats[0]), monday_rule(end_time=time(15), seats=seats[1])]
    booked = {paris(2026, 1, 12, 14): 1}
    slots = slots_on(date(2026, 1, 12), rules=rules, booked=booked)
    assert [(slot.starts_at.time(), slot.seats, slot.seats_left) for slot in slots[:3]] == [
        (time(14), 3, 2),
        (time(14, 30), 3, 3),
        (time(15), seats[0], seats[0]),  # the first rule's alone
    ]


def night_rule():
    """A Sunday rule over the hours when the clocks change (02:00 in Paris)."""
    return monday_rule(weekday=6, start_time=time(1), end_time=time(4), slot_minutes=30)


def utc(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_no_slot_starts_in_the_hour_spring_skips():
    # 29 March 2026: at 02:00 (UTC+1) the clocks go to 03:00 (UTC+2).
    slots = slots_on(date(2026, 3, 29), rules=[night_rule()])
    assert [(slot.starts_at.astimezone(UTC), slot.ends_at.astimezone(UTC)) for slot in slots] == [
        (utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 30)),  # 01:00
        (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1)),  # 01:30, ends at 03:00 (UTC+2)
        (utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30)),  # 03:00
        (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2)),  # 03:30
    ]
    assert [slot.starts_at.astimezone(PARIS).time() for slot in slots] == [
        time(1),
        time(1, 30),
        time(3),
        time(3, 30),
    ]


def test_the_hour_autumn_repeats_is_offered_once_and_every_slot_lasts_its_length():
    # 25 October 2026: at 03:00 (UTC+2) the clocks go back to 02:00 (UTC+1).
    slots = slots_on(date(2026, 10, 25), rules=[night_rule()])
    assert [slot.starts_at.astimezone(UTC) for slot in slots] == [
        utc(2026, 10, 24, 23),  # 01:00 (UTC+2)
        utc(2026, 10, 24, 23, 30),
        utc(2026, 10, 25, 0),  # 02:00, its first occurrence (UTC+2)
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 25, 2),  # 03:00 (UTC+1)
        utc(2026, 10, 25, 2, 30),
    ]
    # Elapsed time, in UTC: Python subtracts two Paris times by their wall clocks.
    spans = [(slot.starts_at.astimezone(UTC), slot.ends_at.astimezone(UTC)) for slot in slots]
    assert {end - start for start, end in spans} == {timedelta(minutes=30)}
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:], strict=False))


# Available slots (database) ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_creates_the_monday_permanence():
    rule = OpeningRule.objects.get()
    assert (rule.weekday, rule.start_time, rule.end_time) == (0, time(14), time(17))
    assert (rule.slot_minutes, rule.seats) == (30, 1)
    assert (rule.min_days_ahead, rule.max_days_ahead) == (2, 56)
    assert rule.active


@pytest.mark.django_db
def test_available_slots_span_two_days_to_eight_weeks_ahead():
    slots = booking.available_slots(now=NOW)

    # Seven full Mondays (12 January to 23 February), then 2 March until 15:10.
    assert len(slots) == 7 * 6 + 3
    assert slots[0].starts_at == FIRST
    assert slots[-1].starts_at == paris(2026, 3, 2, 15)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now, first",
    [
        (paris(2026, 1, 10, 10), paris(2026, 1, 12, 14)),  # Saturday: Monday is 2 days ahead
        (paris(2026, 1, 10, 23, 59), paris(2026, 1, 12, 14)),
        (paris(2026, 1, 11, 0, 1), paris(2026, 1, 19, 14)),  # Sunday: Monday is too close
        (paris(2026, 1, 12, 13), paris(2026, 1, 19, 14)),  # never today
    ],
)
def test_a_slot_opens_two_whole_days_ahead(now, first):
    assert booking.available_slots(now=now)[0].starts_at == first


@pytest.mark.django_db
def test_available_slots_skip_holidays_and_stored_closures():
    Closure.objects.create(
        start_date=date(2026, 4, 13), end_date=date(2026, 4, 13), reason="Séminaire"
    )
    now = paris(2026, 3, 30, 9)

    days = {slot.starts_at.date() for slot in booking.available_slots(now=now)}

    assert date(2026, 4, 6) not in days  # Easter Monday
    assert date(2026, 4, 13) not in days  # closure
    assert date(2026, 5, 25) not in days  # Whit Monday
    assert date(2026, 4, 20) in days


@pytest.mark.django_db
def test_inactive_rules_offer_nothing():
    OpeningRule.objects.update(active=False)
    assert booking.available_slots(now=NOW) == []


@pytest.mark.django_db
def test_each_rule_keeps_its_own_window():
    OpeningRule.objects.create(
        weekday=2, start_time=time(9), end_time=time(10), min_days_ahead=0, max_days_ahead=7
    )
    slots = booking.available_slots(now=NOW)

    # Its window runs from now to Monday 12 January at 15:10: one Wednesday only.
    wednesdays = {slot.starts_at.date() for slot in slots if slot.starts_at.weekday() == 2}
    assert wednesdays == {date(2026, 1, 7)}
    assert slots[0].starts_at == paris(2026, 1, 7, 9)
    assert slots[-1].starts_at == paris(2026, 3, 2, 15)


@pytest.mark.django_db
@pytest.mark.parametrize(("permanence_seats", "other_seats"), [(1, 3), (3, 1)])
def test_a_slot_two_rules_offer_has_the_larger_number_of_seats(permanence_seats, other_seats):
    OpeningRule.objects.update(seats=permanence_seats)
    OpeningRule.objects.create(
        weekday=0, start_time=time(14), end_time=time(15), seats=other_seats, max_days_ahead=7
    )
    [shared] = [slot for slot in booking.available_slots(now=NOW) if slot.starts_at == FIRST]
    assert shared.seats == 3


# Booking -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_takes_the_seat_and_the_slot_disappears():
    request = factories.intake_request()

    appointment = appointments.book(request, FIRST, now=NOW)

    assert appointment.request == request
    assert (appointment.starts_at, appointment.ends_at) == (FIRST, paris(2026, 1, 12, 14, 30))
    assert appointment.kind == Appointment.Kind.FIRST_EXCHANGE
    assert appointment.status == Appointment.Status.BOOKED
    assert (appointment.seat, appointment.ics_sequence) == (1, 0)
    assert FIRST not in [slot.starts_at for slot in booking.available_slots(now=NOW)]
    assert not booking.is_available(FIRST, now=NOW)
    assert booking.is_available(SECOND, now=NOW)
    assert list(request.appointments.all()) == [appointment]


@pytest.mark.django_db
def test_a_taken_slot_raises_slot_unavailable_with_a_french_message():
    appointments.book(factories.intake_request(), FIRST, now=NOW)

    with pytest.raises(SlotUnavailable) as refusal:
        appointments.book(factories.intake_request(), FIRST, now=NOW)

    assert "n'est plus disponible" in str(refusal.value)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "starts_at",
    [
        paris(2026, 1, 12, 13, 30),  # before the opening
        paris(2026, 1, 12, 14, 10),  # not on the half-hour grid
        paris(2026, 1, 12, 17),  # at the closing time
        paris(2026, 1, 13, 14),  # a Tuesday
        paris(2026, 1, 5, 16),  # today
        paris(2026, 3, 2, 15, 30),  # beyond eight weeks
        paris(2026, 4, 6, 14),  # Easter Monday
    ],
)
def test_a_slot_not_offered_raises_slot_unavailable(starts_at):
    assert not booking.is_available(starts_at, now=NOW)
    with pytest.raises(SlotUnavailable):
        appointments.book(factories.intake_request(), starts_at, now=NOW)
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_the_slot_is_the_same_instant_whatever_the_time_zone_of_the_caller():
    appointment = appointments.book(factories.intake_request(), FIRST.astimezone(UTC), now=NOW)
    assert appointment.starts_at == FIRST


@pytest.mark.django_db
def test_a_naive_time_is_a_programming_error():
    with pytest.raises(ValueError):
        appointments.book(factories.intake_request(), datetime(2026, 1, 12, 14), now=NOW)


@pytest.mark.django_db
def test_seats_are_given_lowest_first_and_reused_once_freed():
    OpeningRule.objects.update(seats=2)
    first = appointments.book(factories.intake_request(), FIRST, now=NOW)
    second = appointments.book(
        factories.intake_request(), FIRST, kind=Appointment.Kind.WORKING_SESSION, now=NOW
    )
    assert (first.seat, second.seat) == (1, 2)
    assert second.kind == Appointment.Kind.WORKING_SESSION
    with pytest.raises(SlotUnavailable):
        appointments.book(factories.intake_request(), FIRST, now=NOW)

    appointments.cancel(first, by="team")

    assert appointments.book(factories.intake_request(), FIRST, now=NOW).seat == 1


@pytest.mark.django_db
def test_a_refused_booking_leaves_the_callers_transaction_usable():
    appointments.book(factories.intake_request(), FIRST, now=NOW)
    with transaction.atomic():
        request = factories.intake_request()
        with pytest.raises(SlotUnavailable):
            appointments.book(request, FIRST, now=NOW)
        appointments.book(request, SECOND, now=NOW)
    assert Appointment.objects.count() == 2


# Rescheduling and cancelling ---------------------------------------------------------------


@pytest.mark.django_db
def test_rescheduling_frees_the_old_seat_and_keeps_the_calendar_uid():
    appointment = appointments.book(factories.intake_request(), FIRST, now=NOW)
    uid = appointment.ics_uid

    moved = appointments.reschedule(appointment, paris(2026, 1, 19, 16, 30), now=NOW)

    assert moved is appointment
    appointment.refresh_from_db()
    assert appointment.starts_at == paris(2026, 1, 19, 16, 30)
    assert appointment.ends_at == paris(2026, 1, 19, 17)
    assert appointment.status == Appointment.Status.BOOKED
    assert (appointment.ics_uid, appointment.ics_sequence) == (uid, 1)
    assert booking.is_available(FIRST, now=NOW)
    assert not booking.is_available(paris(2026, 1, 19, 16, 30), now=NOW)

    appointments.reschedule(appointment, SECOND, now=NOW)
    assert appointment.ics_sequence == 2
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_rescheduling_to_a_taken_slot_changes_nothing():
    appointment = appointments.book(factories.intake_request(), FIRST, now=NOW)
    appointments.book(factories.intake_request(), SECOND, now=NOW)

    with pytest.raises(SlotUnavailable):
        appointments.reschedule(appointment, SECOND, now=NOW)

    assert (appointment.starts_at, appointment.ics_sequence) == (FIRST, 0)
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.seat, appointment.ics_sequence) == (FIRST, 1, 0)
    assert not booking.is_available(FIRST, now=NOW)


@pytest.mark.django_db
def test_rescheduling_to_the_same_slot_is_no_change():
    appointment = appointments.book(factories.intake_request(), FIRST, now=NOW)
    appointments.reschedule(appointment, FIRST, now=NOW)
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.ics_sequence) == (FIRST, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "by, status",
    [
        ("applicant", Appointment.Status.CANCELLED_BY_APPLICANT),
        ("team", Appointment.Status.CANCELLED_BY_TEAM),
    ],
)
def test_cancelling_frees_the_seat_and_bumps_the_sequence(by, status):
    appointment = appointments.book(factories.intake_request(), FIRST, now=NOW)

    appointments.cancel(appointment, by=by)

    assert (appointment.status, appointment.ics_sequence) == (status, 1)
    appointment.refresh_from_db()
    assert (appointment.status, appointment.ics_sequence) == (status, 1)
    assert booking.is_available(FIRST, now=NOW)
    again = appointments.book(factories.intake_request(), FIRST, now=NOW)
    assert again.seat == 1
    assert again.ics_uid != appointment.ics_uid


@pytest.mark.django_db
def test_a_cancelled_appointment_can_be_neither_moved_nor_cancelled_again():
    appointment = appointments.book(factories.intake_request(), FIRST, now=NOW)
    appointments.cancel(appointment, by="applicant")

    with pytest.raises(AppointmentNotBooked) as refusal:
        appointments.cancel(appointment, by="team")
    assert "ne peut plus être modifié" in str(refusal.value)
    with pytest.raises(AppointmentNotBooked):
        appointments.reschedule(appointment, SECOND, now=NOW)
    appointment.refresh_from_db()
    assert appointment.ics_sequence == 1


@pytest.mark.django_db
def test_cancelling_for_someone_unknown_is_a_programming_error():
    appointment = appointments.book(factories.intake_request(), FIRST, now=NOW)
    with pytest.raises(ValueError):
        appointments.cancel(appointment, by="nobody")


# Model validation --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"end_time": time(14)}, "end_time", "L'heure de fin doit suivre l'heure de début."),
        ({"slot_minutes": 240}, "slot_minutes", "ne tient pas dans une plage de 180 minutes"),
        ({"max_days_ahead": 1}, "max_days_ahead", "supérieur ou égal au délai minimal"),
    ],
)
def test_an_opening_rule_is_validated(fields, field, message):
    rule = monday_rule(weekday=1, **fields)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert message in " ".join(error.value.message_dict[field])


@pytest.mark.django_db
def test_active_rules_may_not_overlap():
    with pytest.raises(ValidationError) as error:
        monday_rule(start_time=time(16), end_time=time(18)).full_clean()
    assert "chevauche" in str(error.value)
    monday_rule(start_time=time(17), end_time=time(18)).full_clean()
    monday_rule(start_time=time(16), end_time=time(18), active=False).full_clean()


@pytest.mark.django_db
def test_a_closure_ends_on_or_after_its_first_day():
    with pytest.raises(ValidationError) as error:
        Closure(start_date=date(2026, 1, 12), end_date=date(2026, 1, 11)).full_clean()
    assert error.value.message_dict["end_date"] == [
        "Le dernier jour doit être le premier jour ou le suivre."
    ]
    Closure(start_date=date(2026, 1, 12), end_date=date(2026, 1, 12)).full_clean()


# Concurrency (PostgreSQL) ------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="runs on PostgreSQL only: it needs concurrent writers on separate connections, "
    "and SQLite serialises every write",
)


def permanence(seats):
    """The Monday permanence, recreated: a transactional test cannot count on migration data,
    which the flush after any earlier transactional test removed."""
    OpeningRule.objects.all().delete()
    return OpeningRule.objects.create(
        weekday=0, start_time=time(14), end_time=time(17), seats=seats
    )


def run_concurrently(*calls):
    """Run each call in its own thread, with its own database connection, released together."""
    barrier = threading.Barrier(len(calls), timeout=10)
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the outcome, refusal or crash, is what the test checks
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def two_bookings_of_first_slot():
    requests = [factories.intake_request(), factories.intake_request()]
    return run_concurrently(
        *(
            lambda request=request: appointments.book(request, FIRST, now=NOW)
            for request in requests
        )
    )


@pytest.fixture
def both_see_the_seat_free(monkeypatch):
    """Hold each booker after its availability check until both have made it: both then
    believe the seat is theirs, and only the database can tell them apart."""
    take_seat = appointments._take_lowest_free_seat
    both_checked = threading.Barrier(2, timeout=10)

    def take_seat_once_both_checked(slot, write):
        both_checked.wait()
        return take_seat(slot, write)

    monkeypatch.setattr(appointments, "_take_lowest_free_seat", take_seat_once_both_checked)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_seat_at_once_get_one_appointment():
    permanence(seats=1)

    outcomes = two_bookings_of_first_slot()

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "Appointment",
        "SlotUnavailable",
    ]
    assert Appointment.objects.filter(starts_at=FIRST).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_database_settles_a_race_both_sides_thought_they_had_won(both_see_the_seat_free):
    permanence(seats=1)

    outcomes = two_bookings_of_first_slot()

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "Appointment",
        "SlotUnavailable",
    ]
    assert Appointment.objects.filter(starts_at=FIRST).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_loser_of_a_race_for_a_seat_takes_the_next_one(both_see_the_seat_free):
    permanence(seats=2)

    outcomes = two_bookings_of_first_slot()

    assert all(isinstance(outcome, Appointment) for outcome in outcomes), outcomes
    assert sorted(outcome.seat for outcome in outcomes) == [1, 2]
    assert Appointment.objects.filter(starts_at=FIRST).count() == 2


# Admin screens -----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    superuser = get_user_model().objects.create_superuser(
        "cellule", "cellule@example.org", "motdepasse-test"
    )
    client.force_login(superuser)
    return client


@pytest.mark.django_db
def test_the_admin_lists_opening_rules(admin_client):
    response = admin_client.get("/admin/permanence/regles/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Règles d&#x27;ouverture" in content or "Règles d'ouverture" in content
    assert "Permanence du lundi" in content
    # Whether the rule is active, in words a screen reader says in French.
    assert re.search(r'<span class="w-sr-only">\s*Oui\s*</span>', content)
    assert "True" not in content


@pytest.mark.django_db
def test_the_admin_creates_an_opening_rule(admin_client):
    assert admin_client.get("/admin/permanence/regles/new/").status_code == 200

    response = admin_client.post(
        "/admin/permanence/regles/new/",
        {
            "label": "Permanence du jeudi",
            "weekday": "3",
            "start_time": "09:30",
            "end_time": "11:30",
            "slot_minutes": "60",
            "seats": "2",
            "min_days_ahead": "2",
            "max_days_ahead": "56",
            "active": "on",
        },
    )

    assert response.status_code == 302
    rule = OpeningRule.objects.get(label="Permanence du jeudi")
    assert (rule.weekday, rule.start_time, rule.end_time, rule.seats) == (
        3,
        time(9, 30),
        time(11, 30),
        2,
    )


@pytest.mark.django_db
def test_the_admin_refuses_an_opening_rule_ending_before_it_starts(admin_client):
    response = admin_client.post(
        "/admin/permanence/regles/new/",
        {
            "weekday": "3",
            "start_time": "11:30",
            "end_time": "09:30",
            "slot_minutes": "30",
            "seats": "1",
            "min_days_ahead": "2",
            "max_days_ahead": "56",
        },
    )

    assert response.status_code == 200
    assert "L&#x27;heure de fin doit suivre l&#x27;heure de début." in response.content.decode()
    assert OpeningRule.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_lists_and_creates_closures(admin_client):
    Closure.objects.create(start_date=date(2026, 8, 3), end_date=date(2026, 8, 21), reason="Été")
    response = admin_client.get("/admin/permanence/fermetures/")
    assert response.status_code == 200
    assert "Été" in response.content.decode()

    response = admin_client.post(
        "/admin/permanence/fermetures/new/",
        {"start_date": "2026-12-21", "end_date": "2027-01-01", "reason": "Fêtes de fin d'année"},
    )

    assert response.status_code == 302
    closure = Closure.objects.get(reason="Fêtes de fin d'année")
    assert (closure.start_date, closure.end_date) == (date(2026, 12, 21), date(2027, 1, 1))


@pytest.mark.django_db
def test_the_admin_menu_groups_the_permanence_screens(admin_client):
    content = admin_client.get("/admin/").content.decode()
    assert "Permanence" in content
    assert "/admin/permanence/regles/" in content
    assert "/admin/permanence/fermetures/" in content


@pytest.mark.django_db
def test_the_permanence_screens_follow_model_permissions(client):
    group = Group.objects.create(name="Lecture de la permanence")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_openingrule"),
    )
    user = get_user_model().objects.create_user("lecteur", "lecteur@example.org", "x" * 16)
    user.groups.add(group)
    client.force_login(user)

    assert client.get("/admin/permanence/regles/").status_code == 200
    assert client.get("/admin/permanence/regles/new/").status_code == 302
    assert client.get("/admin/permanence/fermetures/").status_code == 302
