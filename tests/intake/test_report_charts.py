"""The reports' SVG charts and map of France, as the report tags render them: accessible names,
one bar or one département per figure, the data table equal to the input, suppressed figures
shown as "< 5", the map's classes, and valid HTML in the public site's layout."""

import pytest
from bs4 import BeautifulSoup
from django.template import engines

from intake.reports import charts
from intake.reports.charts import SUPPRESSED, Suppressed, bar_chart, format_value
from intake.reports.france_map import france_map, geography
from tests.html_validity import assert_valid_html, vnu_command
from tests.report_urls import DEPARTEMENTS, FIGURES_URL, KINDS, MONTHS

NBSP = "\N{NO-BREAK SPACE}"
OVERSEAS = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion"}


def render(source, **context):
    template = engines["django"].from_string("{% load report_tags %}" + source)
    return BeautifulSoup(template.render(context), "html.parser")


def table_rows(figure):
    return [(row.th.get_text(), row.td.get_text()) for row in figure.select("table tbody tr")]


def assert_named_by_title_and_desc(svg, title, description):
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find("title")["id"] == title_id
    assert svg.find("title").get_text() == title
    assert svg.find("desc")["id"] == desc_id
    assert svg.find("desc").get_text() == description


def test_a_vertical_chart_draws_one_labelled_bar_per_month_and_its_table():
    html = render(
        '{% bar_chart "Demandes par mois" "Une par mois." months label_header="Mois" '
        'value_header="Demandes" %}',
        months=MONTHS,
    )
    figure = html.find("figure")
    svg = figure.find("svg")
    assert svg["role"] == "img"
    assert_named_by_title_and_desc(svg, "Demandes par mois", "Une par mois.")
    assert figure.figcaption.get_text() == "Demandes par mois"
    bars = svg.select("rect.report-chart__bar")
    assert len(bars) == 4
    # The axis runs to 1,500 (ticks of 500) over 220 units; a suppressed figure is a stub.
    assert [bar["height"] for bar in bars] == ["1.76", "0", "4", "180.99"]
    assert [tick.get_text() for tick in svg.select(".report-chart__tick")] == [
        "0",
        "500",
        f"1{NBSP}000",
        f"1{NBSP}500",
    ]
    values = [text.get_text() for text in svg.select(".report-chart__value")]
    assert values == ["12", "0", "< 5", f"1{NBSP}234"]
    assert [text.get_text() for text in svg.select(".report-chart__label")] == [
        label for label, _ in MONTHS
    ]
    assert [text.get_text() for text in svg.select(".report-chart__axis-title")] == [
        "Demandes",
        "Mois",
    ]
    assert table_rows(figure) == [
        ("janv. 2026", "12"),
        ("févr. 2026", "0"),
        ("mars 2026", "< 5"),
        ("avr. 2026", f"1{NBSP}234"),
    ]
    assert [th.get_text() for th in figure.select("thead th")] == ["Mois", "Demandes"]
    # Only the suppressed figure is hatched, with the chart's own pattern.
    hatch = svg.find("pattern")
    assert hatch["id"] == f"{figure['id']}-hatch"
    assert [bar.get("fill") for bar in bars] == [None, None, f"url(#{hatch['id']})", None]
    assert "report-chart__bar--suppressed" in bars[2]["class"]
    assert not html.select("[style]")


def test_a_horizontal_patterned_chart_hatches_every_bar_and_keeps_long_labels():
    html = render(
        '{% bar_chart "Par type" "Les types." kinds orientation="horizontal" patterned=True %}',
        kinds=KINDS,
    )
    figure = html.find("figure")
    bars = figure.select("rect.report-chart__bar")
    assert len(bars) == 3
    assert {bar["fill"] for bar in bars} == {f"url(#{figure['id']}-hatch)"}
    assert [bar["height"] for bar in bars] == ["18", "18", "18"]
    assert bars[1]["width"] == str(charts.STUB)
    assert [bar.get_text(" ") for bar in figure.select(".report-chart__label")] == [
        "Commune de moins de 1 000 habitants",
        "EPCI",
        "Région",
    ]
    assert table_rows(figure) == [
        ("Commune de moins de 1 000 habitants", "30"),
        ("EPCI", "< 5"),
        ("Région", "7,5"),
    ]
    assert [th.get_text() for th in figure.select("thead th")] == ["Catégorie", "Valeur"]


