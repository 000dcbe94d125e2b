"""/statistiques/: the public figures of the twelve months before this one, the same as the
team's report for those dates, none under 5, in the footer and the site map, kept in the page
cache until the next day."""

import re
from datetime import datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from intake.models import PARIS
from intake.reports import figures
from intake.reports.periods import Period, add_months, first_of_month
from intake.reports.public import public_figures

from . import factories

pytestmark = pytest.mark.django_db

URL = "/statistiques/"


def received_on(day, count, departement="01"):
    for minutes in range(count):
        factories.intake_request(
            collectivite_departement=departement,
            collectivite_name="Bourg-Témoin",
            last_name="Dupont-Témoin",
            created_at=datetime.combine(day, time(10, minutes), tzinfo=PARIS),
        )


@pytest.fixture
def activity():
    """Seven requests of the Ain last month, two of Corse-du-Sud three months ago, and one
    this month (outside the page's twelve months)."""
    this_month = first_of_month(timezone.localdate())
    received_on(add_months(this_month, -1) + timedelta(days=2), 7)
    received_on(add_months(this_month, -3) + timedelta(days=4), 2, departement="2A")
    received_on(this_month, 1)
    return Period.past_12_months()


def cells(table):
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find("tbody").find_all("tr")
    ]


def table(soup, caption):
    return next(t for t in soup.find_all("table") if t.caption.get_text(strip=True) == caption)


def test_the_page_shows_the_report_figures_of_the_same_dates(client, activity):
    response = client.get(URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    report = figures.report(activity)
    assert [cell.value for cell in report.requests_per_month][-3:] == [2, 0, 7]
    assert report.received == 9

    months = cells(table(soup, "L'activité mois par mois"))
    assert len(months) == 12
    assert [row[1] for row in months] == ["< 5"] * 11 + ["7"]
    assert [row[0] for row in months] == [month.label for month in public_figures(activity).months]
    per_month = cells(table(soup, "Demandes reçues par mois"))
    assert [row[1] for row in per_month] == [row[1] for row in months]
    key_figures = {
        item.find(class_="fr-callout__text").get_text(strip=True): item.find(
            class_="fr-callout__title"
        ).get_text(strip=True)
        for item in soup.select("ul.fr-grid-row > li")
    }
    assert key_figures["demandes reçues"] == "9"
    assert key_figures["sessions de travail tenues"] == "< 5"

    by_departement = dict(cells(table(soup, "Demandes par département")))
    assert by_departement["Ain (01)"] == "7"
    assert by_departement["Corse-du-Sud (2A)"] == "< 5"
    assert by_departement["Paris (75)"] == "< 5"
    ain = soup.select_one('a.report-map__area[href$="-01"]')
    assert ain["aria-label"] == "Ain (01), Demandes : 7"


def test_no_cell_under_5_and_no_name(client, activity):
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    figures_shown = [cell.get_text(strip=True) for cell in soup.select("main td")]
    assert figures_shown
    for text in figures_shown:
        assert text == "< 5" or int(text.replace("\N{NO-BREAK SPACE}", "")) >= 5, text
    for value in soup.select(".report-chart__value"):
        text = value.get_text(strip=True)
        assert text == "< 5" or int(text) >= 5, text
    assert "Témoin" not in soup.get_text()


def test_the_page_is_in_the_footer_and_the_site_map(client, demo_site):
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert home.select_one('footer a[href="/statistiques/"]').get_text(strip=True) == "Statistiques"
    site_map = BeautifulSoup(client.get("/plan-du-site/").content, "html.parser")
    assert site_map.select_one('main a[href="/statistiques/"]') is not None
    assert b"/statistiques/</loc>" in client.get("/sitemap.xml").content


def test_the_page_is_cached_until_the_next_day(client, activity, django_assert_num_queries):
    first = client.get(URL)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(URL)
    assert again.content == first.content
    assert again["Cache-Control"] == first["Cache-Control"]
    midnight = datetime.combine(timezone.localdate() + timedelta(days=1), time.min, tzinfo=PARIS)
    seconds = int(re.search(r"max-age=(\d+)", first["Cache-Control"]).group(1))
    assert 0 < seconds <= (midnight - timezone.now()).total_seconds() + 1


def test_the_pacific_s_collectivites_are_counted_but_not_mapped(client):
    """Nouvelle-Calédonie (988) is no département the map draws: its requests count in the
    totals, the map leaves it out, and the page still shows."""
    noumea = factories.collectivite(
        "Nouméa", departement_code="988", departement_name="Nouvelle-Calédonie"
    )
    day = add_months(first_of_month(timezone.localdate()), -1)
    for minutes in range(6):
        factories.intake_request(
            collectivite=noumea, created_at=datetime.combine(day, time(10, minutes), tzinfo=PARIS)
        )
    response = client.get(URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert public_figures(Period.past_12_months()).departements[0].key == "988"
    assert soup.select_one('a.report-map__area[href$="-988"]') is None
    months = cells(table(soup, "L'activité mois par mois"))
    assert months[-1][1] == "6"
