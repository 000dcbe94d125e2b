"""Print the latency of the team's reports page with 100,000 requests and 30,000 sessions:
SQL queries, p50 and p95 of the last 12 months (the default), a calendar year, three years of
custom dates and one table's CSV export, at a tenth of the data and at all of it, through the
Django test client as a logged-in team member.

Runs against a throw-away test database: PostgreSQL as DATABASE_URL names it (the figure the
issue asks for), or SQLite when it is unset, with the referential loaded. The requests are
bulk-inserted over three years with the audit-log entries the figures read (a decision, and
for a fifth a question and its answer before it), the sessions (held or missed, with their
records' subjects and partners) and satisfaction answers; the delays the requests store are
then filled as the migration that added them did (its time printed: the migration's cost).
Figures only: nothing here is asserted.
"""

import os
import random
import sys
import time
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.request_queue import REPEAT, STATUSES, measure, print_growth  # noqa: E402
from home.models import Partner  # noqa: E402
from intake.lifecycle import delays  # noqa: E402
from intake.lifecycle.moves import decision_actions  # noqa: E402
from intake.models import (  # noqa: E402
    Appointment,
    Collectivite,
    IntakeRequest,
    Need,
    RequestLogEntry,
    SatisfactionAnswer,
    SessionRecord,
)
from tests import factories  # noqa: E402
from tests.two_factor import Client  # noqa: E402

