"""Requests received by phone or email, typed in by the team, and the applicant's contact
details corrected by the team: the audit log, the emails, who may."""

import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from intake.fields import slot_value
from intake.lifecycle import contacts
from intake.lifecycle.history import applicant_timeline, event_label
from intake.lifecycle.moves import MoveNotPermitted
from intake.lifecycle.submission import new_submission_token
from intake.models import IntakeRequest, RequestLogEntry
from intake.phone import normalise_phone
from tests.intake.conftest import sent_to
from tests.intake.factories import intake_request, status_link

pytestmark = pytest.mark.django_db

NEW_URL = "/admin/demandes/nouvelle/"


@pytest.fixture
def three_days_ago():
    return timezone.localdate() - timedelta(days=3)


@pytest.fixture
def phone_data(fresnes, three_days_ago):
    """The team's form, as a team member fills it during a phone call."""
    return {
        "submission": new_submission_token(),
        "collectivite": str(fresnes.pk),
        "collectivite_search": "Fresnes (Val-de-Marne)",
        "first_name": "Dominique",
        "last_name": "Lefèvre",
        "function": "Directrice générale des services",
        "role": "staff",
        "email": "dominique.lefevre@example.fr",
        "phone": "01 45 67 89 10",
        "needs": ["coherence"],
        "rhythm": "one_off",
        "context": "Appel du 2 décembre : la commune prépare une charte de la participation.",
        "existing_bodies": "",
        "first_exchange": "no_slot",
        "consent_channel": "oral",
        "consent_on": three_days_ago.isoformat(),
    }


def registered_entry(intake_request):
    return RequestLogEntry.objects.for_instance(intake_request).get(action="intake.registered")


def test_the_team_types_in_a_phone_request(
    client, committing_client, team_member, phone_data, three_days_ago, settings
):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    client.force_login(team_member)
    response = committing_client.post(NEW_URL, phone_data)
    request = IntakeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/demandes/{request.pk}/"
    assert re.fullmatch(r"TE-\d{4}-\d{5}", request.reference)
    assert (request.consent_channel, request.created_by) == ("oral", team_member)
    assert timezone.localdate(request.consent_at) == three_days_ago
    assert request.status == "submitted" and request.response_due_on is not None
    entry = registered_entry(request)
    when = date_format(three_days_ago, "j F Y")
    assert entry.user == team_member
    assert event_label(entry) == f"Demande saisie par Camille Agent (consentement oral du {when})"
    assert [item["label"] for item in applicant_timeline(request)] == [
        "Demande enregistrée par l'équipe"
    ]
    # The applicant gets the acknowledgement with a working status link; the team its notice.
    [acknowledgement] = sent_to("dominique.lefevre@example.fr")
    assert acknowledgement.subject == f"Votre demande {request.reference} a bien été reçue"
    link = re.search(r"http://127\.0\.0\.1:8000(/suivi/[\w-]+/)", acknowledgement.body)[1]
    assert client.get(link).status_code == 200
    [notice] = sent_to("equipe@example.fr")
    assert request.reference in notice.subject
    page = unescape(client.get(response["Location"]).content.decode())
    assert f"Demande saisie par Camille Agent (consentement oral du {when})" in page
    assert f"Oralement, le {when}" in page


def test_a_phone_request_can_book_a_slot_of_the_permanence(
    client, committing_client, team_member, phone_data, first_slot
):
    client.force_login(team_member)
    data = {**phone_data, "first_exchange": "slot", "slot": slot_value(first_slot)}
    committing_client.post(NEW_URL, data)
    request = IntakeRequest.objects.get()
    assert request.appointments.get().starts_at == first_slot.starts_at
    [acknowledgement] = sent_to("dominique.lefevre@example.fr")
    assert acknowledgement.attachments  # the invitation


def test_a_double_click_stores_one_request(client, team_member, phone_data):
    client.force_login(team_member)
    first = client.post(NEW_URL, phone_data)
    second = client.post(NEW_URL, phone_data)
    assert IntakeRequest.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert RequestLogEntry.objects.filter(action="intake.registered").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        (
            {"consent_channel": ""},
            "consent_channel",
            "Indiquez comment la collectivité a donné son consentement.",
        ),
        ({"consent_on": ""}, "consent_on", "Indiquez la date du consentement."),
        (
            {"consent_on": "demain"},
            "consent_on",
            "Saisissez une date valide, par exemple 02/12/2026.",
        ),
        ({"email": ""}, "email", "Saisissez l'adresse électronique du contact."),
    ],
)
def test_bad_input_is_refused_at_its_field_and_keeps_what_was_typed(
    client, team_member, phone_data, change, field, error
):
    client.force_login(team_member)
    response = client.post(NEW_URL, {**phone_data, **change})
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert error in html
    assert 'value="Lefèvre"' in html
    assert "Appel du 2 décembre" in html
    assert IntakeRequest.objects.count() == 0


