"""An applicant's whole journey, keyboard only: home → form → confirmation → status page.

Nothing in the form is clicked: fields are reached with Tab, filled by typing, and chosen
with the arrow keys, Space and Enter. axe-core checks every state the applicant sees.
"""

import datetime
import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

import intake.views.forms
from intake.booking import slot_label
from intake.models import Collectivite, IntakeRequest
from tests.intake.conftest import invitation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "camille.martin@example.fr"
REFERENCE = re.compile(r"TE-\d{4}-\d{5}")


@pytest.fixture
def intake_server(demo_server, monkeypatch):
    """The demo site with the referential loaded (the flush after each test empties it)."""
    call_command("load_collectivites", stdout=StringIO())
    # The anti-spam delay is tested in tests/intake; here a quick keyboard must not trip it.
    monkeypatch.setattr(intake.views.forms, "MIN_FILL_SECONDS", 0)
    return demo_server


def open_page(page, url):
    page.goto(url)
    page.wait_for_selector('html[data-fr-js="true"]', state="attached")


def has_focus(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, limit=120, key="Tab"):
    """Press Tab (or `key`) until `locator` has the focus; fail if it never gets it."""
    expect(locator).to_be_attached()
    for _ in range(limit):
        page.keyboard.press(key)
        if has_focus(locator):
            return
    pytest.fail(f"{locator} was not reached after {limit} presses on {key}")


def press_and_wait_for_navigation(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_selector('html[data-fr-js="true"]', state="attached")


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)
    expect(locator).to_have_value(text)


def choose_in_select(page, select):
    """Focus a closed <select> and pick its first real option with ArrowDown."""
    tab_to(page, select)
    expect(select).to_have_value("")
    page.keyboard.press("ArrowDown")
    value = select.input_value()
    assert value, "ArrowDown did not pick an option"
    return value


