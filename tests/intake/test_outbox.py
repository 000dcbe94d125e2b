"""The outbox sends each email once: claimed before it leaves, so a second delivery (a lost
race, a requeue) sends nothing and a worker killed while sending leaves a failed email for the
team to check and retry, never a silent duplicate; the same Message-ID on every try."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from intake import tasks
from intake.lifecycle import outbox
from intake.lifecycle.base import MoveNotPermitted
from intake.models import OutgoingEmail, RequestLogEntry
from tests import factories
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.EmailMultiAlternatives.send"


@pytest.fixture
def email(db):
    applicant_request = intake_request(email="alix@example.fr")
    return OutgoingEmail.objects.create(
        request=applicant_request,
        kind="message",
        to=["alix@example.fr"],
        subject=f"Votre demande {applicant_request.reference}",
        body_text="Bonjour Alix",
    )


def message_id(message):
    return message.extra_headers["Message-ID"]


def test_a_delivery_sends_once_with_the_email_s_own_message_id(email):
    tasks.deliver_email.call(email.pk)
    tasks.deliver_email.call(email.pk)  # a second task for the same email: nothing more
    [message] = mail.outbox
    assert message_id(message) == f"<{email.idempotency_key}@anct.gouv.fr>"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 0)


def test_a_delivery_that_lost_the_race_sends_nothing(email):
    # While the first delivery talks to the mail server, another one starts for the same email.
    real_send = mail.EmailMultiAlternatives.send

    def send_with_a_rival(message, *args, **kwargs):
        tasks.deliver_email.call(email.pk)
        return real_send(message, *args, **kwargs)

    with mock.patch(SEND, autospec=True, side_effect=send_with_a_rival):
        tasks.deliver_email.call(email.pk)
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT


def test_every_try_carries_the_same_message_id(email):
    ids = []

    def refuse(message, *args, **kwargs):
        ids.append(message_id(message))
        raise smtplib.SMTPException("451 try later")

    with mock.patch(SEND, autospec=True, side_effect=refuse):
        tasks.deliver_email.call(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
    assert email.sending_started_at is not None
    tasks.deliver_email.call(email.pk)
    assert ids == [message_id(mail.outbox[0])] == [f"<{email.idempotency_key}@anct.gouv.fr>"]


def test_a_worker_killed_while_sending_leaves_a_failed_email_not_a_duplicate(email):
    # The worker claimed the email eleven minutes ago, then died before recording the result.
    assert email.claim()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        sending_started_at=timezone.now() - timedelta(minutes=11)
    )
    tasks.deliver_email.call(email.pk)  # its task run again: the email is not waiting
    assert mail.outbox == []

    assert tasks.requeue_due_emails() == 0
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.last_error == (
        "Envoi interrompu (le processus s'est arrêté pendant l'envoi) : le courriel est "
        "peut-être parti. Vérifiez auprès du destinataire avant de le renvoyer."
    )
    assert mail.outbox == []


def test_a_delivery_still_within_its_lease_is_left_alone(email):
    assert email.claim()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        sending_started_at=timezone.now() - timedelta(minutes=9)
    )
    assert tasks.requeue_due_emails() == 0
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENDING


def test_the_team_retries_a_failed_email_from_its_first_try(
    email, team_member, django_capture_on_commit_callbacks
):
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, attempts=8, last_error="550 mailbox full"
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry_email(email, by=team_member)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 0)
    assert [message.to for message in mail.outbox] == [["alix@example.fr"]]
    entry = RequestLogEntry.objects.get(action="intake.email_retried")
    assert (entry.object_id, entry.user, entry.data) == (
        email.request.pk,
        team_member,
        {"email": email.pk, "subject": email.subject},
    )


def test_an_email_that_is_not_failed_is_not_retried(email, team_member):
    with pytest.raises(outbox.EmailNotFailed) as refusal:
        outbox.retry_email(email, by=team_member)
    assert str(refusal.value) == "Ce courriel n'est plus en échec : il a déjà été renvoyé."
    assert not RequestLogEntry.objects.filter(action="intake.email_retried").exists()


def test_only_the_team_retries(email, editor):
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.FAILED)
    with pytest.raises(MoveNotPermitted):
        outbox.retry_email(email, by=editor)
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.FAILED


def test_the_admin_lists_the_failed_emails_and_retries_one(
    client, email, team_member, django_capture_on_commit_callbacks
):
    sent = OutgoingEmail.objects.create(
        kind="ack", to=["sent@example.fr"], subject="Déjà parti", body_text="t", status="sent"
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, attempts=8, last_error="550 mailbox full"
    )
    client.force_login(team_member)
    listing = client.get("/admin/courriels-sortants/")
    assert [row.pk for row in listing.context["object_list"]] == [email.pk]
    sent_listing = client.get("/admin/courriels-sortants/?status=sent")
    assert [row.pk for row in sent_listing.context["object_list"]] == [sent.pk]

    page = client.get(f"/admin/courriels-sortants/{email.pk}/")
    assert page.status_code == 200
    assert "550 mailbox full" in page.content.decode()
    assert page.context["can_retry"] is True

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/courriels-sortants/{email.pk}/", {"action": "retry"})
    assert response.status_code == 302
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
    assert [str(m) for m in client.get(response.url).context["messages"]] == [
        "Le courriel est renvoyé."
    ]
    # Posted again (a second tab): refused with a message, nothing sent again.
    response = client.post(f"/admin/courriels-sortants/{email.pk}/", {"action": "retry"})
    assert [str(m) for m in client.get(response.url).context["messages"]] == [
        "Ce courriel n'est plus en échec : il a déjà été renvoyé."
    ]
    assert len(mail.outbox) == 1


def test_a_reader_without_triage_cannot_retry(client, email):
    reader = factories.user_in_group("Équipe", "lecteur")
    reader.groups.clear()
    client.force_login(reader)
    assert client.post(f"/admin/courriels-sortants/{email.pk}/").status_code in (302, 403)
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.PENDING


def test_the_outbox_screen_is_valid_html(client, email, team_member):
    vnu_command()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, last_error="550 mailbox full"
    )
    client.force_login(team_member)
    assert_valid_html(
        {"failed email": client.get(f"/admin/courriels-sortants/{email.pk}/").content}
    )
