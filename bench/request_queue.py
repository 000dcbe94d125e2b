"""Print the team queue's latency with 100,000 requests: p50/p95 of the default tab, of
filtered lists and of searches across the context, the messages, the notes and the places,
their SQL queries at 10,000 and at 100,000 requests, through the Django test client as a
logged-in team member.

Runs against a throw-away test database: PostgreSQL as DATABASE_URL names it (the figure the
issue asks for), or SQLite when it is unset. The referential is loaded (the filters list its
départements and régions), then the requests are bulk-inserted with labels, assignees,
appointments, messages and notes, their search text written as the lifecycle writes it, in
statuses and ages spread like a few busy years.
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
from django.utils import timezone  # noqa: E402

from intake.models import (  # noqa: E402
    Appointment,
    Collectivite,
    IntakeRequest,
    InternalNote,
    Label,
    RequestMessage,
)
from tests import factories  # noqa: E402
from tests.two_factor import Client  # noqa: E402

TOTAL = int(os.environ.get("BENCH_REQUESTS", "100000"))
# The sizes at which the queries are counted and the pages timed: the last is TOTAL.
SIZES = sorted({TOTAL // 10, TOTAL})
REPEAT = 30
BATCH = 5000
URLS = {
    "default tab (Nouvelles)": "/admin/demandes/",
    "all, page 40": "/admin/demandes/?vue=toutes&p=40",
    "filtered search": "/admin/demandes/?vue=toutes&q=martin&departement=94&status=in_review"
    "&ordering=-created_at",
    "late responses": "/admin/demandes/?vue=toutes&response=late",
    "search: context": "/admin/demandes/?vue=toutes&q=tiers-lieu",
    "search: message": "/admin/demandes/?vue=toutes&q=budget+participatif",
    "search: note": "/admin/demandes/?vue=toutes&q=relancer+l%27adjointe",
    "search: rare word": "/admin/demandes/?vue=toutes&q=m%C3%A9diath%C3%A8que",
    "search: no match": "/admin/demandes/?vue=toutes&q=introuvable",
    "search: place names": "/admin/demandes/?vue=toutes&q=R%C3%A9union",
    "search: 3 words + filters": "/admin/demandes/?vue=toutes&q=camille+val-de-marne+conseil"
    "&rendez_vous=aucun&premier_echange=call_back",
}
# The page's time, and the part of it its SQL queries took (the rest renders the page).
ROW = "{:<28}{:>9}{:>10}{:>10}{:>14}"
# What people write, as phrases drawn at random: some common, some rare ("médiathèque").
CONTEXTS = [
    "Nous voulons créer un conseil citoyen et associer les habitants au projet de mandat.",
    "La commune prépare un budget participatif pour l'an prochain.",
    "Un tiers-lieu ouvre en centre-bourg et cherche sa gouvernance.",
    "Les élus souhaitent relancer les conseils de quartier.",
    "Nous avons besoin d'aide pour une concertation sur le plan local d'urbanisme.",
    "Le conseil municipal des jeunes ne se réunit plus depuis deux ans.",
    "Une convention citoyenne sur la transition écologique est envisagée.",
]
MESSAGES = [
    "Bonjour, pouvez-vous nous rappeler cette semaine ?",
    "Voici le compte rendu de notre dernière réunion publique.",
    "Où en est notre dossier de budget participatif ?",
    "Merci pour l'échange, nous revenons vers vous après le conseil municipal.",
    "Le lien de la visioconférence ne fonctionne pas.",
    "La médiathèque accueillera la première séance.",
]
NOTES = [
    "Relancer l'adjointe après l'été.",
    "Voir avec la préfecture pour les financements.",
    "Dossier proche de celui de la commune voisine.",
    "Contact très motivé, projet mûr.",
]
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


def phrases(rng, choices, most):
    """Up to ``most`` phrases, the rarer ones (at the end of ``choices``) less often."""
    weights = [len(choices) - index for index in range(len(choices))]
    return rng.choices(choices, weights, k=rng.randint(0, most))


def fill(start, total, members):
    rng = random.Random(2026 + start)
    communes = list(Collectivite.objects.filter(kind="commune").order_by("pk")[:5000])
    labels = [
        Label.objects.get_or_create(name=name)[0] for name in ("Relance", "Élus", "Financement")
    ]
    statuses = [status for status, weight in STATUSES for _ in range(weight)]
    now = timezone.now()
    created = start
    while created < total:
        batch, threads = [], []
        for number in range(created + 1, min(created + BATCH, total) + 1):
            status = rng.choice(statuses)
            received = now - timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
            intake_request = IntakeRequest(
                reference=f"TE-B-{number:07d}",
                submission_key=uuid.uuid4(),
                status=status,
                collectivite=rng.choice(communes),
                first_name=rng.choice(["Camille", "Dominique", "Claude", "Lou"]),
                last_name=rng.choice(["Martin", "Bernard", "Roux", "Petit", "Durand"]),
                function="Élu",
                role="elected",
                email=f"contact{number}@example.fr",
                phone="+33123456789",
                needs=["strategy", "funding"][: rng.randint(1, 2)],
                rhythm="regular",
                context=" ".join(phrases(rng, CONTEXTS, 3)) or CONTEXTS[0],
                first_exchange=rng.choice(["slot", "slot", "call_back", "no_slot"]),
                consent_at=received,
                created_at=received,
                assignee=None if status == "submitted" else rng.choice(members),
                clock_started_on=received.date(),
                response_due_on=(received + timedelta(days=7)).date(),
                ended_at=None if status in IntakeRequest.OPEN_STATUSES else now,
            )
            messages, notes = phrases(rng, MESSAGES, 4), phrases(rng, NOTES, 2)
            intake_request.search_text = intake_request.search_document([*messages, *notes])
            batch.append(intake_request)
            threads.append((messages, notes))
        rows = IntakeRequest.objects.bulk_create(batch)
        RequestMessage.objects.bulk_create(
            [
                RequestMessage(request=row, author="applicant", body=body)
                for row, (messages, _notes) in zip(rows, threads, strict=True)
                for body in messages
            ]
        )
        InternalNote.objects.bulk_create(
            [
                InternalNote(request=row, author=rng.choice(members), body=body)
                for row, (_messages, notes) in zip(rows, threads, strict=True)
                for body in notes
            ]
        )
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
    timings, sql_timings = [], []
    for _ in range(REPEAT):
        start = time.perf_counter()
        _response, queries_run = run_logged(client, url)
        timings.append((time.perf_counter() - start) * 1000)
        sql_timings.append(sum(duration for duration, _sql in queries_run))
    return len(queries), statistics.median(timings), p95(timings), p95(sql_timings)


def p95(timings):
    timings = sorted(timings)
    return timings[max(int(len(timings) * 0.95) - 1, 0)]


def print_growth(queries, per, sizes, unit):
    """Whether the queries of each figure ({name: [count at each size]}) stayed the same."""
    grown = [name for name, counts in queries.items() if len(set(counts)) > 1]
    print(
        f"queries per {per} at {' and '.join(str(size) for size in sizes)} {unit}: "
        + ("the same" if not grown else f"grew for {', '.join(grown)}")
    )


def main():
    # Not setup_test_environment(): its template instrumentation would slow every render.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_collectivites", stdout=StringIO())
        members = [factories.user_in_group("Équipe", f"agent{n}") for n in range(1, 6)]
        client = Client()
        client.force_login(members[0])
        filled = 0
        queries = {}
        for size in SIZES:
            started = time.perf_counter()
            fill(filled, size, members)
            filled = size
            print(f"inserted {size} requests in {time.perf_counter() - started:.0f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(f"database: {connection.vendor}; {size} requests; {REPEAT} requests per figure")
            print(ROW.format("queue page", "queries", "p50 ms", "p95 ms", "SQL p95 ms"))
            for name, url in URLS.items():
                count, median, slowest, sql = measure(client, url)
                queries.setdefault(name, []).append(count)
                print(ROW.format(name, count, f"{median:.0f}", f"{slowest:.0f}", f"{sql:.0f}"))
        print_growth(queries, "page", SIZES, "requests")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