def test_every_id_is_unique_on_a_page_of_several_figures():
    html = render(
        '{% bar_chart "Demandes" "A" months %}{% bar_chart "Demandes" "A" other %}'
        '{% bar_chart "Demandes" "A" months orientation="horizontal" %}'
        '{% france_map "Carte" "B" departements %}{% france_map "Carte" "B" other_map %}',
        months=MONTHS,
        other=MONTHS[:2],
        departements=DEPARTEMENTS,
        other_map={"81": 3},
    )
    ids = [element["id"] for element in html.select("[id]")]
    assert len(ids) == len(set(ids))
    assert len(html.select("figure")) == 5
    # …and the same on every render, for the page cache and for links to a figure.
    again = render('{% bar_chart "Demandes" "A" months %}', months=MONTHS)
    assert again.figure["id"] == html.figure["id"]
    assert render('{% bar_chart "X" "Y" m id="mon-graphique" %}', m=MONTHS).figure["id"] == (
        "mon-graphique"
    )


@pytest.mark.parametrize(
    ("value", "options", "shown"),
    [
        (1234567, {}, f"1{NBSP}234{NBSP}567"),
        (12.345, {}, "12,3"),
        (12.5, {"unit": "%"}, f"12,5{NBSP}%"),
        (3.0, {"decimals": 0}, "3"),
        (SUPPRESSED, {}, "< 5"),
        (Suppressed("< 10"), {}, "< 10"),
        ("< 5", {"unit": "%"}, "< 5"),
    ],
)
def test_figures_are_written_the_french_way(value, options, shown):
    assert format_value(value, **options) == shown


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"data": [("Janvier", None)]}, TypeError),
        ({"data": [("Janvier", True)]}, TypeError),
        ({"data": [("Janvier", 1)], "orientation": "diagonal"}, ValueError),
    ],
)
def test_a_chart_refuses_what_it_cannot_draw(options, error):
    with pytest.raises(error):
        bar_chart(title="T", description="D", **options)


def test_a_chart_of_zeros_or_of_nothing_still_has_an_axis():
    chart = bar_chart(title="T", description="D", data=[("Janvier", 0), ("Février", SUPPRESSED)])
    assert [tick.text for tick in chart.ticks] == ["0", "1"]
    assert [bar.height for bar in chart.bars] == [0, charts.STUB]
    assert bar_chart(title="T", description="D", data=[]).bars == []


def test_the_map_has_every_departement_focusable_with_its_name_and_figure():
    html = render(
        '{% france_map "Demandes par département" "Une carte." departements '
        'value_header="Demandes" %}',
        departements=DEPARTEMENTS,
    )
    figure = html.find("figure")
    svg = figure.find("svg")
    assert_named_by_title_and_desc(svg, "Demandes par département", "Une carte.")
    areas = svg.select("a.report-map__area")
    assert len(areas) == 101
    codes = [area["href"].rsplit("-", 1)[1] for area in areas]
    assert codes[:3] == ["01", "02", "03"]
    assert codes[19:22] == ["2A", "2B", "21"]
    assert codes[-5:] == ["971", "972", "973", "974", "976"]
    labels = {code: area["aria-label"] for code, area in zip(codes, areas, strict=True)}
    assert labels["75"] == f"Paris (75), Demandes : 1{NBSP}234"
    assert labels["2A"] == "Corse-du-Sud (2A), Demandes : < 5"
    assert labels["974"] == "La Réunion (974), Demandes : 0"
    assert labels["976"] == "Mayotte (976), Demandes : 0"
    # Each département links to its row of the table, whose figures are the input's.
    rows = {row["id"]: row for row in figure.select("tbody tr")}
    for area in areas:
        assert area["href"][1:] in rows
    assert len(rows) == 101
    table = dict(table_rows(figure))
    assert table["Paris (75)"] == f"1{NBSP}234"
    assert table["Tarn (81)"] == "12"
    assert table["Corse-du-Sud (2A)"] == "< 5"
    assert table["Guadeloupe (971)"] == "40"
    assert table["Haute-Corse (2B)"] == "0"
    assert table["Ain (01)"] == "0"
    assert [th.get_text() for th in figure.select("thead th")] == ["Département", "Demandes"]
    # Paris and its petite couronne are drawn twice, in the same link: on the map, and larger.
    for code in codes:
        paths = areas[codes.index(code)].find_all("path")
        assert [path.get("transform") for path in paths] == (
            [None, geography()["zoom"]["transform"]] if code in ("75", "92", "93", "94") else [None]
        ), code
        assert len({path["fill"] for path in paths}) == 1
    # What the focus shows: the name and the figure.
    info = areas[codes.index("75")].select_one(".report-map__info")
    assert [text.get_text() for text in info.select("text")] == [
        "Paris (75)",
        f"Demandes : 1{NBSP}234",
    ]
    insets = [text.get_text() for text in svg.select(".report-map__inset-name")]
    assert insets == [*OVERSEAS.values(), "Mayotte", "Paris et petite couronne"]
    assert "licence CC BY 4.0" in figure.select_one(".report-figure__attribution").get_text()
    assert not html.select("[style]")


