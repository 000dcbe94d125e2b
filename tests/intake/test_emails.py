"""Emails: French text and HTML, calendar invitations, and delivery that survives failures."""

import re
import smtplib
import uuid
from datetime import UTC, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from home.typography import french_when
from intake.emails import link_placeholder
from intake.lifecycle.commands import submit
from intake.models import IntakeRequest, OutgoingEmail
from tests.intake.conftest import invitation
from tests.intake.factories import collectivite

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_data(request_fields):
    return request_fields


def test_acknowledgement_and_team_notification(
    request_data, first_slot, settings, django_capture_on_commit_callbacks
):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(request_data, submission_key=uuid.uuid4(), slot=first_slot)
    reference = submission.intake_request.reference
    acknowledgement, team = sorted(mail.outbox, key=lambda m: m.to != ["camille@example.fr"])
    assert acknowledgement.subject == f"Votre demande {reference} a bien été reçue"
    # The acknowledgement has a link of its own, which works; the stored email has none.
    link = re.search(r"http://127\.0\.0\.1:8000(/suivi/[\w-]+/)", acknowledgement.body)[1]
    assert link != f"/suivi/{submission.token}/"
    assert IntakeRequest.objects.with_token(link.split("/")[2]).get() == submission.intake_request
    assert "5 jours ouvrés" in acknowledgement.body
    html = acknowledgement.alternatives[0][0]
    assert 'lang="fr"' in html and reference in html
    content, method = invitation(acknowledgement)
    assert method == "REQUEST"
    appointment = submission.intake_request.appointments.get()
    assert f"UID:{appointment.ics_uid}@territoires-engagement" in content
    assert "SEQUENCE:0" in content and "METHOD:REQUEST" in content
    assert "DTSTART:" + appointment.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") in content
    assert team.to == ["equipe@example.fr"]
    assert reference in team.subject
    when = french_when(appointment.starts_at, "l j F Y")
    assert f"Premier échange : {when}" in team.body


@pytest.mark.parametrize(
    ("first_exchange", "expected"),
    [
        ("call_back", "Premier échange : à rappeler au 01 23 45 67 89"),
        ("no_slot", "Premier échange : aucun créneau ne convenait, d'autres dates sont à proposer"),
    ],
)
def test_the_team_notification_says_how_the_first_exchange_goes(
    first_exchange, expected, request_fields, settings, django_capture_on_commit_callbacks
):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    request_fields["first_exchange"] = first_exchange
    with django_capture_on_commit_callbacks(execute=True):
        submit(request_fields, submission_key=uuid.uuid4())
    [team] = [m for m in mail.outbox if m.to == ["equipe@example.fr"]]
    assert expected in team.body
    assert f"<p>{expected}</p>" in team.alternatives[0][0].replace("&#x27;", "'")


def test_ics_lines_are_folded_and_escaped(
    request_data, first_slot, django_capture_on_commit_callbacks
):
    request_data["first_name"] = (
        "Anne-Sophie, Marie; " + "très long prénom " * 4
    )  # within the 100 characters of the field
    with django_capture_on_commit_callbacks(execute=True):
        submit(request_data, submission_key=uuid.uuid4(), slot=first_slot)
    content = invitation(next(m for m in mail.outbox if m.attachments))[0]
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    assert 'CN="Anne-Sophie, Marie; ' in content.replace("\r\n ", "")


