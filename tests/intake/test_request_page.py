"""One request's page for the team: readable facts, the collectivité card, the thread, and the
forms of the moves, assignment, labels, notes, messages and appointments."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from home.models import Partner, Theme
from home.typography import french_time
from intake import booking
from intake.fields import slot_value
from intake.lifecycle import commands
from intake.models import (
    Appointment,
    Closure,
    IntakeRequest,
    Label,
    ReplyTemplate,
)
from tests.intake.conftest import invitation, sent_to
from tests.intake.factories import collectivite, intake_request, status_link

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status


@pytest.fixture
def client(committing_client, client, team_member):
    client.force_login(team_member)
    return committing_client


@pytest.fixture
def tarn(db):
    occitanie = collectivite("Occitanie", kind="region", code="76")
    epci = collectivite("CC Tarn-Agout", kind="epci", code="248100737")
    return collectivite(
        "Lavaur",
        code="81140",
        departement_code="81",
        departement_name="Tarn",
        region_code=occitanie.code,
        population=10804,
        epci=epci,
    )


@pytest.fixture
def request_(submitted):
    return submitted.intake_request


def page_url(intake_request):
    return f"/admin/demandes/{intake_request.pk}/"


def main(response):
    """The request page's own content, below Wagtail's header."""
    return response.content.decode().split('class="request-summary"', 1)[1]


def test_the_page_reads_in_french(client, tarn):
    theme = Theme.objects.create(name="Budget participatif")
    request = intake_request(
        collectivite=tarn,
        needs=["strategy", "funding"],
        rhythm="regular",
        first_exchange="call_back",
        existing_bodies="",
    )
    request.themes.add(theme)
    html = main(client.get(page_url(request)))
    for text in (
        "Vos axes stratégiques en matière de démocratie participative",
        "Les pistes de financement",
        "Budget participatif",
        "Un accompagnement régulier (toutes les 4 à 8 semaines)",
        "Je préfère être rappelé·e",
        "Agent ou agente",
        "Non précisées",  # no existing bodies
        "Commune",
        "81140",
        "10\xa0804 habitants",
        "Tarn (81)",
        "Occitanie",
        "CC Tarn-Agout",
        french_time(request.created_at),
    ):
        assert text in html, text
    assert "None" not in html
    assert "['strategy'" not in html and ">epci<" not in html


def test_other_requests_of_the_same_collectivite_are_listed(client, tarn):
    request = intake_request(collectivite=tarn)
    earlier = intake_request(collectivite=tarn, status=Status.CLOSED)
    typed = intake_request(collectivite_name="LAVAUR", collectivite_departement="81")
    elsewhere = intake_request(collectivite_name="Lavaur", collectivite_departement="24")
    typed.collectivite_search_name = elsewhere.collectivite_search_name = "lavaur"
    typed.save()
    elsewhere.save()
    html = main(client.get(page_url(request)))
    assert earlier.reference in html and typed.reference in html
    assert elsewhere.reference not in html
    # And from the typed request, the referential's ones.
    html = main(client.get(page_url(typed)))
    assert request.reference in html and earlier.reference in html


def test_only_the_moves_allowed_now_are_offered(client, request_):
    html = main(client.get(page_url(request_)))
    for move in ("take", "ask", "accept", "redirect", "decline", "duplicate", "spam"):
        assert f"/admin/demandes/{request_.pk}/{move}/" in html
    assert f"/admin/demandes/{request_.pk}/close/" not in html
    assert f"/admin/demandes/{request_.pk}/reopen/" not in html


def test_a_move_form_starts_from_its_template_and_sends_it(client, request_, team_member):
    form = client.get(f"{page_url(request_)}take/")
    assert form.status_code == 200
    html = form.content.decode()
    assert f"Votre demande {request_.reference} est prise en charge" in html
    assert "suivie par Camille Agent" in html
    response = client.post(
        f"{page_url(request_)}take/",
        {"subject": "Prise en charge {reference}", "message": "Bonjour {contact}, c'est parti."},
    )
    assert response.status_code == 302 and response["Location"] == page_url(request_)
    request_.refresh_from_db()
    assert (request_.status, request_.assignee) == (Status.IN_REVIEW, team_member)
    [email] = sent_to("camille@example.fr")
    assert email.subject == f"Prise en charge {request_.reference}"
    assert email.body.startswith("Bonjour Camille Martin, c'est parti.")
    html = main(client.get(page_url(request_)))
    assert "Bonjour Camille Martin, c&#x27;est parti." in html
    assert "Demande prise en charge" in html  # the thread's line for the move


def test_a_second_template_can_be_chosen(client, request_):
    other = ReplyTemplate.objects.create(
        name="Refus poli", purpose="decline", subject="Merci {contact}", body="Texte {reference}"
    )
    html = client.get(f"{page_url(request_)}decline/", {"modele": other.pk}).content.decode()
    assert "Merci Camille Martin" in html and f"Texte {request_.reference}" in html
    assert "Partir du modèle" in html


def test_an_invalid_move_keeps_what_was_typed_and_says_why(client, request_):
    response = client.post(
        f"{page_url(request_)}decline/",
        {"reason": "", "subject": "Objet", "message": "Un message soigneusement écrit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez le motif du refus." in html
    assert "Un message soigneusement écrit" in html
    assert IntakeRequest.objects.get(pk=request_.pk).status == Status.SUBMITTED
    assert mail.outbox == []


def test_a_move_no_longer_possible_is_said_and_refused(client, request_):
    IntakeRequest.objects.filter(pk=request_.pk).update(status=Status.CLOSED)
    html = client.get(f"{page_url(request_)}accept/").content.decode()
    assert "Cette action n'est plus possible dans l'état actuel de la demande." in html
    response = client.post(f"{page_url(request_)}accept/", {"subject": "s", "message": "m"})
    assert response.status_code == 400
    assert "« Accepter » n&#x27;est pas possible : la demande est « Clôturée »." in (
        response.content.decode()
    )
    assert IntakeRequest.objects.get(pk=request_.pk).status == Status.CLOSED


def test_unknown_move_is_a_404(client, request_):
    for move in ("reply", "withdraw", "delete"):  # the applicant's moves have no team form
        assert client.get(f"{page_url(request_)}{move}/").status_code == 404


def test_redirect_offers_the_matching_partners_first(client, request_, fresnes):
    theme = Theme.objects.create(name="Concertation")
    request_.themes.add(theme)
    far = Partner.objects.create(name="A — lointain", kind="provider", territory="Bretagne")
    close = Partner.objects.create(name="Z — proche", kind="expert", territory="Val-de-Marne")
    themed = Partner.objects.create(name="M — thématique", kind="funder")
    themed.themes.add(theme)
    html = client.get(f"{page_url(request_)}redirect/").content.decode()
    matching = html.split('label="Correspondent à la demande"')[1].split("</optgroup>")[0]
    others = html.split('label="Autres partenaires"')[1].split("</optgroup>")[0]
    assert matching.index("M — thématique") < matching.index("Z — proche")
    assert "A — lointain" in others and "A — lointain" not in matching
    response = client.post(
        f"{page_url(request_)}redirect/",
        {"partner": close.pk, "subject": "Orientation", "message": "Voyez {partenaire}."},
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert (request_.status, request_.partner) == (Status.REDIRECTED, close)
    assert far.pk != close.pk
    assert any("Voyez Z — proche." in m.body for m in sent_to("camille@example.fr"))


def test_duplicate_by_reference(client, request_):
    original = intake_request(reference="TE-2026-00500")
    response = client.post(
        f"{page_url(request_)}duplicate/",
        {"original": "te-2026-99999", "subject": "s", "message": "m"},
    )
    assert response.status_code == 400
    assert "Aucune demande ne porte la référence « TE-2026-99999 »." in response.content.decode()
    response = client.post(
        f"{page_url(request_)}duplicate/",
        {"original": " te-2026-00500 ", "subject": "s", "message": "m"},
    )
    assert response.status_code == 302
    assert IntakeRequest.objects.get(pk=request_.pk).duplicate_of == original
    html = main(client.get(page_url(original)))
    assert request_.reference in html and "doublon de celle-ci" in html


def test_assign_label_and_note_forms(client, request_, other_team_member):
    label = Label.objects.create(name="Prioritaire", colour="red")
    # Team members are offered by their names, not their logins.
    page = client.get(page_url(request_)).content.decode()
    assert f'<option value="{other_team_member.pk}">Dominique Agent</option>' in page
    response = client.post(
        page_url(request_), {"action": "assign", "assignee": other_team_member.pk}
    )
    assert response.status_code == 302
    assert IntakeRequest.objects.get(pk=request_.pk).assignee == other_team_member
    [email] = sent_to("dominique.agent@example.org")
    assert f"http://127.0.0.1:8000/admin/demandes/{request_.pk}/" in email.body
    client.post(page_url(request_), {"action": "labels", "labels": [label.pk]})
    assert list(request_.labels.all()) == [label]
    response = client.post(page_url(request_), {"action": "note", "body": "  "})
    assert response.status_code == 400
    assert "Écrivez la note." in response.content.decode()
    client.post(page_url(request_), {"action": "note", "body": "Élu à rappeler", "pinned": "on"})
    html = main(client.get(page_url(request_)))
    assert html.index("Notes épinglées") < html.index("Élu à rappeler")
    assert 'request-label--red">Prioritaire' in html
    note = request_.notes.get()
    client.post(page_url(request_), {"action": "pin", "note": note.pk})
    assert request_.notes.get().pinned is False
    # The applicant never sees notes nor labels.
    status_page = client.get(status_link(request_)).content.decode()
    assert "Élu à rappeler" not in status_page and "Prioritaire" not in status_page


def test_message_composer_and_the_applicants_answer(client, request_, team_member, committed):
    commands.take(request_, by=team_member)
    commands.ask(request_, by=team_member, message="Quel est votre budget ?")
    mail.outbox.clear()
    templates = ReplyTemplate.objects.filter(purpose="message")
    html = client.get(page_url(request_), {"modele": templates[0].pk}).content.decode()
    assert "Bonjour Camille Martin" in html
    response = client.post(
        page_url(request_),
        {"action": "write", "subject": "", "message": "Gardez votre texte"},
    )
    assert response.status_code == 400
    assert "Indiquez l&#x27;objet du courriel." in response.content.decode()
    assert "Gardez votre texte" in response.content.decode()
    # The applicant answers from the status page: the request is back in review.
    status = status_link(request_)
    client.post(status, {"action": "message", "message-body": "Environ 20 000 euros."})
    request_.refresh_from_db()
    assert request_.status == Status.IN_REVIEW
    [notice] = sent_to("camille.agent@example.org")
    assert f"/admin/demandes/{request_.pk}/" in notice.body
    html = main(client.get(page_url(request_)))
    assert html.index("Quel est votre budget ?") < html.index("Environ 20 000 euros.")
    assert "Réponse de la collectivité" in html


def test_appointment_handling(client, request_, first_slot):
    appointment = request_.appointments.get()
    base = f"{page_url(request_)}rendez-vous/{appointment.pk}/"
    response = client.post(f"{base}confirmer/", {"video_link": "pas une adresse"})
    assert response.status_code == 400
    assert "Saisissez une adresse complète" in response.content.decode()
    response = client.post(
        f"{base}confirmer/", {"video_link": "https://webconf.numerique.gouv.fr/te"}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.video_link == "https://webconf.numerique.gouv.fr/te"
    [update] = sent_to("camille@example.fr")
    assert "webconf.numerique.gouv.fr/te" in invitation(update)[0].replace("\r\n ", "")
    assert (
        "https://webconf.numerique.gouv.fr/te" in client.get(status_link(request_)).content.decode()
    )
    other = next(s for s in booking.available_slots() if s.starts_at != first_slot.starts_at)
    mail.outbox.clear()
    response = client.post(f"{base}deplacer/", {"slot": slot_value(other)})
    assert response.status_code == 400
    assert "Écrivez un mot à la collectivité." in response.content.decode()
    response = client.post(
        f"{base}deplacer/", {"slot": slot_value(other), "message": "Un conseil municipal."}
    )
    assert (response.status_code, response["Location"]) == (302, page_url(request_))
    appointment.refresh_from_db()
    assert appointment.starts_at == other.starts_at
    [moved] = sent_to("camille@example.fr")
    assert moved.subject == f"Rendez-vous déplacé — demande {request_.reference}"
    assert "https://webconf.numerique.gouv.fr/te" in moved.body
    assert "Un conseil municipal.\n\nVotre rendez-vous" in moved.body
    # A coming appointment offers no outcome; forced, the outcome is refused.
    html = client.get(page_url(request_)).content.decode()
    assert f"{base}deplacer/" in html and f"{base}tenu/" not in html
    assert f"{base}absence/" not in html
    past = timezone.now() - timedelta(hours=1)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=past)
    html = client.get(page_url(request_)).content.decode()
    assert f"{base}tenu/" in html and f"{base}absence/" in html
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=other.starts_at)
    response = client.post(f"{base}tenu/", {"confirm": "on"})
    assert response.status_code == 400
    assert "n&#x27;a pas encore eu lieu" in response.content.decode()
    mail.outbox.clear()
    response = client.post(f"{base}annuler/", {"message": "Nous reprendrons contact."})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_BY_TEAM
    [cancelled] = sent_to("camille@example.fr")
    assert invitation(cancelled)[1] == "CANCEL"
    assert cancelled.body.startswith("Bonjour Camille Martin,\n\nNous reprendrons contact.")
    assert client.get(f"{base}annuler/").content.decode().count("plus possible") == 1
    # Not accepted yet: its first exchange only.
    response = client.post(
        f"{page_url(request_)}rendez-vous/nouveau/",
        {"slot": slot_value(other), "kind": "working_session", "place": "permanence"},
    )
    assert response.status_code == 400
    response = client.post(
        f"{page_url(request_)}rendez-vous/nouveau/",
        {"slot": slot_value(other), "kind": "first_exchange", "place": "permanence"},
    )
    assert response.status_code == 302
    assert request_.appointments.booked().get().kind == "first_exchange"


def test_history_view_works_for_the_team_and_the_superuser(client, request_, team_member):
    commands.take(request_, by=team_member)
    response = client.get(f"/admin/demandes/history/{request_.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Demande reçue" in html and "Demande prise en charge" in html
    admin = get_user_model().objects.create_superuser("chef", "chef@example.org", "motdepasse-x")
    client.force_login(admin)
    assert client.get(f"/admin/demandes/history/{request_.pk}/").status_code == 200


def test_site_history_report_shows_intake_events_to_the_team(
    client, request_, team_member, moderator
):
    commands.take(request_, by=team_member)
    html = client.get("/admin/reports/site-history/").content.decode()
    assert request_.reference in html and "Demande prise en charge" in html
    client.force_login(moderator)
    assert request_.reference not in client.get("/admin/reports/site-history/").content.decode()


def test_new_request_notification_links_to_the_request_page(
    request_fields, first_slot, committed, settings
):
    from uuid import uuid4

    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    submission = committed(commands.submit, request_fields, submission_key=uuid4(), slot=first_slot)
    [notice] = sent_to("equipe@example.fr")
    assert f"http://127.0.0.1:8000/admin/demandes/{submission.intake_request.pk}/" in notice.body
    assert (
        f'href="http://127.0.0.1:8000/admin/demandes/{submission.intake_request.pk}/"'
        in (notice.alternatives[0][0])
    )


def test_a_closure_over_booked_appointments_lists_them_to_move_or_cancel(client, request_):
    appointment = request_.appointments.get()
    day = timezone.localtime(appointment.starts_at).date()
    response = client.post(
        "/admin/permanence/fermetures/new/",
        {"start_date": day.isoformat(), "end_date": day.isoformat(), "reason": "Séminaire"},
    )
    closure = Closure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/permanence/fermetures/rendez-vous/{closure.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert request_.reference in html
    field = f"appointment_{appointment.pk}"
    response = client.post(response["Location"], {field: "annuler", "message": ""})
    assert response.status_code == 400
    assert "Écrivez un mot à la collectivité." in response.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"
    mail.outbox.clear()
    response = client.post(
        f"/admin/permanence/fermetures/rendez-vous/{closure.pk}/",
        {field: "annuler", "message": "Notre équipe est en séminaire ce jour-là."},
    )
    assert response["Location"] == "/admin/permanence/fermetures/"
    assert Appointment.objects.get(pk=appointment.pk).status == "cancelled_by_team"
    [cancelled] = sent_to("camille@example.fr")
    assert "Notre équipe est en séminaire ce jour-là." in cancelled.body
    html = client.get(f"/admin/permanence/fermetures/rendez-vous/{closure.pk}/").content.decode()
    assert "Aucun rendez-vous ne tombe pendant cette fermeture." in html
    # A closure on a day without appointments goes back to the list.
    response = client.post(
        "/admin/permanence/fermetures/new/",
        {
            "start_date": (day + timedelta(days=1)).isoformat(),
            "end_date": (day + timedelta(days=1)).isoformat(),
        },
    )
    assert response["Location"] == "/admin/permanence/fermetures/"


def test_a_question_must_be_written_not_the_template_sent_as_is(client, request_, team_member):
    commands.take(request_, by=team_member)
    draft = client.get(f"{page_url(request_)}ask/").context["form"].initial
    response = client.post(f"{page_url(request_)}ask/", draft)
    assert response.status_code == 400
    assert "Écrivez la question posée à la collectivité." in response.content.decode()
    assert IntakeRequest.objects.get(pk=request_.pk).status == Status.IN_REVIEW
    written = {**draft, "message": draft["message"].replace("[…]", "budget ?")}
    assert client.post(f"{page_url(request_)}ask/", written).status_code == 302
    assert IntakeRequest.objects.get(pk=request_.pk).status == Status.AWAITING_APPLICANT


def test_broken_ids_are_refused_not_crashed(client, request_):
    assert client.post(page_url(request_), {"action": "pin", "note": "abc"}).status_code == 404
    assert client.post(page_url(request_), {"action": "pin", "note": "²"}).status_code == 404
    assert client.get(page_url(request_), {"modele": "²"}).status_code == 200
    assert client.get(f"{page_url(request_)}ask/", {"modele": "9" * 30}).status_code == 200
    for ids in ("id=²", "id=99999999999999999999", "id=all", "id=x&id=all"):
        response = client.get(f"/admin/bulk/intake/intakerequest/spam/?{ids}")
        assert response.status_code == 200, ids
        assert "demande choisie" not in response.content.decode()
    client.post("/admin/bulk/intake/intakerequest/spam/?id=all")
    assert IntakeRequest.objects.get(pk=request_.pk).status == Status.SUBMITTED


def test_the_thread_names_who_wrote(client, request_, team_member):
    commands.team_writes(request_, by=team_member, body="Bonjour, nous revenons vers vous.")
    commands.withdraw(request_)  # its confirmation is the portal's, written by nobody
    html = main(client.get(page_url(request_)))
    assert "<strong>Camille Agent (équipe)</strong>" in html
    assert "<strong>Message automatique du portail</strong>" in html
    assert "L&#x27;équipe (équipe)" not in html


def test_a_decline_whose_reason_is_left_blank_is_refused_at_the_field(client, request_):
    draft = client.get(f"{page_url(request_)}decline/").context["form"].initial
    assert "pas en mesure de l'accompagner : […]" in draft["message"]
    response = client.post(f"{page_url(request_)}decline/", {**draft, "reason": "Hors champ"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "message": [
            "Le message contient encore « […] » : remplacez-le par ce que la collectivité "
            "doit lire."
        ]
    }
    assert IntakeRequest.objects.get(pk=request_.pk).status == Status.SUBMITTED
    assert mail.outbox == []
    written = {
        **draft,
        "reason": "Hors champ",
        "message": draft["message"].replace("[…]", "notre offre s'adresse aux collectivités."),
    }
    assert client.post(f"{page_url(request_)}decline/", written).status_code == 302
    assert IntakeRequest.objects.get(pk=request_.pk).status == Status.DECLINED


def test_a_request_waiting_for_the_applicant_can_be_resumed_or_decided(
    client, request_, team_member
):
    commands.ask(request_, by=team_member, message="Quel budget ?")
    html = main(client.get(page_url(request_)))
    for move in ("resume", "accept", "redirect", "decline", "duplicate", "spam"):
        assert f"/admin/demandes/{request_.pk}/{move}/" in html
    assert "Reprendre l&#x27;examen" in html
    form = client.get(f"{page_url(request_)}resume/").content.decode()
    assert "Par courriel" in form and "Par téléphone" in form and "D&#x27;une autre façon" in form
    response = client.post(f"{page_url(request_)}resume/", {"channel": "email", "note": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {"note": ["Résumez la réponse de la collectivité."]}
    response = client.post(
        f"{page_url(request_)}resume/", {"channel": "email", "note": "Budget de 20 000 €."}
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert (request_.status, request_.paused_on) == (Status.IN_REVIEW, None)
    assert "Examen repris — Réponse par courriel : Budget de 20 000 €." in main(
        client.get(page_url(request_))
    )


def test_no_duplicate_nor_spam_during_an_accompaniment(client, request_):
    IntakeRequest.objects.filter(pk=request_.pk).update(status=Status.IN_PROGRESS)
    html = main(client.get(page_url(request_)))
    assert f"/admin/demandes/{request_.pk}/close/" in html
    for move in ("duplicate", "spam"):
        assert f"/admin/demandes/{request_.pk}/{move}/" not in html
