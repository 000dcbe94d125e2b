"""The team hears of the applicant's messages without being flooded: while a request's
messages are unread, one email per RATELIMIT_MESSAGE_NOTICE_WINDOW; every message is kept in
the thread and marks the request, whatever is emailed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.lifecycle import commands
from intake.models import OutgoingEmail, RequestMessage
from tests.intake.conftest import sent_to

pytestmark = pytest.mark.django_db

TEAM = "equipe@example.fr"
NOTICE = (
    "Si la collectivité écrit de nouveau dans les 15 minutes, avant que la demande soit "
    "ouverte, ses messages seront dans le fil de la demande, sans nouveau courriel."
)


@pytest.fixture(autouse=True)
def team_address(settings):
    settings.TEAM_NOTIFICATION_EMAIL = TEAM


def notices():
    return OutgoingEmail.objects.filter(kind="team_message")


def applicant_bodies(intake_request):
    return list(
        intake_request.messages.filter(author=RequestMessage.Author.APPLICANT)
        .order_by("pk")
        .values_list("body", flat=True)
    )


def test_sixty_messages_from_one_client_email_the_team_once(
    client, settings, submitted, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_FORM_POSTS = 10**6
    url = f"/suivi/{submitted.token}/"
    for number in range(60):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {"action": "message", "message-body": f"Message {number}"},
                REMOTE_ADDR="203.0.113.9",
            )
        assert response.status_code == 302
    assert applicant_bodies(submitted.intake_request) == [
        f"Message {number}" for number in range(60)
    ]
    [notice] = sent_to(TEAM)
    assert "Message 0" in notice.body and NOTICE in notice.body
    assert notices().count() == 1
    submitted.intake_request.refresh_from_db()
    first = submitted.intake_request.messages.order_by("pk").first()
    assert submitted.intake_request.unread_since == first.created_at


def test_past_the_window_or_once_read_the_team_is_notified_again(committed, submitted, team_member):
    intake_request = submitted.intake_request
    committed(commands.applicant_writes, intake_request, body="Première question")
    committed(commands.applicant_writes, intake_request, body="Deuxième, aussitôt")
    assert notices().count() == 1
    notices().update(created_at=timezone.now() - timedelta(minutes=15, seconds=1))
    committed(commands.applicant_writes, intake_request, body="Troisième, plus tard")
    committed(commands.applicant_writes, intake_request, body="Quatrième, aussitôt")
    commands.team_reads(intake_request, by=team_member)
    intake_request.refresh_from_db()
    committed(commands.applicant_writes, intake_request, body="Cinquième, une fois lue")
    assert [email.body.split("\n\n")[1] for email in sent_to(TEAM)] == [
        "Première question",
        "Troisième, plus tard",
        "Cinquième, une fois lue",
    ]


def test_the_window_is_a_setting(committed, submitted, settings):
    settings.RATELIMIT_MESSAGE_NOTICE_WINDOW = 60
    intake_request = submitted.intake_request
    committed(commands.applicant_writes, intake_request, body="Une question")
    notices().update(created_at=timezone.now() - timedelta(seconds=61))
    committed(commands.applicant_writes, intake_request, body="Une précision")
    assert notices().count() == 2
    assert (
        "Si la collectivité écrit de nouveau dans la minute, avant que la demande soit ouverte, "
        "ses messages seront dans le fil de la demande, sans nouveau courriel."
    ) in sent_to(TEAM)[-1].body


def test_past_the_client_limit_the_message_is_kept_in_the_form(client, settings, submitted):
    settings.RATELIMIT_FORM_POSTS = 10
    url = f"/suivi/{submitted.token}/"
    statuses = []
    for number in range(60):
        response = client.post(url, {"action": "message", "message-body": f"Message {number}"})
        statuses.append(response.status_code)
    assert statuses == [302] * 10 + [429] * 50
    assert "Message 59</textarea>" in response.content.decode()
    assert applicant_bodies(submitted.intake_request) == [
        f"Message {number}" for number in range(10)
    ]
    assert notices().count() == 1
