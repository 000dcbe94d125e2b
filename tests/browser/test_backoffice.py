"""A team member's day in the back office, in Chromium, with axe-core on every custom view:
from the dashboard to the request, take it, ask, read the applicant's answer from the status
page, accept, confirm the slot with a video link; the applicant sees the decision and link.
An answer by phone resumes the review; a decline whose blank is left untouched is refused."""

import re

import pytest
from playwright.sync_api import expect

from intake.lifecycle import commands
from intake.models import IntakeRequest
from tests.browser.admin import sign_in, submit_form

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIDEO_LINK = "https://webconf.numerique.gouv.fr/te-lavaur"


def test_a_request_from_the_dashboard_to_the_accepted_slot(team_server, page, axe_check):
    server, member, submission = team_server
    request = submission.intake_request
    sign_in(page, server.url, member)
    axe_check(page, "1-dashboard")

    panel = page.locator("#intake_new-section")
    expect(panel).to_contain_text("1 demande — voir dans la file")
    with page.expect_navigation():
        panel.get_by_role("link", name=re.compile(request.reference)).click()
    assert page.url == f"{server.url}/admin/demandes/{request.pk}/"
    expect(page.locator("main")).to_contain_text("Vos axes stratégiques en matière de démocratie")
    axe_check(page, "2-request")

    with page.expect_navigation():
        page.get_by_role("link", name="Prendre en charge").click()
    expect(page.get_by_label("Message à la collectivité")).to_contain_text(
        "suivie par Camille Agent"
    )
    axe_check(page, "3-take-form")
    submit_form(page, "Prendre en charge")
    expect(page.locator(".messages")).to_contain_text("« Prendre en charge » : enregistré.")

    with page.expect_navigation():
        page.get_by_role("link", name="Demander des précisions").click()
    message = page.get_by_label("Message à la collectivité")
    message.fill("Bonjour, combien d'habitants participent déjà ? {lien_suivi}")
    axe_check(page, "4-ask-form")
    submit_form(page, "Demander des précisions")
    request.refresh_from_db()
    assert request.status == IntakeRequest.Status.AWAITING_APPLICANT

    # The applicant answers from the status page.
    applicant = page.context.browser.new_context(locale="fr-FR").new_page()
    applicant.goto(f"{server.url}/suivi/{submission.token}/")
    expect(applicant.locator("main")).to_contain_text("En attente de votre réponse")
    applicant.get_by_label("Votre message à l'équipe").fill("Une quarantaine de personnes.")
    with applicant.expect_navigation():
        applicant.get_by_role("button", name="Envoyer le message").click()
    expect(applicant.locator("main")).to_contain_text("Votre message est transmis à l'équipe.")

    page.reload()
    thread = page.locator("#thread-section")
    expect(thread).to_contain_text("Une quarantaine de personnes.")
    expect(thread).to_contain_text("Réponse de la collectivité")
    with page.expect_navigation():
        page.get_by_role("link", name="Accepter", exact=True).click()
    axe_check(page, "5-accept-form")
    submit_form(page, "Accepter")
    expect(page.locator("main")).to_contain_text("Acceptée")

    with page.expect_navigation():
        page.locator("#appointments-section").get_by_role("link", name="Confirmer").click()
    page.get_by_label("Lien de la visioconférence").fill(VIDEO_LINK)
    axe_check(page, "6-confirm-form")
    submit_form(page, "Confirmer et envoyer le lien")
    expect(page.locator("#appointments-section")).to_contain_text("Confirmé")
    axe_check(page, "7-request-accepted")

    applicant.reload()
    main = applicant.locator("main")
    expect(main.locator(".fr-badge")).to_have_text("Acceptée")
    expect(main).to_contain_text("Demande acceptée")
    expect(main.get_by_role("link", name="Rejoindre la visioconférence")).to_have_attribute(
        "href", VIDEO_LINK
    )
    applicant.context.close()

    page.goto(f"{server.url}/admin/demandes/?vue=toutes")
    expect(page.locator("main")).to_contain_text(request.reference)
    axe_check(page, "8-queue")


def test_an_answer_by_phone_resumes_the_review_and_a_blank_reason_is_caught(
    team_server, page, axe_check
):
    server, member, submission = team_server
    request = submission.intake_request
    commands.take(request, by=member)
    commands.ask(request, by=member, message="Combien d'habitants participent déjà ?")
    sign_in(page, server.url, member)
    page.goto(f"{server.url}/admin/demandes/{request.pk}/")

    # The mayor answers by phone: the team resumes the review and says how.
    with page.expect_navigation():
        page.get_by_role("link", name="Reprendre l'examen").click()
    page.get_by_label("Par téléphone").check()
    page.get_by_label("Ce qu'elle a répondu").fill("Une quarantaine d'habitants.")
    axe_check(page, "9-resume-form")
    submit_form(page, "Reprendre l'examen")
    expect(page.locator("#thread-section")).to_contain_text(
        "Examen repris — Réponse par téléphone : Une quarantaine d'habitants."
    )

    # A decline sent with its template's blank untouched is refused at the message.
    with page.expect_navigation():
        page.get_by_role("link", name="Décliner").click()
    page.get_by_label("Motif du refus").fill("Hors du champ de la cellule")
    submit_form(page, "Décliner")
    message = page.get_by_label("Message à la collectivité")
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main")).to_contain_text(
        "Le message contient encore « […] » : remplacez-le par ce que la collectivité doit lire."
    )
    axe_check(page, "10-decline-form-with-its-blank")
    request.refresh_from_db()
    assert request.status == IntakeRequest.Status.IN_REVIEW
