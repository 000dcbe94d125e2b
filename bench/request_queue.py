"""Print the team queue's latency with 100,000 requests: p50/p95 of the default tab and of a
filtered search, their SQL queries, through the Django test client as a logged-in team member.

Runs against a throw-away test database: PostgreSQL as DATABASE_URL names it (the figure the
issue asks for), or SQLite when it is unset. The referential is loaded (the filters list its
départements and régions), then the requests are bulk-inserted with labels, assignees and
appointments, in statuses and ages spread like a few busy years.
Figures only: nothing here is asserted.
"""

import os
import random
import statistics
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from intake.models import Appointment, Collectivite, IntakeRequest, Label  # noqa: E402
from tests import factories  # noqa: E402

TOTAL = int(os.environ.get("BENCH_REQUESTS", "100000"))
REPEAT = 30
BATCH = 5000
URLS = {
    "default tab (Nouvelles)": "/admin/demandes/",
    "all, page 40": "/admin/demandes/?vue=toutes&p=40",
    "filtered search": "/admin/demandes/?vue=toutes&q=martin&departement=94&status=in_review"
    "&ordering=-created_at",
    "late responses": "/admin/demandes/?vue=toutes&response=late",
}
ROW = "{:<28}{:>9}{:>10}{:>10}"
STATUSES = [
    ("submitted", 2),
    ("in_review", 4),
    ("awaiting_applicant", 2),
    ("accepted", 4),
    ("in_progress", 6),
    ("closed", 50),
    ("redirected", 12),
    ("declined", 12),
    ("duplicate", 3),
    ("spam", 3),
    ("withdrawn", 2),
]


def fill(total, members):
    rng = random.Random(2026)
    communes = list(Collectivite.objects.filter(kind="commune").only("pk")[:5000])
    labels = [Label.objects.create(name=name) for name in ("Relance", "Élus", "Financement")]
    statuses = [status for status, weight in STATUSES for _ in range(weight)]
    now = timezone.now()
    created = 0
    while created < total:
        batch = []
        for number in range(created + 1, min(created + BATCH, total) + 1):
            status = rng.choice(statuses)
            received = now - timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
            batch.append(
                IntakeRequest(
                    reference=f"TE-B-{number:07d}",
                    submission_key=uuid.uuid4(),
                    status=status,
                    collectivite=rng.choice(communes),
                    first_name=rng.choice(["Camille", "Dominique", "Claude", "Lou"]),
                    last_name=rng.choice(["Martin", "Bernard", "Roux", "Petit", "Durand"]),
                    function="Élu",
                    role="elected",
                    email=f"contact{number}@example.fr",
                    phone="01 23 45 67 89",
                    needs=["strategy", "funding"][: rng.randint(1, 2)],
                    rhythm="regular",
                    context="Contexte de la demande.",
                    first_exchange="slot",
                    consent_at=received,
                    created_at=received,
                    assignee=None if status == "submitted" else rng.choice(members),
                    clock_started_on=received.date(),
                    response_due_on=(received + timedelta(days=7)).date(),
                    ended_at=None if status in IntakeRequest.OPEN_STATUSES else now,
                )
            )
        rows = IntakeRequest.objects.bulk_create(batch)
        IntakeRequest.labels.through.objects.bulk_create(
            [
                IntakeRequest.labels.through(intakerequest=row, label=rng.choice(labels))
                for row in rows
                if rng.random() < 0.3
            ]
        )
        Appointment.objects.bulk_create(
            [
                Appointment(
                    request=row,
                    starts_at=now + timedelta(days=1, minutes=30 * (created + index)),
                    ends_at=now + timedelta(days=1, minutes=30 * (created + index) + 30),
                )
                for index, row in enumerate(rows)
                if row.status in ("accepted", "in_progress") and index % 4 == 0
            ]
        )
        created += len(batch)
        print(f"  {created} requests", flush=True)


def run_logged(client, url):
    """The response, and the time of each SQL query it ran (ms)."""
    queries = []

    def record(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - start) * 1000, sql))

    with connection.execute_wrapper(record):
        response = client.get(url)
    return response, queries


def measure(client, url):
    client.get(url)  # warm the caches, as a running server would
    response, queries = run_logged(client, url)
    assert response.status_code == 200, (url, response.status_code)
    if os.environ.get("BENCH_SLOW_QUERIES"):
        for duration, sql in sorted(queries, reverse=True)[:3]:
            print(f"    {duration:6.1f} ms  {sql[:160]}")
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    return len(queries), statistics.median(timings), p95


def main():
    # Not setup_test_environment(): its template instrumentation would slow every render.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_collectivites", stdout=StringIO())
        members = [factories.user_in_group("Équipe", f"agent{n}") for n in range(1, 6)]
        started = time.perf_counter()
        fill(TOTAL, members)
        print(f"inserted {TOTAL} requests in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(members[0])
        print(f"database: {connection.vendor}; {TOTAL} requests; {REPEAT} requests per figure")
        print(ROW.format("queue page", "queries", "p50 ms", "p95 ms"))
        for name, url in URLS.items():
            queries, median, p95 = measure(client, url)
            print(ROW.format(name, queries, f"{median:.0f}", f"{p95:.0f}"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
