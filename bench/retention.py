"""Print the anonymisation rate (requests per second) of the retention's lifecycle, one copy and
two copies at once, with the dry run's time before.

Runs against a throw-away test database: PostgreSQL as DATABASE_URL names it (the figure the
issue asks for; two copies then share the work through their row locks), or SQLite when it is
unset (one copy only: SQLite has no row locks to share it by). BENCH_RETENTION requests (2,000
by default) ended 30 months ago are bulk-inserted, each with what a lived request holds: three
messages, a note, a held session with its compte-rendu and two action items, two sent emails,
a status link and six audit-log entries with words. Files are left out (their deletion is the
storage's, after the commit). Figures only: nothing here is asserted.
"""

import os
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from intake.lifecycle import retention  # noqa: E402
from intake.models import (  # noqa: E402
    AccessToken,
    ActionItem,
    Appointment,
    IntakeRequest,
    InternalNote,
    OutgoingEmail,
    RequestLogEntry,
    RequestMessage,
    SessionRecord,
)

TOTAL = int(os.environ.get("BENCH_RETENTION", "2000"))
BATCH = 1000
ACTIONS = ["intake.submitted", "intake.take", "intake.message_received", "intake.message_sent"]
ACTIONS += ["intake.note_added", "intake.close"]


def fill(prefix, total):
    """``total`` ended requests and what hangs off them, in batches."""
    now = timezone.now()
    ended = now - timedelta(days=30 * 31)
    content_type = ContentType.objects.get_for_model(IntakeRequest)
    for start in range(0, total, BATCH):
        count = min(BATCH, total - start)
        requests = IntakeRequest.objects.bulk_create(
            [
                IntakeRequest(
                    reference=f"TE-{prefix}-{start + number:06d}",
                    submission_key=uuid.uuid4(),
                    status="closed",
                    collectivite_name=f"Commune {start + number}",
                    collectivite_kind="commune",
                    first_name="Gwenaëlle",
                    last_name=f"Kerbrat {start + number}",
                    function="Adjointe à la démocratie locale",
                    role="elected",
                    email=f"personne{prefix}{start + number}@example.fr",
                    phone="+33298765432",
                    needs=["strategy"],
                    rhythm="regular",
                    context="Le quartier du Bourg veut son budget participatif.",
                    existing_bodies="Conseil des sages",
                    first_exchange="slot",
                    consent_at=ended - timedelta(days=200),
                    created_at=ended - timedelta(days=200),
                    ended_at=ended,
                    closing_summary="Budget voté avec Gwenaëlle Kerbrat.",
                    closing_subjects=["strategy"],
                )
                for number in range(count)
            ]
        )
        RequestMessage.objects.bulk_create(
            RequestMessage(request=request, author=author, body=f"Message de {request.last_name}")
            for request in requests
            for author in ("applicant", "team", "applicant")
        )
        InternalNote.objects.bulk_create(
            InternalNote(request=request, body=f"{request.last_name} préfère le matin.")
            for request in requests
        )
        sessions = Appointment.objects.bulk_create(
            Appointment(
                request=request,
                starts_at=ended - timedelta(days=30),
                ends_at=ended - timedelta(days=30, hours=-1),
                kind=Appointment.Kind.WORKING_SESSION,
                status=Appointment.Status.HELD,
                seat=None,
                video_link="https://visio.example.fr/kerbrat",
            )
            for request in requests
        )
        SessionRecord.objects.bulk_create(
            SessionRecord(appointment=session, subjects=["strategy"], report="<p>Compte rendu</p>")
            for session in sessions
        )
        ActionItem.objects.bulk_create(
            ActionItem(appointment=session, title=f"Rappeler {number}", owner="team")
            for session in sessions
            for number in range(2)
        )
        OutgoingEmail.objects.bulk_create(
            OutgoingEmail(
                request=request,
                kind="team_reply",
                to=[request.email],
                subject=f"Pour {request.last_name}",
                body_text="Bonjour",
                status=OutgoingEmail.Status.SENT,
                sent_at=ended,
            )
            for request in requests
            for _ in range(2)
        )
        AccessToken.objects.bulk_create(
            AccessToken(request=request, digest=uuid.uuid4().hex * 2) for request in requests
        )
        RequestLogEntry.objects.bulk_create(
            RequestLogEntry(
                intake_request=request,
                content_type=content_type,
                label=str(request.reference),
                action=action,
                data={"detail": f"Avec {request.last_name}", "message": 1},
                timestamp=ended,
            )
            for request in requests
            for action in ACTIONS
        )


def anonymise_all():
    """One copy's rounds until nothing is due; how many requests it anonymised."""
    done = 0
    while True:
        count = retention.anonymise_due()["requests"]
        if not count:
            return done
        done += count


def one_copy():
    started = time.perf_counter()
    done = anonymise_all()
    return done, time.perf_counter() - started


def two_copies():
    results = [0, 0]

    def copy(index):
        try:
            results[index] = anonymise_all()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=copy, args=(index,)) for index in range(2)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def main():
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        fill("A", TOTAL)
        print(f"inserted {TOTAL} ended requests in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"database: {connection.vendor}; batch of {retention.BATCH_SIZE} requests")
        started = time.perf_counter()
        counts, references = retention.plan()
        print(
            f"dry run: {len(references)} requests to anonymise, "
            f"{sum(counts.values.values())} rows, in {time.perf_counter() - started:.2f} s"
        )
        done, seconds = one_copy()
        print(f"one copy: {done} requests in {seconds:.1f} s, {done / seconds:.0f} requests/s")
        if connection.vendor != "postgresql":
            return
        fill("B", TOTAL)
        (first, second), seconds = two_copies()
        logged = RequestLogEntry.objects.filter(action="intake.anonymised").count()
        print(
            f"two copies: {first} + {second} requests in {seconds:.1f} s, "
            f"{(first + second) / seconds:.0f} requests/s; "
            f"{logged - done} anonymisations logged for {TOTAL} requests"
        )
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
