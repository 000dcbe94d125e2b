"""The applicant's status page: reached only by a valid token, it reschedules, cancels,
withdraws and carries messages, each through one lifecycle command; the lost-link form
reveals nothing."""

import hashlib
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from intake import booking
from intake.booking import slot_label
from intake.fields import slot_value
from intake.models import (
    AccessToken,
    Appointment,
    IntakeRequest,
    RequestLogEntry,
    RequestMessage,
    hash_token,
)
from tests.intake.conftest import invitation, sent_to

pytestmark = pytest.mark.django_db

APPLICANT = "camille@example.fr"


@pytest.fixture
def client(committing_client):
    return committing_client


def url(submission):
    return f"/suivi/{submission.token}/"


def actions(intake_request):
    return list(
        RequestLogEntry.objects.for_instance(intake_request)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_status_page_shows_reference_timeline_and_appointment(client, submitted):
    response = client.get(url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Votre demande {submitted.intake_request.reference}" in html
    assert ">Reçue</span>" in html  # the applicant's word for a new request
    assert "Demande reçue" in html
    appointment = submitted.intake_request.booked_appointment
    assert f"{slot_label(appointment.starts_at)} à " in html
    assert "(heure de Paris), en visioconférence." in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Cache-Control"].startswith("max-age=0")


def assert_link_not_valid(response):
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Ce lien de suivi ne fonctionne pas</h1>" in html
    assert 'href="/suivi/"' in html
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("token", ["nope", "a" * 43])
def test_a_wrong_link_says_so_and_offers_a_new_one(client, submitted, token):
    assert_link_not_valid(client.get(f"/suivi/{token}/"))
    assert_link_not_valid(client.get(f"/suivi/{token}/rendez-vous.ics"))
    assert submitted.intake_request.reference not in client.get(f"/suivi/{token}/").content.decode()


def test_a_link_stops_30_days_after_the_request_ends(client, submitted):
    request = submitted.intake_request
    request.ended_at = timezone.now() - timedelta(days=31)
    request.save()
    assert_link_not_valid(client.get(url(submitted)))
    request.ended_at = timezone.now() - timedelta(days=29)
    request.save()
    assert client.get(url(submitted)).status_code == 200


def test_each_link_expires_on_its_own(client, submitted):
    newer = AccessToken.issue(submitted.intake_request)
    AccessToken.objects.exclude(digest=hash_token(newer)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert_link_not_valid(client.get(url(submitted)))
    assert client.get(f"/suivi/{newer}/").status_code == 200
    [fresh] = AccessToken.objects.filter(digest=hash_token(newer))
    assert fresh.expires_at - fresh.created_at == timedelta(days=183)


def test_token_is_stored_hashed(submitted):
    digests = set(
        AccessToken.objects.filter(request=submitted.intake_request).values_list(
            "digest", flat=True
        )
    )
    assert hashlib.sha256(submitted.token.encode()).hexdigest() in digests
    assert len(digests) == 2  # the confirmation page's link and the acknowledgement's
    assert all(len(digest) == 64 and submitted.token not in digest for digest in digests)


def test_reschedule_frees_the_old_seat_and_tells_applicant_and_team(
    client, submitted, first_slot, settings
):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    other = next(
        slot for slot in booking.available_slots() if slot.starts_at != first_slot.starts_at
    )
    response = client.post(url(submitted), {"action": "book", "slot-slot": slot_value(other)})
    assert response.status_code == 302
    appointment = submitted.intake_request.appointments.get(status="booked")
    assert appointment.starts_at == other.starts_at
    assert appointment.ics_sequence == 1
    assert first_slot.starts_at in [slot.starts_at for slot in booking.available_slots()]
    [update] = sent_to(APPLICANT)
    ics, method = invitation(update)
    assert f"UID:{appointment.ics_uid}@territoires-engagement" in ics
    assert method == "REQUEST" and "METHOD:REQUEST" in ics and "SEQUENCE:1" in ics
    [notice] = sent_to("equipe@example.fr")
    assert notice.subject == (
        "Rendez-vous pris ou déplacé par la collectivité — demande "
        f"{submitted.intake_request.reference}"
    )
    assert f"/admin/demandes/{submitted.intake_request.pk}/" in notice.body
    assert actions(submitted.intake_request)[-1] == "intake.appointment_rescheduled"


def test_cancel_appointment_needs_confirmation_then_sends_cancel(
    client, submitted, first_slot, settings
):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    response = client.post(url(submitted), {"action": "cancel_appointment"})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer." in response.content.decode()
    assert mail.outbox == []
    response = client.post(url(submitted), {"action": "cancel_appointment", "cancel-confirm": "on"})
    assert response.status_code == 302
    appointment = submitted.intake_request.appointments.get()
    assert appointment.status == Appointment.Status.CANCELLED_BY_APPLICANT
    assert first_slot.starts_at in [slot.starts_at for slot in booking.available_slots()]
    [cancellation] = sent_to(APPLICANT)
    ics, method = invitation(cancellation)
    assert "METHOD:CANCEL" in ics and method == "CANCEL"
    [notice] = sent_to("equipe@example.fr")
    assert notice.subject == (
        f"Rendez-vous annulé par la collectivité — demande {submitted.intake_request.reference}"
    )
    assert f"/admin/demandes/{submitted.intake_request.pk}/" in notice.body
    assert actions(submitted.intake_request)[-1] == "intake.appointment_cancelled"


def test_withdraw_with_confirmation(client, submitted, form_page):
    client.post(url(submitted), {"action": "withdraw", "withdraw-confirm": "on"})
    request = IntakeRequest.objects.get()
    assert request.status == "withdrawn"
    assert request.ended_at is not None
    assert request.appointments.get().status == Appointment.Status.CANCELLED_BY_APPLICANT
    cancellation, confirmation = sent_to(APPLICANT)
    assert invitation(cancellation)[1] == "CANCEL"
    assert confirmation.subject == f"Votre demande {request.reference} est retirée"
    html = client.get(url(submitted)).content.decode()
    assert ">Retirée</span>" in html
    assert "Demande retirée" in html
    # Ended: the page leads to a new request instead of the forms.
    new_request = re.search(
        r'<a class="fr-link[^"]*" href="([^"]+)">Faire une nouvelle demande</a>', html
    )
    assert new_request[1] == form_page.url
    assert 'value="withdraw"' not in html


def test_message_reaches_the_team(client, submitted, settings):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    response = client.post(
        url(submitted), {"action": "message", "message-body": "Pouvons-nous décaler ?"}
    )
    assert response.status_code == 302
    message = RequestMessage.objects.get()
    assert (message.author, message.body) == ("applicant", "Pouvons-nous décaler ?")
    [notice] = sent_to("equipe@example.fr")
    assert "Pouvons-nous décaler ?" in notice.body
    assert f"/admin/demandes/{submitted.intake_request.pk}/" in notice.body


@pytest.mark.parametrize("body", ["", "   "])
def test_an_empty_message_says_what_is_missing_in_a_focused_summary(client, submitted, body):
    response = client.post(url(submitted), {"action": "message", "message-body": body})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Le formulaire contient 1 erreur" in summary
    assert (
        '<a href="#id_message-body">Votre message à l&#x27;équipe : Écrivez votre message.</a>'
        in (summary)
    )
    assert 'tabindex="-1"' in html.split('id="error-summary"', 1)[0].rsplit("<div", 1)[1]
    assert "/static/js/error-summary.js" in html
    assert not RequestMessage.objects.exists()


def test_no_stray_heading_above_the_message_box(client, submitted):
    html = client.get(url(submitted)).content.decode()
    form = html.split('value="message"', 1)[1].split("</form>", 1)[0]
    assert "<h3" not in form


def test_unknown_action_is_harmless(client, submitted):
    response = client.post(url(submitted), {"action": "delete_everything"})
    assert response.status_code == 302
    assert IntakeRequest.objects.get().status == "submitted"


def test_ended_request_refuses_every_action(client, submitted):
    IntakeRequest.objects.update(status="declined", ended_at=timezone.now())
    response = client.post(url(submitted), {"action": "message", "message-body": "Bonjour"})
    assert response.status_code == 302
    assert not RequestMessage.objects.exists()
    html = client.get(url(submitted)).content.decode()
    assert "Cette action n&#x27;est plus possible." in html
    assert ">Non retenue</span>" in html


def test_ics_download_is_an_event_to_add_not_an_invitation(client, submitted):
    response = client.get(url(submitted) + "rendez-vous.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rendez-vous.ics"'
    ics = response.content.decode()
    assert "METHOD:PUBLISH" in ics and "BEGIN:VEVENT" in ics
    assert "ATTENDEE" not in ics


def test_lost_link_answers_the_same_whether_or_not_a_request_exists(client, submitted):
    known = client.post("/suivi/", {"email": "CAMILLE@example.fr"})
    unknown = client.post("/suivi/", {"email": "personne@example.fr"})
    assert known.status_code == unknown.status_code == 200

    def main_text(response):
        html = response.content.decode().split("<main")[1].split("</main>")[0]
        return re.sub(r"breadcrumb-[a-z]+", "", html)

    assert main_text(known) == main_text(unknown)
    [email] = mail.outbox
    assert email.subject == f"Votre lien de suivi — demande {submitted.intake_request.reference}"
    assert "Les liens reçus précédemment restent valables." in email.body
    new_link = email.body.split("/suivi/")[1].split("/")[0]
    assert client.get(f"/suivi/{new_link}/").status_code == 200
    # Each link has its own token: the link of the first email keeps working.
    assert client.get(url(submitted)).status_code == 200


def test_lost_link_without_an_address_says_what_is_missing(client, submitted):
    response = client.post("/suivi/", {"email": "  "})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Saisissez l'adresse électronique utilisée pour la demande." in html
    assert "Champ requis" not in html
    assert mail.outbox == []


def test_csrf_failure_page_is_dsfr_and_french(submitted):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url(submitted), {"action": "message", "message-body": "Bonjour"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html and "fr-footer" in html
    assert not RequestMessage.objects.exists()


def test_ics_download_is_private(client, submitted):
    response = client.get(url(submitted) + "rendez-vous.ics")
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
