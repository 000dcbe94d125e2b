"""A request received by phone, in Chromium with axe-core: a team member types it in from the
queue (the collectivité from the referential's combobox), then corrects the contact's
mistyped email from the request page; the new address gets the status link."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from intake.models import IntakeRequest
from tests import factories
from tests.browser.admin import sign_in, submit_form

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def team_only_server(demo_server):
    call_command("load_collectivites", stdout=StringIO())
    member = factories.user_in_group(
        "Équipe", "camille.agent", first_name="Camille", last_name="Agent"
    )
    return demo_server, member


def test_a_phone_request_typed_in_then_its_email_corrected(team_only_server, page, axe_check):
    server, member = team_only_server
    sign_in(page, server.url, member)
    page.goto(server.url + "/admin/demandes/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nouvelle demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle demande")
    axe_check(page, "1-new-request")

    # Sent empty: each field says what is missing, in French.
    submit_form(page, "Enregistrer la demande")
    expect(page.get_by_text("Saisissez le prénom du contact.")).to_be_visible()
    axe_check(page, "2-new-request-errors")

    search = page.locator("#id_collectivite_search")
    search.fill("Lavaur")
    page.get_by_role("option", name=re.compile(r"^Lavaur.*Tarn")).first.click()
    page.locator("#id_first_name").fill("Dominique")
    page.locator("#id_last_name").fill("Roux")
    page.locator("#id_function").fill("Maire")
    page.get_by_label("Élu ou élue").check()
    page.locator("#id_email").fill("dominique.roux@exemple.fr")
    page.locator("#id_phone").fill("05 63 00 00 00")
    page.get_by_label("Les pistes de financement").check()
    page.get_by_label("Un échange ponctuel").check()
    page.locator("#id_context").fill("Appel : un conseil citoyen à créer.")
    page.get_by_label("Pas de créneau pour l'instant").check()
    page.get_by_label("Oralement").check()
    submit_form(page, "Enregistrer la demande")

    request = IntakeRequest.objects.get()
    assert request.collectivite.name == "Lavaur"
    assert page.url == f"{server.url}/admin/demandes/{request.pk}/"
    expect(page.locator("#thread-section")).to_contain_text(
        "Demande saisie par Camille Agent (consentement oral du"
    )
    axe_check(page, "3-request-page")
    assert [message.to for message in mail.outbox if "reçue" in message.subject] == [
        ["dominique.roux@exemple.fr"]
    ]

    with page.expect_navigation():
        page.get_by_role("link", name="Modifier les coordonnées").click()
    axe_check(page, "4-contact-form")
    page.locator("#id_email").fill("dominique.roux@example.fr")
    submit_form(page, "Enregistrer les coordonnées")
    expect(page.get_by_text("Les coordonnées du contact sont enregistrées.")).to_be_visible()
    expect(page.locator("#thread-section")).to_contain_text(
        "Coordonnées mises à jour — courriel : dominique.roux@exemple.fr → "
        "dominique.roux@example.fr"
    )
    axe_check(page, "5-request-page-corrected")
    [link_email] = [m for m in mail.outbox if m.to == ["dominique.roux@example.fr"]]
    assert "Votre adresse est mise à jour" in link_email.subject
    link = re.search(r"(/suivi/[\w-]+/)", link_email.body)[1]
    page.goto(server.url + link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(request.reference)
