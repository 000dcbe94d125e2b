"""The reminder two days before each appointment: to the applicant and to each host, exactly
once; a move re-arms it, a cancellation disarms it, two copies of the job send it once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from intake.lifecycle import commands, reminders
from intake.models import Appointment, IntakeRequest, OutgoingEmail
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.conftest import sent_to
from tests.intake.factories import intake_request

Status = IntakeRequest.Status
LINK = "https://webconf.numerique.gouv.fr/te-rappel"


@pytest.fixture
def session(db, team_member, committed):
    """A working session of an accepted request, in three days, held by the team member."""
    accepted = intake_request(
        collectivite_name="Lavaur", status=Status.ACCEPTED, decided_at=timezone.now()
    )
    starts_at = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    booked = committed(
        commands.team_books,
        accepted,
        by=team_member,
        starts_at=starts_at,
        minutes=60,
        hosts=[team_member],
        video_link=LINK,
    )
    mail.outbox.clear()
    return booked


def run(committed, now):
    return committed(reminders.send_due_reminders, now=now)


@pytest.mark.django_db
def test_sent_two_days_before_to_the_applicant_and_each_host(session, committed, team_member):
    request = session.request
    assert run(committed, session.starts_at - timedelta(days=2, minutes=1)) == 0
    assert mail.outbox == []

    assert run(committed, session.starts_at - timedelta(days=2)) == 1
    [to_applicant] = sent_to(request.email)
    assert to_applicant.subject.startswith("Rappel : Séance de travail le ")
    assert "Nous vous rappelons votre rendez-vous (séance de travail) du " in to_applicant.body
    assert f"Lien de la visioconférence : {LINK}" in to_applicant.body
    assert "/suivi/" in to_applicant.body
    [to_host] = sent_to(team_member.email)
    assert to_host.subject.startswith(f"Rappel : Séance de travail — Lavaur ({request.reference})")
    assert "Avec : Camille Agent" in to_host.body
    assert "/suivi/" not in to_host.body

    # Exactly once: later runs send nothing more.
    assert run(committed, session.starts_at - timedelta(days=1)) == 0
    assert len(mail.outbox) == 2
    session.refresh_from_db()
    assert session.reminded_for == session.starts_at


@pytest.mark.django_db
def test_moving_re_arms_and_cancelling_disarms(session, committed, team_member):
    run(committed, session.starts_at - timedelta(days=1))
    new_start = session.starts_at + timedelta(days=7)
    committed(commands.reschedule, session, by=team_member, starts_at=new_start, message="Décalée.")
    mail.outbox.clear()
    assert run(committed, new_start - timedelta(days=1)) == 1
    assert len(sent_to(session.request.email)) == 1

    later = new_start + timedelta(days=7)
    committed(commands.reschedule, session, by=team_member, starts_at=later, message="Encore.")
    session.refresh_from_db()
    committed(commands.cancel_appointment, session, by=team_member, message="Annulée.")
    mail.outbox.clear()
    assert run(committed, later - timedelta(days=1)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_past_appointment_is_not_reminded(session, committed):
    assert run(committed, session.starts_at + timedelta(minutes=1)) == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_copies_at_once_send_each_reminder_once():
    starts = timezone.now() + timedelta(days=1)
    for number in range(6):
        Appointment.objects.create(
            request=intake_request(status=Status.ACCEPTED, decided_at=timezone.now()),
            starts_at=starts + timedelta(hours=number),
            ends_at=starts + timedelta(hours=number, minutes=30),
            seat=None,
        )
    counts, barrier = [], threading.Barrier(2)

    def copy():
        barrier.wait()
        counts.append(reminders.send_due_reminders())
        connection.close()

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 6
    assert OutgoingEmail.objects.filter(kind="appointment_reminder").count() == 6


@pytest.mark.django_db
def test_the_reminders_are_valid_html(session, committed):
    vnu_command()
    run(committed, session.starts_at - timedelta(days=1))
    assert_valid_html({email.subject: email.alternatives[0][0] for email in mail.outbox})
