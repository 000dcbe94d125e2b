"""The queue at 1280 px as a team member reads it: every column fits without a horizontal
scroll, a search and its filters are saved as a link, then deleted; axe on each screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Appointment, Collectivite, Label, SavedQueueFilter
from tests import factories
from tests.browser.admin import sign_in
from tests.intake.factories import intake_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The widths of the table and of its scrolling container, and of the page.
WIDTHS = """() => {
  const table = document.querySelector("table.listing");
  const root = document.documentElement;
  return {
    table: table.scrollWidth,
    container: table.parentElement.clientWidth,
    page: root.scrollWidth,
    viewport: root.clientWidth,
  };
}"""


@pytest.fixture
def busy_queue(demo_server):
    """Requests with the longest things a row shows: names, labels, status, appointment."""
    member = factories.user_in_group(
        "Équipe", "camille.agent", first_name="Camille-Dominique", last_name="Agent-Lefèvre"
    )
    epci = Collectivite.objects.create(
        kind="epci",
        code="200066793",
        name="CC du Pays de Pontchâteau Saint-Gildas-des-Bois et de la Brière",
        departement_code="44",
        departement_name="Loire-Atlantique",
    )
    labels = [
        Label.objects.create(name=name, colour=colour)
        for name, colour in (
            ("Financement", "green"),
            ("Élus à relancer", "orange"),
            ("Outre-mer", "blue"),
        )
    ]
    start = timezone.now() + timedelta(days=2)
    for number in range(1, 13):
        request = intake_request(
            reference=f"TE-2026-{number:05d}",
            collectivite=epci if number % 2 else None,
            collectivite_name="Syndicat intercommunal à vocation multiple du Lautrécois",
            collectivite_kind="epci",
            collectivite_departement="81",
            status="awaiting_applicant" if number % 3 else "submitted",
            assignee=member if number % 3 else None,
            first_exchange="call_back" if number % 4 else "slot",
        )
        request.labels.set(labels)
        Appointment.objects.create(
            request=request, starts_at=start, ends_at=start + timedelta(minutes=30), seat=number
        )
    return demo_server, member


def test_the_queue_fits_at_1280_px_and_saves_its_filters(busy_queue, page, axe_check):
    server, member = busy_queue
    assert page.viewport_size["width"] == 1280
    sign_in(page, server.url, member)
    page.goto(f"{server.url}/admin/demandes/?vue=toutes&premier_echange=call_back")
    expect(page.locator("table.listing tbody tr")).to_have_count(9)
    axe_check(page, "1-queue-1280")
    widths = page.evaluate(WIDTHS)
    assert widths["table"] <= widths["container"], widths
    assert widths["page"] <= widths["viewport"], widths

    page.get_by_label("Enregistrer la recherche et les filtres sous le nom").fill("Mes rappels")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer", exact=True).click()
    saved = SavedQueueFilter.objects.get()
    assert (saved.user, saved.querystring) == (member, "vue=toutes&premier_echange=call_back")
    expect(page.locator(".messages")).to_contain_text("Filtre « Mes rappels » enregistré.")
    page.goto(f"{server.url}/admin/demandes/")
    with page.expect_navigation():
        page.get_by_role("link", name="Mes rappels").click()
    expect(page.locator("table.listing tbody tr")).to_have_count(9)
    axe_check(page, "2-saved-filter")

    with page.expect_navigation():
        page.get_by_role("button", name="Supprimer le filtre Mes rappels").click()
    expect(page.locator(".messages")).to_contain_text("Filtre « Mes rappels » supprimé.")
    assert not SavedQueueFilter.objects.exists()
