"""Move forms with their context: the request's reference in the title, its summary and its
last messages beside the form; Doublon offers the other requests of the same collectivité."""

import html
import re

import pytest

from intake.lifecycle import commands
from intake.models import IntakeRequest
from tests.intake.factories import collectivite, intake_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(client, team_member):
    client.force_login(team_member)
    return client


@pytest.fixture
def pamiers(db):
    return collectivite("Pamiers", departement_code="09")


def text(response):
    return html.unescape(response.content.decode())


def test_a_move_form_names_its_request_and_shows_the_last_messages(
    team_client, team_member, pamiers
):
    intake = intake_request(collectivite=pamiers)
    page = text(team_client.get(f"/admin/demandes/{intake.pk}/decline/"))
    assert f"<title>Décliner: {intake.reference} - Wagtail</title>" in page
    assert "Aucun message échangé pour l'instant." in page
    for body in ("Premier message.", "Deuxième message.", "Troisième.", "Quatrième, le dernier."):
        commands.applicant_writes(intake, body=body)
    commands.team_writes(intake, by=team_member, body="Réponse de l'équipe.", subject="Re")
    page = text(team_client.get(f"/admin/demandes/{intake.pk}/decline/"))
    aside = page.split('aria-labelledby="recent-messages-title"', 1)[1].split("</section>", 1)[0]
    bodies = re.findall(r'<p class="request-thread__body">(.*?)</p>', aside, re.S)
    assert bodies == ["Réponse de l'équipe.", "Quatrième, le dernier.", "Troisième."]
    assert "Camille Agent (équipe)" in aside and "(collectivité)" in aside
    assert 'class="request-summary"' in page


def test_doublon_offers_the_other_requests_of_the_collectivite(team_client, pamiers):
    intake = intake_request(collectivite=pamiers)
    earlier = intake_request(collectivite=pamiers)
    repeated = intake_request(collectivite=pamiers, status=IntakeRequest.Status.DUPLICATE)
    repeated.duplicate_of = earlier
    repeated.save()
    elsewhere = intake_request()
    url = f"/admin/demandes/{intake.pk}/duplicate/"
    form = team_client.get(url).context["form"]
    assert list(form.fields["candidate"].queryset) == [earlier]
    page = text(team_client.get(url))
    assert f"{earlier.reference} — reçue le" in page and repeated.reference not in page
    response = team_client.post(url, {"subject": "s", "message": "m"})
    assert response.status_code == 400
    assert "Indiquez la demande d'origine." in text(response)
    response = team_client.post(
        url,
        {"candidate": earlier.pk, "original": elsewhere.reference, "subject": "s", "message": "m"},
    )
    assert response.status_code == 400
    assert "pas les deux" in text(response)
    response = team_client.post(url, {"candidate": earlier.pk, "subject": "s", "message": "m"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert (intake.status, intake.duplicate_of) == (IntakeRequest.Status.DUPLICATE, earlier)


def test_doublon_without_other_requests_asks_for_a_reference(team_client):
    intake = intake_request()
    original = intake_request()
    url = f"/admin/demandes/{intake.pk}/duplicate/"
    form = team_client.get(url).context["form"]
    assert "candidate" not in form.fields
    assert form.fields["original"].label == "Référence de la demande d'origine"
    response = team_client.post(url, {"original": "", "subject": "s", "message": "m"})
    assert "Indiquez la demande d'origine." in text(response)
    response = team_client.post(
        url, {"original": original.reference, "subject": "s", "message": "m"}
    )
    assert response.status_code == 302
    assert IntakeRequest.objects.get(pk=intake.pk).duplicate_of == original
