"""Booking in the Monday permanence: which slots are offered, read-only.

Offered slots are the opening rules, minus closures, French public holidays and booked seats,
within each rule's booking window. The pure functions (holidays, ``slots_between``) do the
arithmetic; the others read the database. Taking, moving and freeing a seat are writes of the
lifecycle (``lifecycle/appointments.py``).

Local times are built with ``zoneinfo`` in Europe/Paris, so a 14:00 slot is at 14:00 on the
wall clock in winter and in summer alike.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from home.typography import french_hour

from .errors import DomainError
from .models import Appointment, Closure, OpeningRule
from .models.booking import PARIS, minutes_of_day
from .workdays import french_public_holidays

__all__ = [
    "PARIS",
    "AppointmentNotBooked",
    "HostBusy",
    "BookingError",
    "PermanenceSlot",
    "Slot",
    "SlotUnavailable",
    "available_slots",
    "booking_window",
    "is_available",
    "describe_permanence",
    "offered_slot",
    "permanence_is_open",
    "permanence_slots",
    "slot_label",
    "slots_between",
]


class BookingError(DomainError):
    """A booking the domain refuses."""

    default_message = _("Ce rendez-vous ne peut pas être enregistré.")


class SlotUnavailable(BookingError):
    """The slot is not offered, or its last seat was just taken."""

    default_message = _(
        "Ce créneau n'est plus disponible : il vient d'être réservé ou n'est pas ouvert. "
        "Merci d'en choisir un autre."
    )


class HostBusy(BookingError):
    """A team member who would hold the appointment already holds another one then."""


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
    """(starts_at, ends_at) of each whole slot the rule opens on ``day``.

    Starts follow the wall clock, and a start the spring change skips is no slot. A slot
    lasts its length in elapsed time: in spring 01:30 runs to 03:00, half an hour; in autumn
    02:30 (summer time) runs to the second 02:00, not to 03:00 an hour and a half later."""
    length = rule.slot_minutes
    last_start = minutes_of_day(rule.end_time) - length
    for minutes in range(minutes_of_day(rule.start_time), last_start + 1, length):
        starts_at = _local(day, minutes)
        if starts_at:
            ends_at = (starts_at.astimezone(UTC) + timedelta(minutes=length)).astimezone(PARIS)
            yield starts_at, ends_at


@dataclass(frozen=True)
class PermanenceSlot:
    """A slot of the permanence as the team's agenda shows it, open or not: its capacity, the
    seats taken, and why it is closed (a public holiday's name, a closure's reason), if it is.
    Times are in Europe/Paris."""

    starts_at: datetime
    ends_at: datetime
    seats: int
    taken: int
    closed_because: str = ""

    @property
    def is_closed(self):
        return bool(self.closed_because)

    @property
    def seats_left(self):
        return max(self.seats - self.taken, 0)


def _closure_reason(closure) -> str:
    return closure.reason or str(_("Fermeture"))


def permanence_slots(
    rules: Iterable,
    closures: Iterable,
    taken_counts: Mapping[datetime, int],
    start: datetime,
    end: datetime,
) -> list[PermanenceSlot]:
    """Every slot the rules open starting between ``start`` and ``end`` (both included), in
    order, those a public holiday or a closure takes marked with its name or reason.

    Pure: ``rules`` have ``weekday``, ``start_time``, ``end_time``, ``slot_minutes`` and
    ``seats``; ``closures`` are ``Closure`` instances (whole days, or part of a day: a slot
    that a closure touches is closed); ``taken_counts`` maps a start time to its number of
    seats taken. Validation keeps active rules from overlapping; should two offer the same
    start time anyway, an open slot wins over a closed one, then the larger capacity.
    """
    rules = list(rules)
    first_day = start.astimezone(PARIS).date()
    last_day = end.astimezone(PARIS).date()
    closed = {}
    for closure in closures:
        if closure.is_whole_days:
            day = max(closure.start_date, first_day)
            while day <= min(closure.end_date, last_day):
                closed.setdefault(day, _closure_reason(closure))
                day += timedelta(days=1)
    # A public holiday names the day, whatever closure the team also put on it.
    for year in range(first_day.year, last_day.year + 1):
        closed.update({day: str(name) for day, name in french_public_holidays(year).items()})
    partial = [closure for closure in closures if not closure.is_whole_days]
    taken = {moment.astimezone(UTC): count for moment, count in taken_counts.items()}

    offered = {}
    day = first_day
    while day <= last_day:
        for rule in rules:
            if rule.weekday != day.weekday():
                continue
            for starts_at, ends_at in _rule_slots(rule, day):
                if not start <= starts_at <= end:
                    continue
                reason = closed.get(day) or next(
                    (
                        _closure_reason(closure)
                        for closure in partial
                        if closure.covers(starts_at, ends_at)
                    ),
                    "",
                )
                key = starts_at.astimezone(UTC)
                slot = PermanenceSlot(starts_at, ends_at, rule.seats, taken.get(key, 0), reason)
                current = offered.get(key)
                if current is None or (not slot.is_closed, slot.seats) > (
                    not current.is_closed,
                    current.seats,
                ):
                    offered[key] = slot
        day += timedelta(days=1)
    return [offered[key] for key in sorted(offered)]


def slots_between(
    rules: Iterable,
    closures: Iterable,
    booked_counts: Mapping[datetime, int],
    start: datetime,
    end: datetime,
) -> list[Slot]:
    """The slots with a free seat starting between ``start`` and ``end`` (both included):
    those of ``permanence_slots`` that are open, ``booked_counts`` mapping a start time to
    its number of booked seats. Public holidays and closed days offer nothing."""
    return [
        Slot(slot.starts_at, slot.ends_at, slot.seats_left, slot.seats)
        for slot in permanence_slots(rules, closures, booked_counts, start, end)
        if not slot.is_closed and slot.seats_left
    ]


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
        .in_permanence()
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


def permanence_is_open(
    rules: Iterable, at: datetime | None = None, closures: Iterable | None = None
) -> bool:
    """Whether one of the opening rules runs at ``at`` (default: now), in Paris time, on a day
    that is neither a public holiday nor closed (among ``closures`` when given: closures
    overlapping that day at least, else read from the database)."""
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
    if closures is None:
        closures = Closure.objects.overlapping(day, day)
    return not any(closure.covers(local, moment) for closure in closures)


def permanence_changes_at(
    rules: Iterable, closures: Iterable, at: datetime | None = None
) -> datetime | None:
    """The next moment after ``at`` (default: now) when the permanence may open or close: an
    opening rule's start or end in the coming week, or a closure's bound; None without rules.
    Pages that say whether it is open hold until then."""
    local = (at or timezone.now()).astimezone(PARIS)
    moments = [
        datetime.combine(day, moment, tzinfo=PARIS)
        for day in (local.date() + timedelta(days=offset) for offset in range(8))
        for rule in rules
        if rule.weekday == day.weekday()
        for moment in (rule.start_time, rule.end_time)
    ]
    if moments:
        moments += [bound for closure in closures for bound in closure.bounds()]
    return min((moment for moment in moments if moment > local), default=None)


def offered_slot(starts_at: datetime, now: datetime | None = None) -> Slot:
    """The offered slot starting at ``starts_at``; raises ``SlotUnavailable``."""
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime")
    for slot in available_slots(now):
        if slot.starts_at == starts_at:
            return slot
    raise SlotUnavailable()


def is_available(starts_at: datetime, now: datetime | None = None) -> bool:
    """Whether a seat is free at ``starts_at`` and the slot is open to booking at ``now``."""
    try:
        offered_slot(starts_at, now)
    except SlotUnavailable:
        return False
    return True
