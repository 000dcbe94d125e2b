"""The public site can be used with the keyboard alone: no test here clicks anything."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from home.models import TestimonialPage
from tests.browser.keyboard import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 800}
NAV_LABELS = ["Accueil", "La cellule de conseil et d'orientation", "Témoignages"]
OPENED = re.compile(r"\bfr-modal--opened\b")


def open_page(page, url):
    """Load `url` and wait until DSFR's JavaScript has started (modals, theme switcher)."""
    page.goto(url)
    page.wait_for_selector('html[data-fr-js="true"]', state="attached")


def wait_for_focus_inside(page, selector):
    page.wait_for_function(
        "selector => document.querySelector(selector).contains(document.activeElement)",
        arg=selector,
        timeout=5000,
    )


def test_skip_link_moves_focus_to_main_content(demo_server, page, screenshot):
    page.goto(demo_server.url + "/la-cellule/")
    page.keyboard.press("Tab")
    skip_link = page.locator(".fr-skiplinks").get_by_role("link", name="Contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # DSFR only shows the skip links while focused
    screenshot(page, "keyboard-skip-link")

    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "contenu"
    assert page.url.endswith("/la-cellule/#contenu")
    # The next Tab goes on from the main content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('contenu').contains(document.activeElement)")


def test_main_navigation_in_order_and_current_page(demo_server, page, screenshot):
    page.set_viewport_size(DESKTOP)
    open_page(page, demo_server.url + "/la-cellule/")
    nav = page.locator("#navigation")
    links = [nav.get_by_role("link", name=label, exact=True) for label in NAV_LABELS]
    tab_to(page, links[0])
    for link in links[1:]:
        page.keyboard.press("Tab")
        expect(link).to_be_focused()
    expect(links[-1]).not_to_have_attribute("aria-current", "page")
    screenshot(page, "keyboard-nav-focus")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path == "/temoignages/"
    expect(links[-1]).to_have_attribute("aria-current", "page")
    for link in links[:-1]:
        expect(link).not_to_have_attribute("aria-current", "page")
    screenshot(page, "keyboard-nav-temoignages")


def test_display_settings_dialog(demo_server, page, screenshot):
    page.emulate_media(color_scheme="light")
    open_page(page, demo_server.url + "/la-cellule/")
    html = page.locator("html")
    expect(html).to_have_attribute("data-fr-theme", "light")
    button = page.locator(".fr-header__tools-links").get_by_role(
        "button", name="Paramètres d'affichage"
    )
    dialog = page.locator("dialog#fr-theme-modal")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_class(OPENED)
    assert dialog.evaluate("dialog => dialog.open")
    wait_for_focus_inside(page, "#fr-theme-modal")

    # Tab lands on the checked radio of the group; arrow keys move the choice.
    tab_to(page, dialog.locator("input[name='fr-radios-theme']:checked"), limit=5)
    dark = dialog.locator("input[name='fr-radios-theme'][value='dark']")
    for _ in range(3):
        if dark.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(dark).to_be_focused()
    expect(dark).to_be_checked()
    expect(html).to_have_attribute("data-fr-theme", "dark")
    assert page.evaluate('document.documentElement.getAttribute("data-fr-theme")') == "dark"
    screenshot(page, "keyboard-display-settings-dark")

    # DSFR ignores Escape while a form field (our radio) has the focus, so that Escape in a
    # field does not close the modal: step back to the "Fermer" button first.
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Fermer")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert not dialog.evaluate("dialog => dialog.open")
    expect(button).to_be_focused()
    expect(html).to_have_attribute("data-fr-theme", "dark")


def test_mobile_menu(demo_server, page, screenshot):
    page.set_viewport_size(MOBILE)
    open_page(page, demo_server.url + "/la-cellule/")
    burger = page.locator("#button-menu")
    menu = page.locator("#modal-menu")
    expect(menu).to_be_hidden()
    tab_to(page, burger)
    expect(burger).to_have_accessible_name("Menu")

    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(menu).to_have_class(OPENED)
    wait_for_focus_inside(page, "#modal-menu")
    for label in NAV_LABELS:
        tab_to(page, menu.get_by_role("link", name=label, exact=True), limit=5)
    screenshot(page, "keyboard-mobile-menu")
    # The focus stays trapped in the open menu.
    page.keyboard.press("Tab")
    assert menu.evaluate("menu => menu.contains(document.activeElement)")

    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(burger).to_be_focused()


def test_testimonial_theme_filter(demo_server, page, screenshot):
    theme = "gestion-des-risques"
    open_page(page, demo_server.url + "/temoignages/")
    select = page.locator("#filter-theme")
    tab_to(page, select)
    for _ in range(select.locator("option").count()):
        if select.input_value() == theme:
            break
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(theme)
    tab_to(page, page.get_by_role("button", name="Filtrer"), limit=3)
    screenshot(page, "keyboard-filter-choice")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlparse(page.url).query)["thematique"] == [theme]
    expect(page.locator("#filter-theme")).to_have_value(theme)
    testimonials = TestimonialPage.objects.live()
    expected = sorted(
        testimonials.filter(themes__slug=theme).values_list("collectivite_name", flat=True)
    )
    assert 0 < len(expected) < testimonials.count()  # the filter really narrows the list
    titles = page.locator("main .fr-card__title").all_inner_texts()
    assert sorted(title.strip() for title in titles) == expected
    screenshot(page, "keyboard-filter-result")