def test_a_consent_in_the_future_is_refused(client, team_member, phone_data):
    client.force_login(team_member)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(NEW_URL, {**phone_data, "consent_on": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "La date du consentement ne peut pas être dans le futur." in unescape(
        response.content.decode()
    )
    assert IntakeRequest.objects.count() == 0


def test_editors_cannot_create_requests(client, editor, moderator, phone_data, request_fields):
    for outsider in (editor, moderator):
        client.force_login(outsider)
        assert client.get(NEW_URL).status_code in (302, 403)
        assert client.post(NEW_URL, phone_data).status_code in (302, 403)
        with pytest.raises(MoveNotPermitted):
            contacts.register(
                request_fields,
                by=outsider,
                submission_key=uuid.uuid4(),
                consent_channel="written",
                consent_on=timezone.localdate(),
            )
    assert IntakeRequest.objects.count() == 0


def test_the_queue_offers_the_team_a_new_request(client, team_member):
    client.force_login(team_member)
    html = client.get("/admin/demandes/").content.decode()
    assert f'href="{NEW_URL}"' in html
    assert "Nouvelle demande" in html
    form = unescape(client.get(NEW_URL).content.decode())
    for text in ("La collectivité", "Le contact", "Les besoins", "Le premier échange"):
        assert f"<h2>{text}</h2>" in form
    assert 'data-combobox-url="/demande/collectivites/"' in form
    assert "Ne pas remplir ce champ" not in form


# Correcting the contact


@pytest.fixture
def request_by_mistyped_email(db):
    return intake_request(email="camile@exemple.fr", first_name="Camille", last_name="Martin")


def correct(intake_request, by, **changes):
    details = {field: getattr(intake_request, field) for field in contacts.CONTACT_FIELDS}
    return contacts.correct_contact(intake_request, by=by, **{**details, **changes})


def test_a_corrected_email_gets_a_fresh_link_and_the_old_address_nothing(
    client, committed, team_member, request_by_mistyped_email
):
    request = request_by_mistyped_email
    old_link = status_link(request)
    committed(correct, request, team_member, email="camille@exemple.fr")
    assert sent_to("camile@exemple.fr") == []
    [email] = sent_to("camille@exemple.fr")
    assert email.subject == f"Votre adresse est mise à jour — demande {request.reference}"
    link = re.search(r"http://127\.0\.0\.1:8000(/suivi/[\w-]+/)", email.body)[1]
    assert client.get(link).status_code == 200
    # The links the mistyped address received stop working.
    assert client.get(old_link).status_code == 404
    entry = RequestLogEntry.objects.for_instance(request).get(action="intake.contact_updated")
    assert entry.user == team_member
    assert entry.data["before"] == {"email": "camile@exemple.fr"}
    assert entry.data["after"] == {"email": "camille@exemple.fr"}
    assert event_label(entry) == (
        "Coordonnées mises à jour — courriel : camile@exemple.fr → camille@exemple.fr"
    )


def test_the_applicant_reads_only_that_the_details_were_updated(
    client, committed, team_member, request_by_mistyped_email
):
    request = request_by_mistyped_email
    committed(correct, request, team_member, email="camille@exemple.fr", phone="01 99 88 77 66")
    assert [item["label"] for item in applicant_timeline(request)] == ["Coordonnées mises à jour"]
    html = client.get(status_link(request)).content.decode()
    assert "Coordonnées mises à jour" in html
    assert "camile@exemple.fr" not in html


def test_a_corrected_phone_sends_nothing(
    django_capture_on_commit_callbacks, team_member, request_by_mistyped_email
):
    request = request_by_mistyped_email
    with django_capture_on_commit_callbacks(execute=True):
        correct(request, team_member, phone="01 99 88 77 66", function="Maire adjointe")
    request.refresh_from_db()
    assert (request.phone, request.function) == ("01 99 88 77 66", "Maire adjointe")
    assert mail.outbox == []
    entry = RequestLogEntry.objects.for_instance(request).get(action="intake.contact_updated")
    assert set(entry.data["before"]) == {"function", "phone"}


def test_nothing_changed_logs_nothing(committed, team_member, request_by_mistyped_email):
    committed(correct, request_by_mistyped_email, team_member)
    assert not RequestLogEntry.objects.filter(action="intake.contact_updated").exists()
    assert mail.outbox == []


def test_the_request_page_corrects_the_contact(
    client, committing_client, team_member, request_by_mistyped_email
):
    request = request_by_mistyped_email
    url = f"/admin/demandes/{request.pk}/coordonnees/"
    client.force_login(team_member)
    page = client.get(f"/admin/demandes/{request.pk}/").content.decode()
    assert f'href="{url}"' in page
    form = unescape(client.get(url).content.decode())
    assert 'value="camile@exemple.fr"' in form
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "function": request.function,
        "role": request.role,
        "email": "pas-une-adresse",
        "phone": "01 23 45 67 89",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Saisissez une adresse de courriel valide." in unescape(refused.content.decode())
    response = committing_client.post(
        url, {**data, "email": "camille@exemple.fr", "phone": "0123456789"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    # The public form's rules: the number is stored as the form stores it.
    assert (request.email, request.phone) == ("camille@exemple.fr", normalise_phone("0123456789"))
    assert len(sent_to("camille@exemple.fr")) == 1


def test_outsiders_cannot_correct_the_contact(client, editor, request_by_mistyped_email):
    request = request_by_mistyped_email
    client.force_login(editor)
    url = f"/admin/demandes/{request.pk}/coordonnees/"
    assert client.get(url).status_code in (302, 403, 404)
    client.post(url, {"email": "intrus@example.fr"})
    request.refresh_from_db()
    assert request.email == "camile@exemple.fr"
    with pytest.raises(MoveNotPermitted):
        correct(request, editor, email="intrus@example.fr")


def test_a_spam_request_is_never_emailed_a_link(team_member, request_by_mistyped_email):
    request = request_by_mistyped_email
    request.status = IntakeRequest.Status.SPAM
    request.save()
    with pytest.raises(contacts.MoveNotAllowed):
        correct(request, team_member, email="camille@exemple.fr")


def test_the_form_speaks_of_the_applicant_not_to_them(client, team_member):
    client.force_login(team_member)
    html = unescape(client.get(NEW_URL).content.decode())
    assert "Votre collectivité" not in html
    assert "Sur quoi la collectivité souhaite-t-elle être accompagnée ?" in html
