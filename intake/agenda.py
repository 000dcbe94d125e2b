"""What the team's agenda reads: a week of the permanence's slots (free, taken, closed and
why) and of the first exchanges and working sessions, in the permanence or at other times.

Four queries whatever the number of appointments: the opening rules, the closures, the
week's appointments with their requests, and their hosts.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from .booking import PARIS, PermanenceSlot, permanence_slots
from .models import Appointment, Closure, IntakeRequest, OpeningRule
from .workdays import SATURDAY, french_public_holidays

__all__ = ["AgendaDay", "AgendaWeek", "monday_of", "week"]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class AgendaDay:
    day: date
    holiday: str
    is_today: bool
    slots: list[PermanenceSlot]
    appointments: list[Appointment]

    @property
    def anchor(self):
        """The id of its heading: "jour-2026-12-07"."""
        return f"jour-{self.day.isoformat()}"


@dataclass(frozen=True)
class AgendaWeek:
    monday: date
    days: list[AgendaDay]

    @property
    def sunday(self):
        return self.monday + timedelta(days=6)

    @property
    def previous(self):
        return self.monday - timedelta(days=7)

    @property
    def next(self):
        return self.monday + timedelta(days=7)

    @property
    def is_current(self):
        return self.monday == monday_of(timezone.localdate())

    @property
    def appointment_count(self):
        return sum(len(day.appointments) for day in self.days)


def _appointments(user, start, end):
    hosts = get_user_model().objects.order_by("first_name", "last_name", "username")
    return list(
        Appointment.objects.not_cancelled()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .filter(request__in=IntakeRequest.objects.visible_to(user).values("pk"))
        .select_related("request", "request__collectivite", "request__assignee")
        .prefetch_related(Prefetch("hosts", queryset=hosts))
        .order_by("starts_at", "seat", "pk")
    )


def week(user, monday: date) -> AgendaWeek:
    """The week from ``monday`` to its Sunday as ``user`` may see it (nothing of a request
    for whoever may not read requests): Monday to Friday, and a weekend day that holds a
    slot or an appointment."""
    sunday = monday + timedelta(days=6)
    start = datetime.combine(monday, time.min, tzinfo=PARIS)
    end = datetime.combine(sunday + timedelta(days=1), time.min, tzinfo=PARIS)
    appointments = _appointments(user, start, end)
    # A seat is taken by an appointment booked, held or missed in it.
    taken = Counter(
        appointment.starts_at for appointment in appointments if appointment.in_permanence
    )
    slots = permanence_slots(
        OpeningRule.objects.active(),
        list(Closure.objects.overlapping(monday, sunday)),
        taken,
        start,
        end - timedelta(microseconds=1),
    )
    holidays = {**french_public_holidays(monday.year), **french_public_holidays(sunday.year)}
    slots_of, appointments_of = defaultdict(list), defaultdict(list)
    for slot in slots:
        slots_of[slot.starts_at.date()].append(slot)
    for appointment in appointments:
        appointments_of[appointment.starts_at.astimezone(PARIS).date()].append(appointment)
    today = timezone.localdate()
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        day_slots, day_appointments = slots_of[day], appointments_of[day]
        if day.weekday() >= SATURDAY and not (day_slots or day_appointments):
            continue
        days.append(
            AgendaDay(
                day=day,
                holiday=str(holidays.get(day, "")),
                is_today=day == today,
                slots=day_slots,
                appointments=day_appointments,
            )
        )
    return AgendaWeek(monday=monday, days=days)
