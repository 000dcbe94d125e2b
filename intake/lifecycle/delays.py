"""The delays the reports read, stored on each request as they happen: the working days from
the reception to the team's first decision and to the first session held, the days waiting
for the applicant left out (an ``intake.ask`` starts a wait, the applicant's reply or the
team's ``resume`` ends it).

``measured()`` reads them from the audit log and the appointments: the lifecycle calls it
(through ``record()``) when the team first decides and when a session's outcome is recorded,
and the migration that added the columns filled them with it, so that both agree. Which
moves decide is the move registry's word (``moves.decision_actions()``): the callers say.
"""

from collections import defaultdict

from django.db.models import DateField, OuterRef, Subquery, Value
from django.db.models.functions import TruncDate

from ..models import Appointment, IntakeRequest, RequestLogEntry
from ..workdays import WorkingDayIndex, working_days_between

WAIT_STARTS = "intake.ask"
WAIT_ENDS = frozenset({"intake.reply", "intake.resume"})
FIELDS = ["decision_working_days", "session_working_days"]


def waits_of(events):
    """The waits for the applicant [(first day, last day or None while it lasts)] told by a
    request's ``events`` [(action, day)], in order."""
    waits = []
    for action, day in events:
        if action == WAIT_STARTS and (not waits or waits[-1][1] is not None):
            waits.append((day, None))
        elif action in WAIT_ENDS and waits and waits[-1][1] is None:
            waits[-1] = (waits[-1][0], day)
    return waits


def working_delay(received_on, reached_on, waits, between=working_days_between):
    """Working days from ``received_on`` to ``reached_on``, the ``waits`` for the applicant
    before it left out (a wait still running, or ending later, counts up to ``reached_on``).
    ``between`` counts the working days between two days."""
    paused = sum(
        between(since, reached_on if until is None else min(until, reached_on))
        for since, until in waits
        if since <= reached_on
    )
    return max(between(received_on, reached_on) - paused, 0)


def measured(requests, entries, appointments, decisions):
    """{request pk: (working days to the first decision, to the first session held), each
    None when not reached} for the ``requests`` queryset, in two queries whatever their
    number. ``entries`` and ``appointments`` are the managers of the audit log and of the
    appointments (a migration passes its historical ones), ``decisions`` the audit-log
    actions that decide a request; the days are Paris's."""
    first_decision = entries.filter(intake_request=OuterRef("pk"), action__in=decisions).order_by(
        "timestamp"
    )
    first_held = appointments.filter(
        request=OuterRef("pk"), status=Appointment.Status.HELD
    ).order_by("starts_at")
    rows = list(
        requests.order_by()
        .annotate(
            received_on=TruncDate("created_at"),
            decided_on=TruncDate(Subquery(first_decision.values("timestamp")[:1]))
            if decisions
            else Value(None, output_field=DateField()),
            held_on=TruncDate(Subquery(first_held.values("starts_at")[:1])),
        )
        .values_list("pk", "received_on", "decided_on", "held_on")
    )
    logged = (
        entries.filter(
            intake_request_id__in=requests.values("pk"), action__in=[WAIT_STARTS, *WAIT_ENDS]
        )
        .annotate(day=TruncDate("timestamp"))
        .order_by("intake_request_id", "timestamp", "pk")
        .values_list("intake_request_id", "action", "day")
    )
    events = defaultdict(list)
    for pk, action, day in logged:
        events[pk].append((action, day))
    days = [day for row in rows for day in row[1:] if day is not None]
    between = WorkingDayIndex(min(days), max(days)).between if days else working_days_between
    delays = {}
    for pk, received_on, *reached in rows:
        waits = waits_of(events.get(pk, ()))
        delays[pk] = tuple(
            None if day is None else working_delay(received_on, day, waits, between)
            for day in reached
        )
    return delays


def record(intake_request, decision=None):
    """Store the request's delay to its first session held, as its audit log and appointments
    tell it now, and to its first decision when ``decision`` is the action just logged (the
    team's first deciding move)."""
    requests = IntakeRequest.objects.filter(pk=intake_request.pk)
    decisions = {decision} if decision else set()
    values = measured(requests, RequestLogEntry.objects, Appointment.objects, decisions)
    fields = FIELDS if decision else FIELDS[1:]
    for field, value in zip(FIELDS, values[intake_request.pk], strict=True):
        if field in fields:
            setattr(intake_request, field, value)
    requests.update(**{field: getattr(intake_request, field) for field in fields})


def backfill(requests, entries, appointments, decisions, batch=2000):
    """Store the delays of every request of the ``requests`` manager, ``batch`` at a time
    (the migration that added the columns, with its historical managers and the deciding
    actions of its day)."""
    pks = list(requests.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        chunk = requests.filter(pk__in=pks[start : start + batch])
        rows = [
            requests.model(pk=pk, **dict(zip(FIELDS, values, strict=True)))
            for pk, values in measured(chunk, entries, appointments, decisions).items()
            if values != (None, None)
        ]
        requests.bulk_update(rows, FIELDS)