TOTAL = int(os.environ.get("BENCH_REQUESTS", "100000"))
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "30000"))
SIZES = sorted({TOTAL // 10, TOTAL})
BATCH = 5000
ROW = "{:<30}{:>9}{:>10}{:>10}{:>14}"
DECISIONS = {
    "accepted": "accept",
    "in_progress": "accept",
    "closed": "accept",
    "redirected": "redirect",
    "declined": "decline",
    "duplicate": "duplicate",
    "spam": "spam",
}
ACCOMPANIED = ("in_progress", "closed")


def urls():
    year = timezone.localdate().year - 1
    three_years = timezone.localdate() - timedelta(days=3 * 365)
    return {
        "last 12 months (default)": "/admin/rapports/",
        "calendar year": f"/admin/rapports/?periode=annee&annee={year}",
        "three years of dates": (
            f"/admin/rapports/?periode=dates&du={three_years.isoformat()}"
            f"&au={timezone.localdate().isoformat()}"
        ),
        "CSV of the départements": "/admin/rapports/export/departements/csv/",
    }


def fill(start, total, sessions_total, partners):
    """Requests up to ``total``, and sessions in proportion, ``sessions_total`` at ``TOTAL``."""
    rng = random.Random(2026 + start)
    collectivites = list(Collectivite.objects.order_by("?")[:8000])
    statuses = [status for status, weight in STATUSES for _ in range(weight)]
    content_type = ContentType.objects.get_for_model(IntakeRequest)
    now = timezone.now()
    created, backfill_seconds = start, 0.0
    while created < total:
        batch = []
        for number in range(created + 1, min(created + BATCH, total) + 1):
            status = rng.choice(statuses)
            received = now - timedelta(minutes=rng.randrange(60 * 24 * 30, 3 * 365 * 24 * 60))
            batch.append(
                IntakeRequest(
                    reference=f"TE-R-{number:07d}",
                    submission_key=uuid.uuid4(),
                    status=status,
                    collectivite=rng.choice(collectivites) if rng.random() < 0.9 else None,
                    collectivite_name="Commune hors référentiel",
                    collectivite_kind="commune",
                    collectivite_departement=rng.choice(["01", "2A", "971", ""]),
                    first_name="Camille",
                    last_name="Martin",
                    function="Élue",
                    role="elected",
                    email=f"contact{number}@example.fr",
                    phone="+33123456789",
                    needs=["strategy"],
                    rhythm="regular",
                    context="Un conseil citoyen à installer.",
                    first_exchange="slot",
                    consent_at=received,
                    created_at=received,
                    clock_started_on=timezone.localdate(received),
                    started_on=timezone.localdate(received) + timedelta(days=10)
                    if status in ACCOMPANIED
                    else None,
                    ended_at=None
                    if status in IntakeRequest.OPEN_STATUSES
                    else min(received + timedelta(days=rng.randrange(12, 300)), now),
                )
            )
        rows = IntakeRequest.objects.bulk_create(batch)
        entries, appointments, answers = [], [], []
        for row in rows:
            moment = row.created_at
            if rng.random() < 0.2:
                moment += timedelta(hours=rng.randrange(2, 48))
                entries.append(entry(content_type, row, "intake.ask", moment))
                moment += timedelta(hours=rng.randrange(24, 200))
                entries.append(entry(content_type, row, "intake.reply", moment))
            if row.status in DECISIONS:
                moment += timedelta(hours=rng.randrange(2, 240))
                entries.append(entry(content_type, row, f"intake.{DECISIONS[row.status]}", moment))
            if row.status == "closed" and rng.random() < 0.3:
                answers.append(
                    SatisfactionAnswer(
                        request=row, score=rng.randint(1, 5), answered_at=row.ended_at
                    )
                )
        accompanied = [row for row in rows if row.status in ACCOMPANIED]
        for _ in range(sessions_total * len(rows) // TOTAL):
            row = rng.choice(accompanied)
            starts = row.created_at + timedelta(days=rng.randrange(10, 300))
            appointments.append(
                Appointment(
                    request=row,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1),
                    kind=Appointment.Kind.WORKING_SESSION,
                    status=Appointment.Status.HELD
                    if rng.random() < 0.9
                    else Appointment.Status.NO_SHOW,
                    seat=None,
                )
            )
        RequestLogEntry.objects.bulk_create(entries)
        SatisfactionAnswer.objects.bulk_create(answers)
        appointments = Appointment.objects.bulk_create(appointments)
        records = SessionRecord.objects.bulk_create(
            [
                SessionRecord(appointment=appointment, subjects=rng.sample(Need.values, 2))
                for appointment in appointments
                if appointment.status == Appointment.Status.HELD
            ]
        )
        SessionRecord.partners.through.objects.bulk_create(
            [
                SessionRecord.partners.through(sessionrecord=record, partner=rng.choice(partners))
                for record in records
                if rng.random() < 0.4
            ]
        )
        started = time.perf_counter()
        delays.backfill(
            IntakeRequest.objects.filter(pk__in=[row.pk for row in rows]),
            RequestLogEntry.objects,
            Appointment.objects,
            decision_actions(),
        )
        backfill_seconds += time.perf_counter() - started
        created += len(batch)
        print(f"  {created} requests, {Appointment.objects.count()} sessions", flush=True)
    return backfill_seconds


def entry(content_type, intake_request, action, moment):
    return RequestLogEntry(
        content_type=content_type,
        intake_request=intake_request,
        label=intake_request.reference,
        action=action,
        timestamp=moment,
    )


def main():
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # A throw-away database of its own name: other benchmarks may run on the same server.
    connection.settings_dict["TEST"]["NAME"] = "test_bench_reports"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_collectivites", stdout=StringIO())
        partners = [
            Partner.objects.create(name=f"Partenaire {n}", kind="expert") for n in range(1, 31)
        ]
        member = factories.user_in_group("Équipe", "agent1")
        client = Client()
        client.force_login(member)
        filled = 0
        queries = {}
        for size in SIZES:
            started = time.perf_counter()
            backfill_seconds = fill(filled, size, SESSIONS, partners)
            print(
                f"inserted {size} requests in {time.perf_counter() - started:.0f} s, "
                f"their stored delays filled in {backfill_seconds:.1f} s "
                f"({(size - filled) / backfill_seconds:.0f} requests per second)"
            )
            filled = size
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            sessions = Appointment.objects.count()
            print(
                f"database: {connection.vendor}; {size} requests, {sessions} sessions; "
                f"{REPEAT} requests per figure"
            )
            print(ROW.format("reports page", "queries", "p50 ms", "p95 ms", "SQL p95 ms"))
            for name, url in urls().items():
                count, median, slowest, sql = measure(client, url)
                queries.setdefault(name, []).append(count)
                print(ROW.format(name, count, f"{median:.0f}", f"{slowest:.0f}", f"{sql:.0f}"))
        print_growth(queries, "page", SIZES, "requests")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