def test_the_map_s_legend_classes_fit_the_figures():
    html = render("{% france_map 'Carte' 'Desc' departements %}", departements=DEPARTEMENTS)
    figure = html.find("figure")
    legend = [item.get_text() for item in figure.select(".report-map__class")]
    # A suppressed figure takes the lowest class; the steps are round, up to the highest.
    assert legend == ["0", "< 5", "5 à 199", "200 à 399", "400 et plus"]
    patterns = [pattern["id"] for pattern in figure.select("defs pattern")]
    assert patterns == [f"{figure['id']}-class-{index}" for index in range(5)]
    fills = {
        area["href"].rsplit("-", 1)[1]: area.find("path")["fill"]
        for area in figure.select("a.report-map__area")
    }
    expected = {"75": 4, "81": 2, "2A": 1, "971": 2, "2B": 0, "01": 0}
    assert {code: fills[code] for code in expected} == {
        code: f"url(#{figure['id']}-class-{index})" for code, index in expected.items()
    }


@pytest.mark.parametrize(
    ("values", "breaks", "legend"),
    [
        ({"81": 1234, "75": 12}, None, ["0", "1 à 199", "200 à 399", "400 à 599", "600 et plus"]),
        ({"81": 3}, None, ["0", "1", "2", "3 et plus"]),
        ({"81": 8, "75": SUPPRESSED}, None, ["0", "< 5", "5 et plus"]),
        ({"81": 8}, [1, 5, 10, 50], ["0", "1 à 4", "5 à 9", "10 à 49", "50 et plus"]),
    ],
)
def test_the_legend_s_classes(values, breaks, legend):
    drawn = france_map(title="T", description="D", values=values, breaks=breaks)
    assert [map_class.label for map_class in drawn.classes] == legend


def test_the_map_refuses_an_unknown_departement():
    with pytest.raises(ValueError, match="20, 975"):
        france_map(title="T", description="D", values={"975": 1, "20": 2, "81": 1})


def test_the_map_s_data_names_the_101_departements_by_their_insee_code():
    departements = geography()["departements"]
    assert len(departements) == 101
    assert len({item["code"] for item in departements}) == 101
    names = {item["code"]: item["name"] for item in departements}
    assert names["2A"] == "Corse-du-Sud"
    assert names["75"] == "Paris"
    assert {code: names[code] for code in OVERSEAS} == OVERSEAS
    assert [inset["code"] for inset in geography()["insets"]] == [*OVERSEAS, "976"]


@pytest.mark.django_db
def test_a_page_with_charts_and_the_map_is_valid_html(client, settings):
    vnu_command()
    settings.ROOT_URLCONF = "tests.report_urls"
    response = client.get(FIGURES_URL)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert len(html.select("figure.report-figure")) == 3
    assert html.select_one('link[href$="css/reports.css"]')
    assert_valid_html({FIGURES_URL: response.content})
