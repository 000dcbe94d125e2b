"""Print the team agenda's latency with 30,000 working sessions: p50/p95 of the current week,
the next one, a week a year ago and one with a closure, and their SQL queries at 3,000 and at
30,000 sessions, through the Django test client as a logged-in team member.

Runs against a throw-away test database: PostgreSQL as DATABASE_URL names it (the figure the
issue asks for), or SQLite when it is unset. The sessions are bulk-inserted for a thousand
accompanied requests, held by one or both of two team members, with a video link; the past
ones held or missed, a few cancelled; the Monday permanence's slots hold first exchanges.
They are spread over as many weeks as make BENCH_WEEKLY sessions a week at full size (60 by
default: six times what a team of two holds; four fifths of them past), so that a week at a
tenth holds a tenth. Figures only: nothing here is asserted.
"""

import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.request_queue import p95, print_growth, run_logged  # noqa: E402
from intake.agenda import monday_of  # noqa: E402
from intake.models import PARIS, Appointment, Closure, IntakeRequest  # noqa: E402
from tests import factories  # noqa: E402
from tests.two_factor import Client  # noqa: E402

TOTAL = int(os.environ.get("BENCH_SESSIONS", "30000"))
# The sizes at which the queries are counted and the pages timed: the last is TOTAL.
SIZES = sorted({TOTAL // 10, TOTAL})
SESSIONS_PER_REQUEST = 30
REPEAT = 30
BATCH = 5000
WEEKLY = int(os.environ.get("BENCH_WEEKLY", "60"))
SPAN_DAYS = max(TOTAL * 7 // WEEKLY, 7)
PAST_DAYS, FUTURE_DAYS = SPAN_DAYS * 4 // 5, SPAN_DAYS - SPAN_DAYS * 4 // 5
ROW = "{:<28}{:>9}{:>10}{:>10}{:>14}{:>14}"
Status = Appointment.Status


def weeks():
    """The weeks timed, by name: their ?semaine= value."""
    today = timezone.localdate()
    return {
        "this week": "",
        "next week": (today + timedelta(days=7)).isoformat(),
        "a year ago": (today - timedelta(days=364)).isoformat(),
        "week with a closure": (today + timedelta(days=21)).isoformat(),
    }


def session_status(rng, starts_at, now):
    if rng.random() < 0.05:
        return rng.choice([Status.CANCELLED_BY_APPLICANT, Status.CANCELLED_BY_TEAM])
    if starts_at > now:
        return Status.BOOKED
    return Status.NO_SHOW if rng.random() < 0.1 else Status.HELD


def fill(start, total, members):
    """Sessions ``start``+1 to ``total``, with a new request for every thirty."""
    rng = random.Random(2026 + start)
    now = timezone.now()
    first_day = timezone.localdate() - timedelta(days=PAST_DAYS)
    created = start
    while created < total:
        count = min(BATCH, total - created)
        requests = IntakeRequest.objects.bulk_create(
            [
                IntakeRequest(
                    reference=f"TE-A-{created + number:07d}",
                    submission_key=uuid.uuid4(),
                    status="in_progress",
                    collectivite_name=f"Commune {created + number}",
                    collectivite_kind="commune",
                    first_name="Camille",
                    last_name="Martin",
                    function="Élue",
                    role="elected",
                    email=f"agenda{created + number}@example.fr",
                    phone="+33123456789",
                    needs=["strategy"],
                    rhythm="regular",
                    context="Un conseil citoyen.",
                    first_exchange="slot",
                    consent_at=now,
                    assignee=rng.choice(members),
                    clock_started_on=now.date(),
                    response_due_on=now.date(),
                )
                for number in range(count // SESSIONS_PER_REQUEST or 1)
            ]
        )
        sessions = []
        for _ in range(count):
            day = first_day + timedelta(days=rng.randrange(PAST_DAYS + FUTURE_DAYS))
            starts_at = datetime(
                day.year,
                day.month,
                day.day,
                rng.randrange(8, 19),
                rng.choice([0, 30]),
                tzinfo=PARIS,
            )
            sessions.append(
                Appointment(
                    request=rng.choice(requests),
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=rng.choice([60, 90, 120])),
                    kind=Appointment.Kind.WORKING_SESSION,
                    status=session_status(rng, starts_at, now),
                    seat=None,
                    video_link=f"https://webconf.numerique.gouv.fr/te-{rng.randrange(10**6)}",
                )
            )
        sessions = Appointment.objects.bulk_create(sessions)
        Appointment.hosts.through.objects.bulk_create(
            [
                Appointment.hosts.through(appointment=session, user=member)
                for session in sessions
                for member in rng.sample(members, rng.randint(1, len(members)))
            ]
        )
        created += count
        print(f"  {created} sessions", flush=True)


def first_exchanges(members):
    """A first exchange in every Monday slot of the permanence, over the whole span."""
    rng = random.Random(7)
    now = timezone.now()
    monday = monday_of(timezone.localdate() - timedelta(days=PAST_DAYS))
    requests = list(IntakeRequest.objects.order_by("pk")[:500])
    rows = []
    while monday <= timezone.localdate() + timedelta(days=FUTURE_DAYS):
        for minutes in range(14 * 60, 17 * 60, 30):
            starts_at = datetime(
                monday.year, monday.month, monday.day, minutes // 60, minutes % 60, tzinfo=PARIS
            )
            rows.append(
                Appointment(
                    request=rng.choice(requests),
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=30),
                    status=Status.BOOKED if starts_at > now else Status.HELD,
                )
            )
        monday += timedelta(days=7)
    Appointment.objects.bulk_create(rows)
    return len(rows)


ROW_HEADER = b'<th scope="row">'


def measure(client, url, chrome_rows):
    client.get(url)  # warm the caches, as a running server would
    response, queries = run_logged(client, url)
    assert response.status_code == 200, (url, response.status_code)
    # Each appointment is a row headed by its time (the admin's own tables have some too).
    shown = response.content.count(ROW_HEADER) - chrome_rows
    timings, sql_timings = [], []
    for _ in range(REPEAT):
        start = time.perf_counter()
        _response, queries_run = run_logged(client, url)
        timings.append((time.perf_counter() - start) * 1000)
        sql_timings.append(sum(duration for duration, _sql in queries_run))
    return len(queries), shown, statistics.median(timings), p95(timings), p95(sql_timings)


def main():
    # Not setup_test_environment(): its template instrumentation would slow every render.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        members = [
            factories.user_in_group("Équipe", name, first_name=first, last_name="Agent")
            for name, first in (("camille.agent", "Camille"), ("dominique.agent", "Dominique"))
        ]
        closed = timezone.localdate() + timedelta(days=21)
        Closure.objects.create(start_date=closed, end_date=closed, reason="Séminaire")
        client = Client()
        client.force_login(members[0])
        # A week long before any session: the row headers of the admin's own furniture.
        chrome_rows = client.get("/admin/agenda/?semaine=2000-01-03").content.count(ROW_HEADER)
        filled = 0
        queries = {}
        for size in SIZES:
            started = time.perf_counter()
            fill(filled, size, members)
            if not filled:
                print(f"  {first_exchanges(members)} first exchanges in the permanence")
            filled = size
            print(f"inserted {size} sessions in {time.perf_counter() - started:.0f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(f"database: {connection.vendor}; {size} sessions; {REPEAT} requests per figure")
            print(ROW.format("agenda week", "queries", "shown", "p50 ms", "p95 ms", "SQL p95 ms"))
            for name, week in weeks().items():
                url = f"/admin/agenda/?semaine={week}" if week else "/admin/agenda/"
                count, shown, median, slowest, sql = measure(client, url, chrome_rows)
                queries.setdefault(name, []).append(count)
                print(
                    ROW.format(name, count, shown, f"{median:.0f}", f"{slowest:.0f}", f"{sql:.0f}")
                )
        print_growth(queries, "week", SIZES, "sessions")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
