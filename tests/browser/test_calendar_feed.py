"""A team member subscribes their calendar, in Chromium, with axe-core on each step: from the
account page's Agenda tab, create the feed, read it at its address as a calendar would,
renew it (the former address answers 404), delete it."""

import icalendar
import pytest
from playwright.sync_api import expect

from intake.lifecycle import commands
from intake.models import Appointment
from tests.browser.admin import sign_in, submit_form

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def open_agenda_tab(page, server):
    page.goto(f"{server.url}/admin/account/")
    page.get_by_role("tab", name="Agenda").click()
    expect(page.get_by_role("heading", name="Flux d'agenda")).to_be_visible()


def test_a_member_subscribes_renews_and_deletes_their_feed(team_server, page, axe_check):
    server, member, submission = team_server
    commands.assign(submission.intake_request, by=member, assignee=member)
    first_exchange = submission.intake_request.appointments.get()
    assert first_exchange.kind == Appointment.Kind.FIRST_EXCHANGE
    sign_in(page, server.url, member)

    open_agenda_tab(page, server)
    axe_check(page, "1-account-without-feed")
    with page.expect_navigation():
        page.get_by_role("link", name="Créer mon flux d'agenda").click()
    axe_check(page, "2-create")
    submit_form(page, "Créer le flux")
    expect(page.locator(".messages")).to_contain_text("Votre flux d'agenda est créé")
    expect(page.get_by_role("heading", name="Flux d'agenda")).to_be_visible()
    axe_check(page, "3-account-with-feed")

    address = page.get_by_label("Adresse de votre flux").input_value()
    assert address.startswith(f"{server.url}/agenda/") and address.endswith(".ics")
    calendar = page.context.browser.new_context()  # signed in nowhere, as a calendar is
    answer = calendar.request.get(address)
    assert (answer.status, answer.headers["content-type"]) == (200, "text/calendar; charset=utf-8")
    [event] = icalendar.Calendar.from_ical(answer.body()).walk("VEVENT")
    assert str(event["UID"]) == f"{first_exchange.ics_uid}@territoires-engagement"

    with page.expect_navigation():
        page.get_by_role("link", name="Renouveler l'adresse").click()
    axe_check(page, "4-renew")
    submit_form(page, "Renouveler l'adresse")
    expect(page.locator(".messages")).to_contain_text("l'ancienne ne fonctionne plus")
    renewed = page.get_by_label("Adresse de votre flux").input_value()
    assert renewed != address
    assert calendar.request.get(address).status == 404
    assert calendar.request.get(renewed).status == 200

    with page.expect_navigation():
        page.get_by_role("link", name="Supprimer le flux").click()
    axe_check(page, "5-delete")
    submit_form(page, "Supprimer le flux")
    expect(page.get_by_role("link", name="Créer mon flux d'agenda")).to_be_visible()
    assert calendar.request.get(renewed).status == 404
    calendar.close()
