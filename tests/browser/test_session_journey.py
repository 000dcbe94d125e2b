"""A working session in Chromium with axe-core: the team schedules one outside the permanence,
the applicant sees it on the status page and the team's agenda shows it (reached with the
keyboard from the dashboard); once held, the team records it with a shared compte-rendu and
two action items, and the applicant marks its own done."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.agenda import monday_of
from intake.models import Appointment, IntakeRequest
from tests.browser.admin import sign_in, submit_form
from tests.browser.keyboard import tab_to

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

    # The agenda, from the dashboard, then week after week with the keyboard alone.
    page.goto(f"{server.url}/admin/")
    with page.expect_navigation():
        page.get_by_role("link", name="Agenda de la semaine").click()
    for _week in range((monday_of(day) - monday_of(timezone.localdate())).days // 7):
        # The skip link first, then Tab through the main content to the next week's link.
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        following = page.get_by_role("link", name=re.compile("^Semaine suivante"))
        tab_to(page, following)
        # Its focus shows: Wagtail's outline, not the browser's default removed.
        assert following.evaluate("link => getComputedStyle(link).outlineStyle") != "none"
        with page.expect_navigation():
            page.keyboard.press("Enter")
    day_section = page.locator(f'section[aria-labelledby="jour-{day.isoformat()}"]')
    row = day_section.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("10 h–11 h 30")
    expect(row).to_contain_text("Séance de travail · hors permanence")
    expect(row.get_by_role("link", name=re.compile("Lavaur"))).to_have_attribute(
        "href", f"/admin/demandes/{request.pk}/"
    )
    expect(row.get_by_role("link", name=re.compile("^Rejoindre"))).to_have_attribute(
        "href", "https://webconf.numerique.gouv.fr/te"
    )
    expect(row).to_contain_text("Camille Agent")
    axe_check(page, "3-agenda-with-session")

    # The session took place: moved to last week as time would have.
    session = request.appointments.get(kind=Appointment.Kind.WORKING_SESSION)
    start = timezone.now() - timedelta(days=7)
    Appointment.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(minutes=90)
    )
    page.goto(f"{server.url}/admin/demandes/{request.pk}/")
    appointments = page.locator("#appointments-section")
    session_item = appointments.locator("li", has_text="Séance de travail").first
    with page.expect_navigation():
        session_item.get_by_role("link", name="Tenu").click()
    page.get_by_label("Je confirme").check()
    submit_form(page, "Le rendez-vous a eu lieu")
    with page.expect_navigation():
        page.get_by_role("link", name="Rédiger le compte rendu").click()
    axe_check(page, "4-record-form")
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
    axe_check(applicant, "5-status-page-with-record")
    with applicant.expect_navigation():
        applicant.get_by_role("button", name=re.compile("C'est fait")).click()
    expect(main).to_contain_text("C'est noté : l'action est faite, l'équipe le voit.")
    expect(main.locator(".fr-badge", has_text="Faite")).to_have_count(1)
    applicant.context.close()

    page.goto(f"{server.url}/admin/demandes/{request.pk}/")
    expect(page.locator("#thread-section")).to_contain_text("Action faite par la collectivité")
