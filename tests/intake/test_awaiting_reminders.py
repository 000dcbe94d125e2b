"""The reminder to an applicant the team has awaited for more than 7 days: with a status link
of its own, once per wait, re-armed by a new question, logged in the request's story; two
copies of the job send it once."""

import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.utils import timezone

from intake.lifecycle import awaiting, commands
from intake.models import AccessToken, IntakeRequest, OutgoingEmail, RequestLogEntry
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.factories import intake_request

Status = IntakeRequest.Status


def waiting_since(day, **fields):
    """A request the team asked a question on ``day`` (its clock started the day before)."""
    return intake_request(
        status=Status.AWAITING_APPLICANT,
        clock_started_on=day - timedelta(days=1),
        response_due_on=day + timedelta(days=4),
        paused_on=day,
        **fields,
    )


def run(committed, today):
    return committed(awaiting.send_awaiting_reminders, today=today)


@pytest.mark.django_db
def test_sent_after_seven_days_once_with_a_status_link_and_logged(committed):
    today = timezone.localdate()
    request = waiting_since(today - timedelta(days=7), collectivite_name="Lavaur")
    tokens = AccessToken.objects.filter(request=request).count()

    assert run(committed, today) == 0
    assert mail.outbox == []

    assert run(committed, today + timedelta(days=1)) == 1
    [message] = mail.outbox
    assert message.to == [request.email]
    assert message.subject == (
        f"Rappel : notre question sur votre demande {request.reference} attend votre réponse"
    )
    assert (
        f"Il y a 8 jours, nous vous avons posé une question sur votre demande {request.reference}"
        in message.body
    )
    assert "http://127.0.0.1:8000/suivi/" in message.body
    assert AccessToken.objects.filter(request=request).count() == tokens + 1
    [entry] = RequestLogEntry.objects.filter(action="intake.awaiting_reminded")
    assert (entry.intake_request_id, entry.user_id, entry.data) == (
        request.pk,
        None,
        {"detail": "sans réponse depuis 8 jours"},
    )

    # Once per wait.
    assert run(committed, today + timedelta(days=2)) == 0
    assert run(committed, today + timedelta(days=30)) == 0
    assert len(mail.outbox) == 1
    request.refresh_from_db()
    assert request.awaiting_reminded_for == today - timedelta(days=7)


@pytest.mark.django_db
def test_a_new_question_re_arms_it(committed, team_member):
    today = timezone.localdate()
    request = waiting_since(today - timedelta(days=10))
    assert run(committed, today) == 1

    committed(commands.applicant_writes, request, body="Voici notre réponse.")
    committed(commands.ask, request, by=team_member, message="Et le calendrier ?")
    mail.outbox.clear()

    assert run(committed, today + timedelta(days=7)) == 0
    assert run(committed, today + timedelta(days=8)) == 1
    assert [message.to for message in mail.outbox] == [[request.email]]
    assert RequestLogEntry.objects.filter(action="intake.awaiting_reminded").count() == 2


@pytest.mark.django_db
def test_an_answered_or_ended_request_is_not_reminded(committed):
    long_ago = timezone.localdate() - timedelta(days=30)
    for status in (Status.IN_REVIEW, Status.WITHDRAWN):
        intake_request(status=status, clock_started_on=long_ago, paused_on=long_ago)
    intake_request(status=Status.AWAITING_APPLICANT)
    assert run(committed, timezone.localdate()) == 0


@pytest.mark.django_db
def test_the_team_s_thread_tells_it(committed, team_member, client):
    request = waiting_since(timezone.localdate() - timedelta(days=9))
    run(committed, timezone.localdate())
    client.force_login(team_member)
    page = client.get(f"/admin/demandes/{request.pk}/").content.decode()
    assert "Relance automatique envoyée à la collectivité — sans réponse depuis 9 jours" in page


@pytest.mark.django_db
def test_the_reminder_is_valid_html(committed):
    vnu_command()
    waiting_since(timezone.localdate() - timedelta(days=8))
    run(committed, timezone.localdate())
    assert_valid_html({email.subject: email.alternatives[0][0] for email in mail.outbox})


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_copies_at_once_send_each_reminder_once():
    # Earlier transactional tests recreated the content types: no stale id in the audit log.
    ContentType.objects.clear_cache()
    for _number in range(5):
        waiting_since(timezone.localdate() - timedelta(days=8))
    counts, barrier = [], threading.Barrier(2)

    def copy():
        barrier.wait()
        counts.append(awaiting.send_awaiting_reminders())
        connection.close()

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 5
    assert OutgoingEmail.objects.filter(kind="awaiting_reminder").count() == 5
