"""What the team's agenda reads: a week of the permanence's slots (free, taken, closed and
why) and of the first exchanges and working sessions, in the permanence or at other times.

Four queries whatever the number of appointments: the opening rules, the closures, the
week's appointments with their requests, and their hosts' names.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .booking import PARIS, PermanenceSlot, permanence_slots
from .models import Appointment, Closure, IntakeRequest, OpeningRule
from .workdays import SATURDAY, french_public_holidays

__all__ = ["AgendaDay", "AgendaEntry", "AgendaWeek", "monday_of", "week"]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class AgendaEntry:
    """An appointment of the week, with the names of the team members who hold it."""

    appointment: Appointment
    hosts: list[str]


@dataclass(frozen=True)
class AgendaDay:
    day: date
    holiday: str
    is_today: bool
    slots: list[PermanenceSlot]
    entries: list[AgendaEntry]

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
        return sum(len(day.entries) for day in self.days)


def _appointments(user, start, end):
    return list(
        Appointment.objects.not_cancelled()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .filter(request__in=IntakeRequest.objects.visible_to(user).values("pk"))
        .select_related("request", "request__collectivite", "request__assignee")
        .order_by("starts_at", "seat", "pk")
    )


def _host_names(appointments):
    """{appointment id: the names of its hosts, in order}: names only, read as rows, since a
    busy week holds hundreds of hosts and a user instance for each would cost the page."""
    rows = (
        Appointment.hosts.through.objects.filter(
            appointment__in=[appointment.pk for appointment in appointments]
        )
        .order_by("user__first_name", "user__last_name", "user__username")
        .values_list("appointment_id", "user__first_name", "user__last_name", "user__username")
    )
    names = defaultdict(list)
    for appointment_id, first_name, last_name, username in rows:
        # As User.get_full_name() writes it, the username when there is no name.
        names[appointment_id].append(f"{first_name} {last_name}".strip() or username)
    return names


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
    hosts = _host_names(appointments) if appointments else {}
    slots_of, entries_of = defaultdict(list), defaultdict(list)
    for slot in slots:
        slots_of[slot.starts_at.date()].append(slot)
    for appointment in appointments:
        entry = AgendaEntry(appointment, hosts.get(appointment.pk, []))
        entries_of[appointment.starts_at.astimezone(PARIS).date()].append(entry)
    today = timezone.localdate()
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        day_slots, day_entries = slots_of[day], entries_of[day]
        if day.weekday() >= SATURDAY and not (day_slots or day_entries):
            continue
        days.append(
            AgendaDay(
                day=day,
                holiday=str(holidays.get(day, "")),
                is_today=day == today,
                slots=day_slots,
                entries=day_entries,
            )
        )
    return AgendaWeek(monday=monday, days=days)