def test_a_failing_smtp_server_keeps_the_request_and_retries(
    request_data, first_slot, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send",
            side_effect=smtplib.SMTPException("down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submission = submit(request_data, submission_key=uuid.uuid4(), slot=first_slot)
    assert IntakeRequest.objects.filter(pk=submission.intake_request.pk).exists()
    pending = OutgoingEmail.objects.filter(status="pending")
    assert pending.count() == 2
    assert all(email.attempts == 1 and "down" in email.last_error for email in pending)
    assert mail.outbox == []

    OutgoingEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    output = StringIO()
    call_command("send_pending_emails", stdout=output)
    assert "2 courriel(s) relancé(s)." in output.getvalue()
    assert OutgoingEmail.objects.filter(status="sent").count() == 2
    assert len(mail.outbox) == 2


def test_retries_back_off_then_give_up(request_data):
    email = OutgoingEmail.objects.create(
        kind="test", to=["a@example.fr"], subject="s", body_text="t"
    )
    for attempt in range(1, 9):
        email.mark_failed_attempt("boom")
        assert email.attempts == attempt
    assert email.status == "failed"
    assert not OutgoingEmail.objects.due(timezone.now() + timedelta(days=1)).exists()


def test_emails_of_a_rolled_back_request_are_never_sent(
    request_data, first_slot, django_capture_on_commit_callbacks
):
    from intake import booking
    from intake.lifecycle import appointments

    with (
        mock.patch.object(appointments, "book", side_effect=booking.SlotUnavailable),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(booking.SlotUnavailable),
    ):
        submit(request_data, submission_key=uuid.uuid4(), slot=first_slot)
    assert not IntakeRequest.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_ics_cannot_be_injected_through_names(
    request_fields, first_slot, django_capture_on_commit_callbacks
):
    request_fields["first_name"] = 'Eve"\r\nORGANIZER:mailto:evil@example.org\r'
    with django_capture_on_commit_callbacks(execute=True):
        submit(request_fields, submission_key=uuid.uuid4(), slot=first_slot)
    content = invitation(next(m for m in mail.outbox if m.attachments))[0]
    unfolded = content.replace("\r\n ", "")
    assert "evil@example.org" not in [
        line.split(":")[-1] for line in unfolded.split("\r\n") if line.startswith("ORGANIZER")
    ]
    assert unfolded.count("\r\nORGANIZER") == 1
    assert "\r\r" not in content


def test_subjects_are_not_html_escaped(
    request_fields, first_slot, django_capture_on_commit_callbacks
):
    request_fields["collectivite"] = None
    request_fields["collectivite_name"] = "L'Haÿ-les-Roses"
    with django_capture_on_commit_callbacks(execute=True):
        submit(request_fields, submission_key=uuid.uuid4(), slot=first_slot)
    team = next(m for m in mail.outbox if m.to != ["camille@example.fr"])
    assert "L'Haÿ-les-Roses" in team.subject
    assert "&#x27;" not in team.subject
    assert "invitation est jointe" not in team.body


def test_a_call_back_acknowledgement_offers_no_appointment_to_move(
    request_fields, django_capture_on_commit_callbacks
):
    request_fields["first_exchange"] = "call_back"
    with django_capture_on_commit_callbacks(execute=True):
        submit(request_fields, submission_key=uuid.uuid4())
    [acknowledgement] = [m for m in mail.outbox if m.to == ["camille@example.fr"]]
    html = acknowledgement.alternatives[0][0]
    for text in (acknowledgement.body, html):
        assert "L'équipe vous appellera au 01 23 45 67 89" in text.replace("&#x27;", "'")
        assert "déplacer" not in text and "annuler" not in text
    assert acknowledgement.attachments == []


def test_the_outbox_holds_no_status_link(
    request_fields, first_slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(request_fields, submission_key=uuid.uuid4(), slot=first_slot)
    sent = "".join(m.body + m.alternatives[0][0] for m in mail.outbox)
    tokens = re.findall(r"/suivi/([\w-]{40,})/", sent)
    assert tokens
    for email in OutgoingEmail.objects.all():
        stored = email.body_text + email.body_html + str(email.attachments)
        assert not any(token in stored for token in tokens)
        assert "/suivi/" not in email.body_text or link_placeholder() in email.body_text


@pytest.mark.parametrize(
    ("fields", "acknowledged", "notified"),
    [
        (
            {"name": "CA du Pays de Gex", "kind": "epci", "name_type": 3},
            "la demande d'accompagnement de la CA du Pays de Gex.",
            "demande {reference} de la CA du Pays de Gex.",
        ),
        (
            {"name": "Gers", "kind": "departement", "name_type": 2, "departement_code": "32"},
            "la demande d'accompagnement du Gers.",
            "demande {reference} du Gers.",
        ),
        (
            {"name": "Orléans", "name_type": 1, "departement_name": "Loiret"},
            "la demande d'accompagnement d'Orléans (Loiret).",
            "demande {reference} d'Orléans (Loiret).",
        ),
    ],
)
def test_emails_put_the_article_of_the_collectivite_after_de(
    fields, acknowledged, notified, request_fields, settings, django_capture_on_commit_callbacks
):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    request_fields["collectivite"] = collectivite(**fields)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(request_fields, submission_key=uuid.uuid4())
    reference = submission.intake_request.reference
    acknowledgement, team = sorted(mail.outbox, key=lambda m: m.to != ["camille@example.fr"])
    assert f"Nous avons bien reçu {acknowledged}" in acknowledgement.body
    assert f"Nouvelle {notified.format(reference=reference)}" in team.body
    html = team.alternatives[0][0].replace("&#x27;", "'")
    assert f"Nouvelle {notified.format(reference=reference)}" in html