def test_request_booking_and_status_page_by_keyboard(intake_server, page, axe_check):
    # 1. From the home page, the call to action leads to the form.
    open_page(page, intake_server.url + "/")
    axe_check(page, "1-home")
    cta = page.locator(".portal-hero").get_by_role(
        "link", name="Faire une demande d'accompagnement"
    )
    tab_to(page, cta)
    press_and_wait_for_navigation(page)
    assert urlparse(page.url).path == "/demande/"
    form = page.locator("main form")
    submit = form.get_by_role("button", name="Envoyer ma demande")
    expect(page.locator("#error-summary")).to_have_count(0)
    axe_check(page, "2-form")

    # 2. Sent empty, the form comes back with an error summary that has the focus.
    tab_to(page, submit)
    press_and_wait_for_navigation(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    expect(page.locator("#id_first_name")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "3-form-errors")
    # Each error links to its field, a radio group's to its first radio button.
    tab_to(page, summary.get_by_role("link", name=re.compile("^Vous êtes :")), limit=10)
    page.keyboard.press("Enter")
    elected = form.get_by_role("radio", name="Élu ou élue")
    expect(elected).to_be_focused()

    # 3. The combobox: a postcode lists its communes; a typo still finds Fresnes (94) first,
    # told apart from its homonyms; arrow down to it, Enter.
    combobox = page.get_by_role("combobox", name="Votre collectivité")
    listbox = page.get_by_role("listbox", name="Votre collectivité")
    status = page.locator("#id_collectivite_search-status")
    options = listbox.get_by_role("option")
    fresnes_name = re.compile(r"^Fresnes Commune · 94 Val-de-Marne · 29\s528 habitants$")
    tab_to(page, combobox, key="Shift+Tab", limit=10)
    expect(combobox).to_have_attribute("aria-invalid", "true")
    page.keyboard.type("94260")
    expect(listbox).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(options).to_have_count(1)
    expect(options.first).to_have_accessible_name(fresnes_name)
    expect(status).to_have_text("1 résultat disponible")
    axe_check(page, "4-combobox-postcode")

    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    expect(listbox).to_be_hidden()
    expect(combobox).to_have_attribute("aria-expanded", "false")
    page.keyboard.type("Fresnse")
    expect(status).to_have_text("10 résultats disponibles")
    expect(options).to_have_count(10)
    expect(options.first).to_have_accessible_name(fresnes_name)
    expect(options.nth(1)).to_have_accessible_name(re.compile(r"^Fresse Commune · 70 Haute-Saône"))
    fresnes_option = listbox.get_by_role("option", name=fresnes_name)
    fresnes_id = fresnes_option.get_attribute("id")
    page.keyboard.press("ArrowDown")
    expect(combobox).to_have_attribute("aria-activedescendant", fresnes_id)
    expect(fresnes_option).to_have_attribute("aria-selected", "true")
    expect(combobox).to_be_focused()
    axe_check(page, "5-combobox-typo")
    page.keyboard.press("Enter")
    fresnes = Collectivite.objects.get(kind="commune", code="94034")
    expect(page.locator("#id_collectivite")).to_have_value(str(fresnes.pk))
    expect(combobox).to_have_value("Fresnes (Val-de-Marne)")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(combobox).to_be_focused()
    assert urlparse(page.url).path == "/demande/"  # Enter chose; it did not submit

    # 4. Contact, needs, rhythm, context, a slot, consent; then Enter on the button.
    type_into(page, page.locator("#id_first_name"), "Camille")
    type_into(page, page.locator("#id_last_name"), "Martin")
    type_into(page, page.locator("#id_function"), "Adjointe au maire")
    tab_to(page, elected)
    page.keyboard.press("Space")
    expect(elected).to_be_checked()
    type_into(page, page.locator("#id_email"), EMAIL)
    type_into(page, page.locator("#id_phone"), "01 23 45 67 89")
    funding = form.get_by_role("checkbox", name="Les pistes de financement")
    tab_to(page, funding)
    page.keyboard.press("Space")
    expect(funding).to_be_checked()
    one_off = form.get_by_role("radio", name="Un échange ponctuel")
    regular = form.get_by_role("radio", name=re.compile("^Un accompagnement régulier"))
    tab_to(page, one_off)
    page.keyboard.press("ArrowDown")  # arrows move the choice within a radio group
    expect(regular).to_be_checked()
    expect(regular).to_be_focused()
    type_into(
        page,
        page.locator("#id_context"),
        "Nous voulons associer les habitants au projet de renouvellement du centre-ville.",
    )
    choose_slot = form.get_by_role("radio", name="Je choisis un créneau")
    tab_to(page, choose_slot)
    page.keyboard.press("Space")
    expect(choose_slot).to_be_checked()
    chosen = choose_in_select(page, page.locator("#id_slot"))
    consent = page.locator("#id_consent")
    tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    axe_check(page, "6-form-filled")
    tab_to(page, submit)
    press_and_wait_for_navigation(page)

    # 5. The confirmation, the acknowledgement with its invitation, the status link.
    assert urlparse(page.url).path == "/demande/merci/"
    heading = page.locator("main .fr-alert--success .fr-alert__title")
    expect(heading).to_have_text(REFERENCE)
    reference = REFERENCE.search(heading.inner_text()).group()
    axe_check(page, "7-confirmation")

    request = IntakeRequest.objects.get(reference=reference)
    assert request.collectivite == fresnes
    assert request.email == EMAIL
    appointment = request.appointments.get(status="booked")
    assert appointment.starts_at == datetime.datetime.fromisoformat(chosen)

    assert len(mail.outbox) == 2  # the acknowledgement and the team's notification
    acknowledgements = [message for message in mail.outbox if message.to == [EMAIL]]
    assert len(acknowledgements) == 1
    acknowledgement = acknowledgements[0]
    assert reference in acknowledgement.subject + acknowledgement.body
    calendar, method = invitation(acknowledgement)
    assert method == "REQUEST"
    assert "METHOD:REQUEST" in calendar
    assert "SEQUENCE:0" in calendar
    status_link = page.get_by_role("link", name="Suivre ma demande")
    status_path = urlparse(status_link.get_attribute("href")).path
    assert re.fullmatch(r"/suivi/[^/]+/", status_path)
    # The acknowledgement carries a link of its own, which opens the same request.
    emailed = re.search(r"/suivi/([\w-]+)/", acknowledgement.body)[1]
    assert emailed != status_path.split("/")[2]
    assert IntakeRequest.objects.with_token(emailed).get() == request

    tab_to(page, status_link)
    press_and_wait_for_navigation(page)
    assert urlparse(page.url).path == status_path
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(main).to_contain_text(f"{slot_label(appointment.starts_at)} à ")
    ics_link = main.get_by_role("link", name=re.compile(r"\(fichier \.ics\)"))
    ics = page.request.get(intake_server.url + ics_link.get_attribute("href"))
    assert ics.ok
    assert ics.headers["content-type"].startswith("text/calendar")
    assert reference in ics.text()
    axe_check(page, "8-status")

    # 6. Move the appointment to another slot, then cancel it.
    sent = len(mail.outbox)
    new_slot = choose_in_select(page, page.locator("#id_slot-slot"))
    assert new_slot != chosen
    tab_to(page, page.get_by_role("button", name="Déplacer le rendez-vous"), limit=5)
    press_and_wait_for_navigation(page)
    assert urlparse(page.url).path == status_path
    expect(main.get_by_role("status")).to_contain_text("Votre rendez-vous est enregistré")
    appointment.refresh_from_db()
    assert appointment.status == "booked"
    assert appointment.starts_at == datetime.datetime.fromisoformat(new_slot)
    expect(main).to_contain_text(f"{slot_label(appointment.starts_at)} à ")
    expect(page.locator(f'#id_slot-slot option[value="{chosen}"]')).to_have_count(1)  # freed
    [update] = [message for message in mail.outbox[sent:] if message.to == [EMAIL]]
    assert update.to == [EMAIL]
    calendar, method = invitation(update)
    assert "SEQUENCE:1" in calendar
    assert method == "REQUEST" and "METHOD:REQUEST" in calendar
    axe_check(page, "9-status-rescheduled")

    sent = len(mail.outbox)
    confirm = page.locator("#id_cancel-confirm")
    tab_to(page, confirm)
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Annuler le rendez-vous"), limit=5)
    press_and_wait_for_navigation(page)
    expect(main.get_by_role("status")).to_contain_text("Votre rendez-vous est annulé")
    expect(main).to_contain_text("Aucun rendez-vous n'est fixé.")
    expect(main.get_by_role("button", name="Annuler le rendez-vous")).to_have_count(0)
    expect(main.get_by_role("button", name="Prendre rendez-vous")).to_be_visible()
    assert not request.appointments.filter(status="booked").exists()
    expect(page.locator(f'#id_slot-slot option[value="{new_slot}"]')).to_have_count(1)  # freed
    [cancellation] = [message for message in mail.outbox[sent:] if message.to == [EMAIL]]
    assert cancellation.to == [EMAIL]
    calendar, method = invitation(cancellation)
    assert method == "CANCEL" and "METHOD:CANCEL" in calendar
    assert "STATUS:CANCELLED" in calendar
    axe_check(page, "10-status-cancelled")


def test_lost_link_page_by_keyboard(demo_server, page, axe_check):
    open_page(page, demo_server.url + "/suivi/")
    axe_check(page, "lost-link")
    email = page.get_by_role("textbox", name=re.compile("^Adresse électronique"))
    type_into(page, email, EMAIL)
    tab_to(page, page.get_by_role("button", name="Recevoir un nouveau lien"), limit=5)
    press_and_wait_for_navigation(page)
    expect(page.locator("main").get_by_role("status")).to_contain_text(
        "Si une demande en cours correspond à cette adresse"
    )
    assert mail.outbox == []  # no request: the same answer, and nothing sent
    axe_check(page, "lost-link-sent")


def test_the_chosen_collectivite_survives_a_return_to_the_form(intake_server, page):
    open_page(page, intake_server.url + "/demande/")
    combobox = page.get_by_role("combobox", name="Votre collectivité")
    combobox.fill("Fresnse")
    listbox = page.get_by_role("listbox", name="Votre collectivité")
    expect(listbox).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    fresnes = Collectivite.objects.get(kind="commune", code="94034")
    expect(page.locator("#id_collectivite")).to_have_value(str(fresnes.pk))
    page.locator("#id_first_name").fill("Camille")

    # Away to the privacy notice, then Back: the choice is there again, with its id.
    open_page(page, intake_server.url + "/")
    page.go_back()
    page.wait_for_selector('html[data-fr-js="true"]', state="attached")
    expect(combobox).to_have_value("Fresnes (Val-de-Marne)")
    expect(page.locator("#id_collectivite")).to_have_value(str(fresnes.pk))

    # Typing again drops it; a new visit to the form starts empty.
    combobox.fill("Pamiers")
    expect(page.locator("#id_collectivite")).to_have_value("")
    open_page(page, intake_server.url + "/demande/")
    expect(combobox).to_have_value("")
    expect(page.locator("#id_collectivite")).to_have_value("")
