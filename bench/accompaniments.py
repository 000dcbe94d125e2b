"""Print the latency of the ongoing accompaniments' listing with 30,000 working sessions over
about 6,000 accompaniments: SQL queries, p50 and p95 of its default order, a sort by the next
session, the filters by state and assignee, a deep page and the dashboard (with its panel of
the sessions to plan or late), at a tenth of the data and at all of it, through the Django test
client as a logged-in team member.

Runs against a throw-away test database: PostgreSQL as DATABASE_URL names it (the figure the
issue asks for), or SQLite when it is unset. The accompaniments are bulk-inserted with their
due windows as the lifecycle stores them, each with five sessions (held, and for a third of
them a next one booked) and action items.
Figures only: nothing here is asserted.
"""

import os
import random
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

from bench.request_queue import REPEAT, measure, print_growth  # noqa: E402
from intake.lifecycle import cadence  # noqa: E402
from intake.models import PARIS, ActionItem, Appointment, IntakeRequest  # noqa: E402
from tests import factories  # noqa: E402
from tests.two_factor import Client  # noqa: E402

SESSIONS = int(os.environ.get("BENCH_SESSIONS", "30000"))
PER_ACCOMPANIMENT = 5
SIZES = sorted({SESSIONS // 10, SESSIONS})
BATCH = 500
ROW = "{:<30}{:>9}{:>10}{:>10}{:>14}"


def urls(member):
    return {
        "default (most pressing)": "/admin/accompagnements/",
        "sorted by next session": "/admin/accompagnements/?ordering=next_on",
        "late only": "/admin/accompagnements/?state=late",
        "to plan, one assignee": f"/admin/accompagnements/?state=to_plan&assignee={member.pk}",
        "page 40": "/admin/accompagnements/?p=40",
        "dashboard": "/admin/",
    }


def fill(start, total, members):
    """Accompaniments up to ``total`` sessions in all, five each."""
    rng = random.Random(2027 + start)
    today = timezone.localdate()
    number = start // PER_ACCOMPANIMENT
    created = start
    while created < total:
        requests, plans = [], []
        for _ in range(min(BATCH, (total - created) // PER_ACCOMPANIMENT)):
            number += 1
            last = today - timedelta(days=rng.randrange(0, 120))
            status = rng.choice(["in_progress"] * 9 + ["suspended"])
            window = cadence.due_window(
                rhythm="regular", last_held_on=last, started_on=last, min_weeks=4, max_weeks=8
            )
            requests.append(
                IntakeRequest(
                    reference=f"TE-C-{number:07d}",
                    submission_key=uuid.uuid4(),
                    status=status,
                    collectivite_name=f"Commune {number}",
                    collectivite_kind="commune",
                    first_name="Camille",
                    last_name="Martin",
                    function="Élue",
                    role="elected",
                    email=f"contact{number}@example.fr",
                    phone="+33123456789",
                    needs=["strategy"],
                    rhythm="regular",
                    cadence="regular",
                    context="Un conseil citoyen à installer.",
                    first_exchange="slot",
                    consent_at=timezone.now(),
                    assignee=rng.choice(members),
                    decided_at=timezone.now(),
                    started_on=last - timedelta(weeks=24),
                    last_session_on=last,
                    suspended_on=today if status == "suspended" else None,
                    next_session_from=window.opens,
                    next_session_until=window.closes,
                )
            )
            # A third have their next session booked.
            plans.append((last, rng.random() < 0.33))
        rows = IntakeRequest.objects.bulk_create(requests)
        sessions = []
        for row, (last, booked) in zip(rows, plans, strict=True):
            held = PER_ACCOMPANIMENT - 1 if booked else PER_ACCOMPANIMENT
            for index in range(held):
                day = last - timedelta(weeks=6 * index)
                starts = datetime(day.year, day.month, day.day, 14, tzinfo=PARIS)
                sessions.append(session(row, starts, Appointment.Status.HELD))
            if booked:
                day = today + timedelta(days=rng.randrange(1, 40))
                starts = datetime(day.year, day.month, day.day, 10, tzinfo=PARIS)
                sessions.append(session(row, starts, Appointment.Status.BOOKED))
        sessions = Appointment.objects.bulk_create(sessions)
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    appointment=appointment,
                    title="Délibérer",
                    owner=rng.choice(["team", "collectivite"]),
                    done_at=None if rng.random() < 0.5 else timezone.now(),
                )
                for appointment in sessions
                if appointment.status == Appointment.Status.HELD and rng.random() < 0.4
            ]
        )
        created += len(sessions)
    print(f"  {created} sessions, {IntakeRequest.objects.accompaniments().count()} ongoing")
    return created


def session(intake_request, starts_at, status):
    return Appointment(
        request=intake_request,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        kind=Appointment.Kind.WORKING_SESSION,
        status=status,
        seat=None,
    )


def main():
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # A throw-away database of its own name: other benchmarks may run on the same server.
    connection.settings_dict["TEST"]["NAME"] = "test_bench_accompaniments"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        members = [factories.user_in_group("Équipe", f"agent{n}") for n in range(1, 4)]
        client = Client()
        client.force_login(members[0])
        filled = 0
        queries = {}
        for size in SIZES:
            started = time.perf_counter()
            filled = fill(filled, size, members)
            print(f"inserted {filled} sessions in {time.perf_counter() - started:.0f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(f"database: {connection.vendor}; {filled} sessions; {REPEAT} requests per figure")
            print(ROW.format("accompaniments page", "queries", "p50 ms", "p95 ms", "SQL p95 ms"))
            for name, url in urls(members[0]).items():
                count, median, slowest, sql = measure(client, url)
                queries.setdefault(name, []).append(count)
                print(ROW.format(name, count, f"{median:.0f}", f"{slowest:.0f}", f"{sql:.0f}"))
        print_growth(queries, "page", SIZES, "sessions")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
