"""A working session in Chromium with axe-core: the team schedules one outside the permanence,
the applicant sees it on the status page; once held, the team records it with a shared
compte-rendu and two action items, and the applicant marks its own done."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Appointment, IntakeRequest
from tests.browser.admin import sign_in, submit_form

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_session_from_its_scheduling_to_the_applicant_s_action(team_server, page, axe_check):
    server, member, submission = team_server
    request = submission.intake_request
    IntakeRequest.objects.filter(pk=request.pk).update(
        status=IntakeRequest.Status.ACCEPTED, decided_at=timezone.now()
    )
    sign_in(page, server.url, member)
    page.goto(f"{server.url}/admin/demandes/{request.pk}/rendez-vous/nouveau/")
    axe_check(page, "1-schedule-form")
    page.get_by_label("Nature du rendez-vous").select_option("working_session")
    page.get_by_label("À un autre moment").check()
    day = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Jour").fill(day.isoformat())
    page.get_by_label("Heure de début (heure de Paris)").fill("10:00")
    page.get_by_label("Durée (minutes)").fill("90")
    page.get_by_label("Lien de la visioconférence").fill("https://webconf.numerique.gouv.fr/te")
    submit_form(page, "Planifier")
    expect(page.locator("#appointments-section")).to_contain_text(
        "Tenu par Camille Agent · hors permanence"
    )

    applicant = page.context.browser.new_context(locale="fr-FR").new_page()
    status_page = f"{server.url}/suivi/{submission.token}/"
    applicant.goto(status_page)
    expect(applicant.locator("main")).to_contain_text("Séance de travail : ")
    axe_check(applicant, "2-status-page-with-session")

    # The session took place: moved to last week as time would have.
    session = request.appointments.get(kind=Appointment.Kind.WORKING_SESSION)
    start = timezone.now() - timedelta(days=7)
    Appointment.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(minutes=90)
    )
    page.reload()
    appointments = page.locator("#appointments-section")
    session_item = appointments.locator("li", has_text="Séance de travail").first
    with page.expect_navigation():
        session_item.get_by_role("link", name="Tenu").click()
    page.get_by_label("Je confirme").check()
    submit_form(page, "Le rendez-vous a eu lieu")
    with page.expect_navigation():
        page.get_by_role("link", name="Rédiger le compte rendu").click()
    axe_check(page, "3-record-form")
    page.get_by_label("Vos axes stratégiques en matière de démocratie participative").check()
    editor = page.locator("[contenteditable=true]").first
    editor.click()
    editor.type("Deux axes retenus : un budget participatif et un conseil citoyen.")
    page.get_by_label("Partager le compte rendu avec la collectivité").check()
    page.get_by_label("Nouvelle action 1").fill("Envoyer la charte type")
    page.locator("#id_item_1_owner").select_option("team")
    page.get_by_label("Nouvelle action 2").fill("Délibérer sur le budget participatif")
    page.locator("#id_item_2_owner").select_option("collectivite")
    submit_form(page, "Enregistrer le compte rendu")
    expect(page.locator(".messages")).to_contain_text(
        "Le compte rendu de la séance est enregistré."
    )

    applicant.reload()
    main = applicant.locator("main")
    expect(main).to_contain_text(
        "Deux axes retenus : un budget participatif et un conseil citoyen."
    )
    expect(main).not_to_contain_text("Envoyer la charte type")
    axe_check(applicant, "4-status-page-with-record")
    with applicant.expect_navigation():
        applicant.get_by_role("button", name=re.compile("C'est fait")).click()
    expect(main).to_contain_text("C'est noté : l'action est faite, l'équipe le voit.")
    expect(main.locator(".fr-badge", has_text="Faite")).to_have_count(1)
    applicant.context.close()

    page.goto(f"{server.url}/admin/demandes/{request.pk}/")
    expect(page.locator("#thread-section")).to_contain_text("Action faite par la collectivité")
