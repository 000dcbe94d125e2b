"""The reports' charts and map in Chromium, on the test-only page of tests/report_urls.py:
no axe violation in either theme, nothing refused by the CSP (the `page` fixture), and a
département reached with Tab shows its name and figure on the map."""

import pytest
from playwright.sync_api import expect

from tests.browser.keyboard import tab_to
from tests.report_urls import FIGURES_URL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def figures_url(live_server, settings):
    settings.ROOT_URLCONF = "tests.report_urls"
    return live_server.url + FIGURES_URL


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_figures_have_no_axe_violations(figures_url, page, axe_check, scheme):
    page.emulate_media(color_scheme=scheme)
    response = page.goto(figures_url)
    assert response.status == 200
    expect(page.locator("svg.report-chart")).to_have_count(2)
    axe_check(page, scheme)


def test_a_departement_reached_with_tab_shows_its_figures(figures_url, page, screenshot):
    page.goto(figures_url)
    map_figure = page.locator("figure.report-map")
    paris = map_figure.locator('a.report-map__area[href$="-75"]')
    seine_maritime = map_figure.locator('a.report-map__area[href$="-76"]')
    assert paris.get_attribute("aria-label") == "Paris (75), Demandes : 1\N{NO-BREAK SPACE}234"
    info = paris.locator(".report-map__info")
    expect(info).to_be_hidden()

    tab_to(page, paris, limit=150)
    expect(info).to_be_visible()
    expect(info).to_contain_text("Paris (75)")
    expect(info).to_contain_text("Demandes : 1\N{NO-BREAK SPACE}234")
    screenshot(page, "report-figures-map-focus")

    page.keyboard.press("Tab")
    expect(seine_maritime).to_be_focused()
    expect(info).to_be_hidden()
    expect(seine_maritime.locator(".report-map__info")).to_contain_text("Seine-Maritime (76)")
    expect(seine_maritime.locator(".report-map__info")).to_contain_text("Demandes : 0")

    # Enter follows the link to the département's row of the data table.
    page.keyboard.press("Enter")
    row = map_figure.locator("tr:target")
    expect(row).to_contain_text("Seine-Maritime (76)")


def test_the_statistics_map_shows_a_departement_reached_with_tab(demo_server, page, axe_check):
    """/statistiques/ (in every public page's axe pass too): the map's départements under 5
    requests read "< 5" when the keyboard reaches them."""
    page.goto(demo_server.url + "/statistiques/")
    ain = page.locator('figure.report-map a.report-map__area[href$="-01"]')
    info = ain.locator(".report-map__info")
    expect(info).to_be_hidden()
    tab_to(page, ain, limit=200)
    expect(info).to_be_visible()
    expect(info).to_contain_text("Ain (01)")
    expect(info).to_contain_text("Demandes : < 5")
    axe_check(page, "statistics-map-focus")
