"""Booking in the Monday permanence: which slots are offered, and taking, moving or freeing a seat.

Offered slots are the opening rules, minus closures, French public holidays and booked seats,
within each rule's booking window. The pure functions (holidays, ``slots_between``) do the
arithmetic; the others read the database and write appointments.

Races are settled by the database: a conditional unique constraint allows one booked
appointment per (start, seat), so of two people taking the last seat at once exactly one
commits and the other gets ``SlotUnavailable``.

Local times are built with ``zoneinfo`` in Europe/Paris, so a 14:00 slot is at 14:00 on the
wall clock in winter and in summer alike.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from home.typography import french_hour

from .errors import DomainError
from .models import Appointment, Closure, IntakeRequest, OpeningRule
from .models.booking import PARIS, minutes_of_day
from .workdays import french_public_holidays

__all__ = [
    "PARIS",
    "AppointmentNotBooked",
    "BookingError",
    "Slot",
    "SlotUnavailable",
    "available_slots",
    "book",
    "booking_window",
    "cancel",
    "end",
    "is_available",
    "describe_permanence",
    "permanence_is_open",
    "reschedule",
    "slot_label",
    "slots_between",
]

_CANCELLED_STATUS = {
    "applicant": Appointment.Status.CANCELLED_BY_APPLICANT,
    "team": Appointment.Status.CANCELLED_BY_TEAM,
}


class BookingError(DomainError):
    """A booking the domain refuses."""

    default_message = _("Ce rendez-vous ne peut pas être enregistré.")


class SlotUnavailable(BookingError):
    """The slot is not offered, or its last seat was just taken."""

    default_message = _(
        "Ce créneau n'est plus disponible : il vient d'être réservé ou n'est pas ouvert. "
        "Merci d'en choisir un autre."
    )


class AppointmentNotBooked(BookingError):
    """Only a booked appointment can be moved or cancelled."""

    default_message = _(
        "Ce rendez-vous a déjà été annulé ou a eu lieu : il ne peut plus être modifié."
    )


@dataclass(frozen=True, order=True)
class Slot:
    """A start time of the permanence with at least one free seat; times are in Europe/Paris.

    ``seats`` is the slot's capacity, ``seats_left`` what remains after bookings.
    """

    starts_at: datetime
    ends_at: datetime
    seats_left: int
    seats: int


def slot_label(moment: datetime) -> str:
    """ "lundi 7 décembre, 14 h 30": a slot as the applicant and the team read it."""
    local = timezone.localtime(moment)
    return _("%(day)s, %(hour)s") % {
        "day": formats.date_format(local, "l j F"),
        "hour": french_hour(local),
    }


def _local(day: date, minutes: int) -> datetime | None:
    """``day`` at ``minutes`` past midnight in Paris, or None when DST skips that time."""
    moment = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=PARIS)
    if moment.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


def _rule_slots(rule, day: date):
    """(starts_at, ends_at) of each whole slot the rule opens on ``day``."""
    length = rule.slot_minutes
    last_start = minutes_of_day(rule.end_time) - length
    for minutes in range(minutes_of_day(rule.start_time), last_start + 1, length):
        starts_at, ends_at = _local(day, minutes), _local(day, minutes + length)
        if starts_at and ends_at:
            yield starts_at, ends_at


def slots_between(
    rules: Iterable,
    closures: Iterable,
    booked_counts: Mapping[datetime, int],
    start: datetime,
    end: datetime,
) -> list[Slot]:
    """The slots with a free seat starting between ``start`` and ``end`` (both included).

    Pure: ``rules`` have ``weekday``, ``start_time``, ``end_time``, ``slot_minutes`` and
    ``seats``; ``closures`` are ``Closure`` instances (whole days, or part of a day: a slot
    that a closure touches is not offered);
    ``booked_counts`` maps a start time to its number of booked seats. Public holidays
    and closed days offer nothing. Validation keeps active rules from overlapping; should
    two offer the same start time anyway, the larger capacity counts.
    """
    rules = list(rules)
    first_day = start.astimezone(PARIS).date()
    last_day = end.astimezone(PARIS).date()
    closed = set()
    for year in range(first_day.year, last_day.year + 1):
        closed.update(french_public_holidays(year))
    partial = []
    for closure in closures:
        if not closure.is_whole_days:
            partial.append(closure)
            continue
        day = max(closure.start_date, first_day)
        while day <= min(closure.end_date, last_day):
            closed.add(day)
            day += timedelta(days=1)
    booked = {moment.astimezone(UTC): count for moment, count in booked_counts.items()}

    offered = {}
    day = first_day
    while day <= last_day:
        if day not in closed:
            for rule in rules:
                if rule.weekday != day.weekday():
                    continue
                for starts_at, ends_at in _rule_slots(rule, day):
                    if not start <= starts_at <= end:
                        continue
                    if any(closure.covers(starts_at, ends_at) for closure in partial):
                        continue
                    key = starts_at.astimezone(UTC)
                    if key not in offered or rule.seats > offered[key][0]:
                        offered[key] = (rule.seats, starts_at, ends_at)
        day += timedelta(days=1)

    slots = []
    for key, (seats, starts_at, ends_at) in offered.items():
        seats_left = seats - booked.get(key, 0)
        if seats_left > 0:
            slots.append(Slot(starts_at, ends_at, seats_left, seats))
    return sorted(slots)


def booking_window(rule, now: datetime) -> tuple[datetime, datetime]:
    """When the rule's slots can be booked: from the start of the day ``min_days_ahead``
    days after today (never before ``now``) until ``max_days_ahead`` days after ``now``."""
    local_now = now.astimezone(PARIS)
    first_day = local_now.date() + timedelta(days=rule.min_days_ahead)
    first = max(now, datetime.combine(first_day, time.min, tzinfo=PARIS))
    # Same wall-clock time, whatever DST change lies in between.
    last = local_now + timedelta(days=rule.max_days_ahead)
    return first, last


def _booked_counts(start: datetime, end: datetime) -> dict[datetime, int]:
    rows = (
        Appointment.objects.booked()
        .filter(starts_at__gte=start, starts_at__lte=end)
        .values("starts_at")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["starts_at"]: row["count"] for row in rows}


def available_slots(now: datetime | None = None) -> list[Slot]:
    """Every slot open to booking at ``now`` (default: the current time), in order."""
    now = now or timezone.now()
    windows = [(rule, *booking_window(rule, now)) for rule in OpeningRule.objects.active()]
    if not windows:
        return []
    start = min(first for _rule, first, _last in windows)
    end = max(last for _rule, _first, last in windows)
    closures = list(
        Closure.objects.overlapping(start.astimezone(PARIS).date(), end.astimezone(PARIS).date())
    )
    booked = _booked_counts(start, end)
    offered = {}
    for rule, first, last in windows:
        for slot in slots_between([rule], closures, booked, first, last):
            key = slot.starts_at.astimezone(UTC)
            if key not in offered or slot.seats > offered[key].seats:
                offered[key] = slot
    return sorted(offered.values())


def describe_permanence(rules: Iterable) -> str:
    """ "chaque lundi de 14 h à 17 h" (and any other opening): the hours as people read them."""
    parts = [
        _("chaque %(day)s de %(start)s à %(end)s")
        % {
            "day": rule.get_weekday_display().lower(),
            "start": french_hour(rule.start_time),
            "end": french_hour(rule.end_time),
        }
        for rule in rules
    ]
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s et %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def permanence_is_open(rules: Iterable, at: datetime | None = None) -> bool:
    """Whether one of the opening rules runs at ``at`` (default: now), in Paris time, on a day
    that is neither a public holiday nor closed."""
    local = (at or timezone.now()).astimezone(PARIS)
    day, minutes = local.date(), minutes_of_day(local)
    running = any(
        rule.weekday == day.weekday()
        and minutes_of_day(rule.start_time) <= minutes < minutes_of_day(rule.end_time)
        for rule in rules
    )
    if not running or day in french_public_holidays(day.year):
        return False
    moment = local + timedelta(microseconds=1)
    return not any(
        closure.covers(local, moment) for closure in Closure.objects.overlapping(day, day)
    )


def _offered_slot(starts_at: datetime, now: datetime | None) -> Slot:
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime")
    for slot in available_slots(now):
        if slot.starts_at == starts_at:
            return slot
    raise SlotUnavailable()


def is_available(starts_at: datetime, now: datetime | None = None) -> bool:
    """Whether a seat is free at ``starts_at`` and the slot is open to booking at ``now``."""
    try:
        _offered_slot(starts_at, now)
    except SlotUnavailable:
        return False
    return True


def _take_lowest_free_seat(slot: Slot, write):
    """Call ``write(seat)`` with the lowest free seat; the unique constraint arbitrates races.

    Each try runs in a savepoint so that a lost race leaves the caller's transaction usable.
    """
    taken = set(
        Appointment.objects.booked().filter(starts_at=slot.starts_at).values_list("seat", flat=True)
    )
    for seat in range(1, slot.seats + 1):
        if seat in taken:
            continue
        try:
            with transaction.atomic():
                return write(seat)
        except IntegrityError:
            # A concurrent booking committed this seat after we looked: try the next one.
            continue
    raise SlotUnavailable()


def book(
    request: IntakeRequest,
    starts_at: datetime,
    kind: str = Appointment.Kind.FIRST_EXCHANGE,
    now: datetime | None = None,
) -> Appointment:
    """Take a seat at ``starts_at`` for ``request``; raises ``SlotUnavailable``."""
    with transaction.atomic():
        slot = _offered_slot(starts_at, now)

        def create(seat):
            return Appointment.objects.create(
                request=request,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                kind=kind,
                seat=seat,
            )

        return _take_lowest_free_seat(slot, create)


def _locked_booked(appointment: Appointment) -> Appointment:
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status != Appointment.Status.BOOKED:
        raise AppointmentNotBooked()
    return current


def reschedule(
    appointment: Appointment, new_starts_at: datetime, now: datetime | None = None
) -> Appointment:
    """Move a booked appointment to another slot, keeping its calendar UID.

    The old seat is freed and the new one taken in one transaction: if the new slot is
    unavailable (``SlotUnavailable``), the appointment stays where it was.
    """
    with transaction.atomic():
        current = _locked_booked(appointment)
        if current.starts_at == new_starts_at:
            return appointment
        slot = _offered_slot(new_starts_at, now)
        sequence = current.ics_sequence + 1

        def move(seat):
            current.starts_at, current.ends_at, current.seat = slot.starts_at, slot.ends_at, seat
            current.ics_sequence = sequence
            current.save(
                update_fields=["starts_at", "ends_at", "seat", "ics_sequence", "updated_at"]
            )

        _take_lowest_free_seat(slot, move)
    appointment.refresh_from_db()
    return appointment


def end(appointment: Appointment, status: str) -> Appointment:
    """Close a booked appointment (held, no-show, cancelled): its seat is free again."""
    with transaction.atomic():
        current = _locked_booked(appointment)
        current.status = status
        current.ics_sequence += 1
        current.save(update_fields=["status", "ics_sequence", "updated_at"])
    appointment.refresh_from_db()
    return appointment


def cancel(appointment: Appointment, by: Literal["applicant", "team"]) -> Appointment:
    """Cancel a booked appointment on behalf of the applicant or the team; frees its seat."""
    if by not in _CANCELLED_STATUS:
        raise ValueError(f"by must be one of {sorted(_CANCELLED_STATUS)}, not {by!r}")
    return end(appointment, _CANCELLED_STATUS[by])
