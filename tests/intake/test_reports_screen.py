"""The reports screen: who reaches it, its period form and its errors, its tables, their
exports (exact CSV and XLSX) and its queries, which do not grow with the data."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.html_validity import assert_valid_html

from . import factories
from .reports_fixture import at, build

pytestmark = pytest.mark.django_db

PERIOD_QUERY = "periode=dates&du=2026-05-01&au=2026-06-30"
URL = f"/admin/rapports/?{PERIOD_QUERY}"


@pytest.fixture
def team_client(client, team_member):
    client.force_login(team_member)
    return client


def streamed(response):
    return b"".join(response.streaming_content)


def test_the_team_reads_every_figure(team_client):
    build()
    response = team_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "du 1 mai 2026 au 30 juin 2026" in html
    for title in (
        "Synthèse",
        "Demandes reçues par mois",
        "Demandes par type de collectivité",
        "Demandes par région",
        "Demandes par département",
        "Issue des demandes",
        "Partenaires vers qui les demandes ont été orientées",
        "Délais, en jours ouvrés",
        "Séances et accompagnements par mois",
        "Sujets abordés en séance",
        "Partenaires et pistes indiqués en séance",
        "Satisfaction des collectivités accompagnées",
    ):
        assert f">{title}</h2>" in html
    assert (
        '<tr><th scope="row">Jusqu&#x27;à la première décision</th><td>5</td><td>1</td>'
        "<td>7</td><td>4</td><td>80,0</td></tr>"
    ) in html
    assert '<tr><th scope="row">Taux d&#x27;absence (%)</th><td>33,3</td></tr>' in html
    assert '<tr><th scope="row">2A</th><td>Corse-du-Sud</td><td>2</td><td>33,3</td></tr>' in html
    assert f'href="/admin/rapports/export/delais/csv/?{PERIOD_QUERY.replace("&", "&amp;")}"' in html
    assert_valid_html({URL: html})


def test_the_default_period_is_the_last_12_months(team_client):
    response = team_client.get("/admin/rapports/")
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["form"].period.end.month == today.month
    assert len(response.context["exports"]) == 13


@pytest.mark.parametrize(
    ("query", "field", "error"),
    [
        ("periode=dates&du=2026-06-30&au=2026-05-01", "au", "Le dernier jour doit suivre"),
        ("periode=dates&au=2026-05-01", "du", "Indiquez le premier jour de la période."),
        ("periode=dates&du=2026-05-01", "au", "Indiquez le dernier jour de la période."),
        ("periode=dates&du=2026-13-45&au=2026-05-01", "du", "Saisissez une date valide."),
        ("periode=dates&du=2000-01-01&au=2026-05-01", "au", "dix ans au plus"),
        ("periode=annee&annee=1999", "annee", "Sélectionnez un choix valide"),
        ("periode=semaine", "periode", "Sélectionnez un choix valide"),
    ],
)
def test_a_bad_period_is_told_in_french(team_client, query, field, error):
    response = team_client.get(f"/admin/rapports/?{query}")
    assert response.status_code == 200
    form = response.context["form"]
    assert error in " ".join(form.errors[field])
    assert response.context["exports"] == []
    # What was typed stays in the form.
    if "du=2026-06-30" in query:
        assert 'value="2026-06-30"' in response.content.decode()
    # An export of a bad period goes back to the form.
    export = team_client.get(f"/admin/rapports/export/issues/csv/?{query}")
    assert export.status_code == 302
    assert export["Location"] == f"/admin/rapports/?{query}"


def test_a_calendar_year(team_client):
    build()
    response = team_client.get("/admin/rapports/?periode=annee&annee=2026")
    assert response.context["form"].period.label == "du 1 janvier 2026 au 31 décembre 2026"
    months = next(
        table for table, _links in response.context["exports"] if table.key == "demandes-par-mois"
    )
    assert [row[1] for row in months.rows] == [0, 0, 0, 1, 3, 3, 1, 0, 0, 0, 0, 0]


def test_csv_export(team_client):
    build()
    response = team_client.get(f"/admin/rapports/export/delais/csv/?{PERIOD_QUERY}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="delais_2026-05-01_2026-06-30.csv"'
    )
    assert streamed(response).decode("utf-8") == (
        "\ufeffDélai;Demandes;Médiane;90e centile;Dans le délai visé (5 jours ouvrés);"
        "Part dans le délai visé (%)\r\n"
        "Jusqu'à la première décision;5;1;7;4;80,0\r\n"
        "Jusqu'à la première séance tenue;2;7,5;10;1;50,0\r\n"
    )
    partners = team_client.get(f"/admin/rapports/export/partenaires/csv/?{PERIOD_QUERY}")
    assert streamed(partners).decode("utf-8") == (
        "\ufeffPartenaire;Séances;Part (%)\r\nBanque Y;2;66,7\r\nFondation X;1;33,3\r\n"
    )


def test_xlsx_export(team_client):
    build()
    response = team_client.get(f"/admin/rapports/export/departements/xlsx/?{PERIOD_QUERY}")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="departements_2026-05-01_2026-06-30.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.title == "Demandes par département"
    assert list(sheet.values) == [
        ("Code", "Département", "Demandes", "Part (%)"),
        ("01", "Ain", 2, 33.3),
        ("2A", "Corse-du-Sud", 2, 33.3),
        ("971", "Guadeloupe", 1, 16.7),
        (None, "Non renseigné", 1, 16.7),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D5"


def test_an_export_cell_that_looks_like_a_formula_stays_text(team_client):
    from home.models import Partner
    from intake.models import IntakeRequest

    partner = Partner.objects.create(name="=HYPERLINK(1)", kind="funder")
    factories.intake_request(status=IntakeRequest.Status.REDIRECTED, partner=partner)
    csv = team_client.get("/admin/rapports/export/orientations/csv/?periode=mois")
    assert "'=HYPERLINK(1);1;100,0" in streamed(csv).decode()
    xlsx = team_client.get("/admin/rapports/export/orientations/xlsx/?periode=mois")
    cell = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active["A2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_an_unknown_export_is_not_found(team_client):
    assert team_client.get(f"/admin/rapports/export/nope/csv/?{PERIOD_QUERY}").status_code == 404
    assert team_client.get(f"/admin/rapports/export/issues/pdf/?{PERIOD_QUERY}").status_code == 404


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_editors_and_moderators_are_refused(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for url in (URL, f"/admin/rapports/export/issues/csv/?{PERIOD_QUERY}"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/"
    assert "/admin/rapports/" not in client.get("/admin/").content.decode()


def test_the_team_and_superusers_see_the_menu_item(client, team_member, django_user_model):
    client.force_login(team_member)
    assert "/admin/rapports/" in client.get("/admin/").content.decode()
    admin = django_user_model.objects.create_superuser("root", "root@example.fr", "x")
    client.force_login(admin)
    assert "/admin/rapports/" in client.get("/admin/").content.decode()
    assert client.get(URL).status_code == 200


QUERY_BUDGET = 23


@pytest.mark.parametrize("count", [2, 20])
def test_the_page_queries_do_not_grow_with_the_data(
    team_client, count, django_assert_max_num_queries
):
    from intake.models import Appointment

    from .reports_fixture import appointment, fill_delays, log, record

    for number in range(count):
        received = at((5, 4), 9) + timedelta(minutes=number)
        intake_request = factories.intake_request(created_at=received, started_on=date(2026, 5, 6))
        log(intake_request, "ask", received + timedelta(hours=1))
        log(intake_request, "reply", received + timedelta(days=1))
        log(intake_request, "accept", received + timedelta(days=2))
        record(appointment(intake_request, received + timedelta(days=2)), ["strategy"])
        appointment(intake_request, received + timedelta(days=9), Appointment.Status.NO_SHOW)
    fill_delays()
    team_client.get(URL)  # the settings and the referential's names read once
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = team_client.get(URL)
    assert response.status_code == 200
    assert response.context["exports"][0][0].rows[1][1] == count


def test_each_figure_is_drawn_beside_its_table(team_client):
    build()
    soup = BeautifulSoup(team_client.get(URL).content, "html.parser")

    def block(key):
        return soup.find(id=f"figure-{key}").find_parent("section")

    def bars(section):
        return [text.get_text(strip=True) for text in section.select(".report-chart__value")]

    def column(section, index):
        table = section.select_one("table.listing")
        return [row.find_all(["th", "td"])[index].get_text(strip=True) for row in table.tbody("tr")]

    months = block("demandes-par-mois")
    assert months.select_one("svg.report-chart--vertical title").get_text() == (
        "Demandes reçues par mois"
    )
    assert bars(months) == column(months, 1) == ["3", "3"]
    kinds = block("types-de-collectivites")
    assert kinds.select_one("svg.report-chart--horizontal") is not None
    assert bars(kinds) == column(kinds, 1)
    regions = block("regions")
    assert bars(regions) == column(regions, 2)
    # The map draws the départements; its own table holds their figures, links' targets.
    departements = block("departements")
    ain = departements.select_one('a.report-map__area[href$="-01"]')
    assert ain["aria-label"] == "Ain (01), Demandes : 2"
    # The second map: the accompaniments under way in the period, R1 and R8 of the Ain.
    accompaniments = block("accompagnements-par-departement")
    ain = accompaniments.select_one('a.report-map__area[href$="-01"]')
    assert ain["aria-label"] == "Ain (01), Accompagnements : 2"
    # The synthesis and the delays are tables only.
    assert block("synthese").select_one("svg") is None
    assert block("delais").select_one("svg") is None


def test_a_collectivite_the_map_does_not_draw_is_in_its_table(team_client):
    """Nouvelle-Calédonie (988) is no département of the map: the table lists it alone."""
    noumea = factories.collectivite(
        "Nouméa", departement_code="988", departement_name="Nouvelle-Calédonie"
    )
    factories.intake_request(collectivite=noumea, created_at=at((5, 4)))
    response = team_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<tr><th scope="row">988</th><td>988</td><td>1</td><td>100,0</td></tr>' in html
