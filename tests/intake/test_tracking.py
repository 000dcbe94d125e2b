"""The applicant's status page: reached only by a valid token, it reschedules, cancels,
withdraws and carries messages; the lost-link form reveals nothing."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from intake import booking
from intake.forms import slot_value
from intake.models import IntakeRequest, RequestMessage
from intake.submission import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """A client whose requests run their on-commit work (email delivery), as in production."""

    class CommittingClient:
        def __getattr__(self, name):
            method = getattr(client, name)
            if name not in ("get", "post"):
                return method

            def call(*args, **kwargs):
                with django_capture_on_commit_callbacks(execute=True):
                    return method(*args, **kwargs)

            return call

    return CommittingClient()


@pytest.fixture
def submitted(request_fields, first_slot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(request_fields, uuid.uuid4(), first_slot)
    mail.outbox.clear()
    return submission


def url(submission):
    return f"/suivi/{submission.token}/"


def test_status_page_shows_reference_timeline_and_appointment(client, submitted):
    response = client.get(url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert submitted.request.reference in html
    assert "Demande reçue" in html
    assert "de 14:" in html or "de 15:" in html or "de 16:" in html  # the appointment's time
    assert "noindex" in html
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("token", ["nope", "a" * 43, ""])
def test_wrong_token_is_a_plain_404(client, submitted, token):
    assert client.get(f"/suivi/{token}/").status_code == 404


def test_expired_token_is_a_404(client, submitted):
    request = submitted.request
    request.ended_at = timezone.now() - timedelta(days=31)
    request.save()
    assert client.get(url(submitted)).status_code == 404
    request.ended_at = timezone.now() - timedelta(days=29)
    request.save()
    assert client.get(url(submitted)).status_code == 200


def test_token_is_stored_hashed(submitted):
    request = IntakeRequest.objects.get()
    assert submitted.token not in request.access_token_hash
    assert len(request.access_token_hash) == 64


def test_reschedule_frees_the_old_seat_and_sends_an_update(client, submitted, first_slot):
    other = next(
        slot for slot in booking.available_slots() if slot.starts_at != first_slot.starts_at
    )
    response = client.post(url(submitted), {"action": "book", "slot-slot": slot_value(other)})
    assert response.status_code == 302
    appointment = submitted.request.appointments.get(status="booked")
    assert appointment.starts_at == other.starts_at
    assert appointment.ics_sequence >= 1
    assert first_slot.starts_at in [slot.starts_at for slot in booking.available_slots()]
    ics = mail.outbox[-1].attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert f"UID:{appointment.ics_uid}@territoires-engagement" in ics
    assert "METHOD:REQUEST" in ics and f"SEQUENCE:{appointment.ics_sequence}" in ics


def test_cancel_appointment_needs_confirmation_then_sends_cancel(client, submitted, first_slot):
    response = client.post(url(submitted), {"action": "cancel_appointment"})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer." in response.content.decode()
    response = client.post(url(submitted), {"action": "cancel_appointment", "cancel-confirm": "on"})
    assert response.status_code == 302
    assert not submitted.request.appointments.filter(status="booked").exists()
    assert first_slot.starts_at in [slot.starts_at for slot in booking.available_slots()]
    ics = mail.outbox[-1].attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:CANCEL" in ics


def test_withdraw_with_confirmation(client, submitted):
    client.post(url(submitted), {"action": "withdraw", "withdraw-confirm": "on"})
    cancellation = next(m for m in mail.outbox if m.to == ["camille@example.fr"])
    ics = cancellation.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:CANCEL" in ics
    request = IntakeRequest.objects.get()
    assert request.status == "withdrawn"
    assert request.ended_at is not None
    assert not request.appointments.filter(status="booked").exists()
    html = client.get(url(submitted)).content.decode()
    assert "Retirée" in html
    assert 'value="withdraw"' not in html


def test_message_reaches_the_team(client, submitted, settings):
    client.post(url(submitted), {"action": "message", "message-body": "Pouvons-nous décaler ?"})
    message = RequestMessage.objects.get()
    assert message.author == "applicant"
    assert any("Pouvons-nous décaler ?" in m.body for m in mail.outbox)


def test_empty_message_is_refused(client, submitted):
    response = client.post(url(submitted), {"action": "message", "message-body": "   "})
    assert response.status_code == 400
    assert not RequestMessage.objects.exists()


def test_unknown_action_is_harmless(client, submitted):
    response = client.post(url(submitted), {"action": "delete_everything"})
    assert response.status_code == 302
    assert IntakeRequest.objects.get().status == "submitted"


def test_ics_download(client, submitted):
    response = client.get(url(submitted) + "rendez-vous.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_lost_link_answers_the_same_whether_or_not_a_request_exists(client, submitted):
    known = client.post("/suivi/", {"email": "CAMILLE@example.fr"})
    unknown = client.post("/suivi/", {"email": "personne@example.fr"})
    assert known.status_code == unknown.status_code == 200

    def main_text(response):
        html = response.content.decode().split("<main")[1].split("</main>")[0]
        return re.sub(r"breadcrumb-[a-z]+", "", html)

    assert main_text(known) == main_text(unknown)
    assert len(mail.outbox) == 1
    new_link = mail.outbox[0].body.split("/suivi/")[1].split("/")[0]
    assert client.get(f"/suivi/{new_link}/").status_code == 200
    assert client.get(url(submitted)).status_code == 404  # the old link stops working


def test_csrf_failure_page_is_dsfr_and_french(submitted):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url(submitted), {"action": "message", "message-body": "Bonjour"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html and "fr-footer" in html
    assert not RequestMessage.objects.exists()


def test_two_tabs_cannot_book_twice(client, submitted, first_slot):
    from intake.views.tracking import Book

    slots = [slot for slot in booking.available_slots() if slot.starts_at != first_slot.starts_at]
    client.post(url(submitted), {"action": "cancel_appointment", "cancel-confirm": "on"})
    request = IntakeRequest.objects.get()
    stale = None  # both tabs saw "no appointment"
    for slot in slots[:2]:
        form = type("Form", (), {"chosen_slot": slot})()
        Book.run(request, stale, form, submitted.token)
    assert request.appointments.filter(status="booked").count() == 1


def test_ics_download_is_private(client, submitted):
    response = client.get(url(submitted) + "rendez-vous.ics")
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
