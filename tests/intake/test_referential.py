"""The referential of collectivités: normalisation, search, no-JavaScript matching, the JSON
endpoint behind the combobox, and the load command, on the real data file."""

import ast
import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

import intake.models.collectivite
import intake.text
from intake.management.commands.build_collectivites_data import COLUMNS, DATA_FILE
from intake.models import Collectivite, CollectiviteKind
from intake.referential import resolve_collectivite, search_collectivites
from intake.text import normalise

URL = "/demande/collectivites/"
FRESNES_94 = "94034"
PARIS = "75056"
CC_TARN_AGOUT = "200034023"
METROPOLE_GRAND_PARIS = "200054781"


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker):
    """The whole data file loaded once for the module (committed, removed at the end);
    the command's output of that first load into an empty table."""
    output = StringIO()
    with django_db_blocker.unblock():
        call_command("load_collectivites", stdout=output)
    yield output.getvalue()
    # One statement: the ORM's delete would collect 36,000 rows and their relations first.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Collectivite._meta.db_table}")


@pytest.fixture
def referential(first_load, db):
    return first_load


def data_rows():
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as archive:
        payload = json.load(archive)
    return [dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]]


def codes(results):
    return [(collectivite.kind, collectivite.code) for collectivite in results]


def match_category(collectivite, name):
    """The ranking the search promises, computed in Python."""
    if collectivite.search_name == name:
        return 0
    if collectivite.search_name.startswith(name):
        return 1
    if f" {name}" in collectivite.search_name:
        return 2
    return 3


def imported_modules(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


# Normalisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fresnes", "fresnes"),
        ("Saint-Maur-des-Fossés", "saint maur des fosses"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("L’Île-d’Yeu", "l ile d yeu"),
        ("  ÉPINAY--sur   SEINE ", "epinay sur seine"),
        ("St-Ouen-sur-Seine", "saint ouen sur seine"),
        ("Ste Foy lès Lyon", "sainte foy les lyon"),
        ("Bœurs-en-Othe", "boeurs en othe"),
        ("CA de l'Albigeois (C2A)", "ca de l albigeois c2a"),
        ("Nouvelle-Calédonie", "nouvelle caledonie"),
        ("stade", "stade"),
        ("", ""),
        ("!?;", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_the_text_module_imports_nothing_from_the_project():
    assert imported_modules(intake.text) == {"re", "unicodedata"}


def test_the_model_does_not_import_the_search():
    imported = imported_modules(intake.models.collectivite)
    assert "..text" in imported
    assert not [name for name in imported if "referential" in name]


def test_saving_a_collectivite_sets_its_search_name(db):
    collectivite = Collectivite.objects.create(
        kind=CollectiviteKind.COMMUNE, code="99999", name="Saint-Étienne-du-Grès"
    )
    assert collectivite.search_name == "saint etienne du gres"
    collectivite.name = "Sainte-Œuvre"
    collectivite.save(update_fields=["name"])
    collectivite.refresh_from_db()
    assert collectivite.search_name == "sainte oeuvre"


# Search, on the full referential


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("fresnes 94", (CollectiviteKind.COMMUNE, FRESNES_94)),
        ("tarn agout", (CollectiviteKind.EPCI, CC_TARN_AGOUT)),
        ("nouvelle caledonie", (CollectiviteKind.OUTRE_MER, "988")),
        ("paris", (CollectiviteKind.COMMUNE, PARIS)),
    ],
)
def test_required_examples_come_first(referential, query, first):
    assert codes(search_collectivites(query))[0] == first


@pytest.mark.parametrize(
    "query",
    ["FRESNES 94", "Fresnés 94", "  fresnes   94 ", "Fresnes (94)", "Fresnes (Val-de-Marne)"],
)
def test_search_ignores_case_accents_and_spacing(referential, query):
    assert codes(search_collectivites(query))[0] == (CollectiviteKind.COMMUNE, FRESNES_94)


@pytest.mark.parametrize(
    ("query", "first_name"),
    [
        ("saint maur des fosses", "Saint-Maur-des-Fossés"),
        ("st maur des fosses", "Saint-Maur-des-Fossés"),
        ("l hay les roses", "L'Haÿ-les-Roses"),
        ("Nouvelle-Calédonie", "Nouvelle-Calédonie"),
        ("bordeaux metropole", "Bordeaux Métropole"),
        ("val de marne", "Val-de-Marne"),
        ("ile de france", "Île-de-France"),
        ("altitude 800", "CC Altitude 800"),
    ],
)
def test_search_finds_names_however_typed(referential, query, first_name):
    assert search_collectivites(query)[0].name == first_name


def test_every_word_must_match(referential):
    results = search_collectivites("saint denis reunion")
    assert results == []
    for collectivite in search_collectivites("saint maur"):
        assert "saint" in collectivite.search_name
        assert "maur" in collectivite.search_name


def test_a_departement_code_filters_on_the_departement(referential):
    results = search_collectivites("fresnes 94")
    assert results
    assert {collectivite.departement_code for collectivite in results} == {"94"}

    reunion = search_collectivites("saint denis 974")
    assert reunion[0].name == "Saint-Denis"
    assert {collectivite.departement_code for collectivite in reunion} == {"974"}


def test_twenty_stands_for_both_corsican_departements(referential):
    results = search_collectivites("ajaccio 20")
    assert codes(results)[0] == (CollectiviteKind.COMMUNE, "2A004")
    assert {c.departement_code for c in search_collectivites("20")} <= {"2A", "2B"}


def test_a_departement_code_alone_lists_the_departement_first(referential):
    assert codes(search_collectivites("94"))[0] == (CollectiviteKind.DEPARTEMENT, "94")


@pytest.mark.parametrize("query", ["fresnes", "saint denis", "ville", "tarn", "lyon", "marne"])
def test_ranking_then_population(referential, query):
    """Exact name, then names starting with the query, then the query starting a later
    word, then the rest; within each group, the larger population first."""
    results = search_collectivites(query, limit=30)
    name = normalise(query)
    keys = [
        (match_category(collectivite, name), -(collectivite.population or 0))
        for collectivite in results
    ]
    assert keys == sorted(keys)
    assert len(results) > 5


def test_homonyms_are_ordered_by_population(referential):
    fresnes = [c for c in search_collectivites("fresnes") if c.search_name == "fresnes"]
    assert [c.code for c in fresnes] == [FRESNES_94, "41094", "21287", "89183"]


def test_equal_population_puts_the_commune_first(referential):
    commune, departement = search_collectivites("paris")[:2]
    assert commune.population == departement.population
    assert (commune.kind, departement.kind) == (CollectiviteKind.COMMUNE, "departement")


def test_search_limit_and_empty_queries(referential):
    assert len(search_collectivites("saint", limit=5)) == 5
    assert search_collectivites("") == []
    assert search_collectivites(" -' ") == []
    assert search_collectivites("zzzqqq") == []


def test_search_is_one_query(referential, django_assert_num_queries):
    with django_assert_num_queries(1):
        search_collectivites("fresnes 94")


# Matching without JavaScript


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Fresnes (Val-de-Marne)", FRESNES_94),
        ("fresnes 94", FRESNES_94),
        ("tarn agout", CC_TARN_AGOUT),
        ("Nouvelle-Calédonie", "988"),
        ("Saint-Maur-des-Fossés", "94068"),
        ("CA de l'Albigeois (C2A)", "248100737"),
    ],
)
def test_resolve_a_single_match(referential, text, code):
    match, candidates = resolve_collectivite(text)
    assert match.code == code
    assert candidates == []


def test_resolve_ambiguous_text_offers_candidates(referential):
    match, candidates = resolve_collectivite("fresnes")
    assert match is None
    assert 2 <= len(candidates) <= 8
    assert codes(candidates)[0] == (CollectiviteKind.COMMUNE, FRESNES_94)
    assert all("fresnes" in candidate.search_name for candidate in candidates)


def test_resolve_nothing(referential):
    assert resolve_collectivite("Zzzqqq-sur-Mer") == (None, [])
    assert resolve_collectivite("") == (None, [])


# The JSON endpoint


def test_endpoint_answers_the_combobox(client, referential):
    response = client.get(URL, {"q": "fresnes 94"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    results = response.json()["results"]
    fresnes = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code=FRESNES_94)
    assert results[0] == {
        "id": fresnes.pk,
        "label": "Fresnes (Val-de-Marne)",
        "kind": "commune",
        "kind_label": "Commune",
        "departement": "Val-de-Marne",
    }


def test_endpoint_gives_at_most_ten_results(client, referential):
    assert len(client.get(URL, {"q": "saint"}).json()["results"]) == 10


@pytest.mark.parametrize("query", ["", "f", "é", " a ", "--"])
def test_endpoint_needs_two_characters(client, referential, query):
    assert client.get(URL, {"q": query}).json() == {"results": []}


def test_endpoint_caps_the_query_length(client, referential):
    response = client.get(URL, {"q": "fresnes " + "x" * 5000})
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.parametrize(
    "query",
    ["\x00fresnes\x00", "%", "_%_", "fresnes' OR 1=1 --", "🏛️ mairie", "((( 94", "\ufffd", "9" * 50],
)
def test_endpoint_survives_odd_input(client, referential, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_endpoint_survives_undecodable_bytes_and_missing_parameter(client, referential):
    assert client.get(URL + "?q=%ff%fe%00").status_code == 200
    assert client.get(URL).json() == {"results": []}


def test_endpoint_is_get_only(client, referential):
    assert client.post(URL, {"q": "fresnes"}).status_code == 405


# The load command


def test_first_load_shows_progress_per_kind(referential):
    rows = data_rows()
    assert f"{len(rows)} collectivités dans le fichier" in referential
    communes = sum(1 for row in rows if row["kind"] == CollectiviteKind.COMMUNE)
    assert f"Commune : {communes} — {communes} créée(s)" in referential
    for kind in CollectiviteKind:
        assert f"{kind.label} : " in referential
    assert f"{len(rows)} créée(s), 0 mise(s) à jour" in referential


def test_load_holds_the_whole_file(referential):
    rows = data_rows()
    assert Collectivite.objects.count() == len(rows)
    for kind in CollectiviteKind:
        expected = sum(1 for row in rows if row["kind"] == kind)
        assert Collectivite.objects.filter(kind=kind).count() == expected
        assert expected > 0


def test_loaded_rows_carry_the_referential(referential):
    fresnes = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code=FRESNES_94)
    assert fresnes.name == "Fresnes"
    assert fresnes.search_name == "fresnes"
    assert fresnes.siren == "219400348"
    assert (fresnes.departement_code, fresnes.departement_name) == ("94", "Val-de-Marne")
    assert fresnes.region_code == "11"
    assert fresnes.population > 20000
    assert fresnes.epci.code == METROPOLE_GRAND_PARIS
    assert fresnes.epci.kind == CollectiviteKind.EPCI

    tarn_agout = Collectivite.objects.get(kind=CollectiviteKind.EPCI, code=CC_TARN_AGOUT)
    assert tarn_agout.siren == CC_TARN_AGOUT
    assert tarn_agout.departement_code == "81"
    assert tarn_agout.members.count() > 10

    caledonie = Collectivite.objects.get(kind=CollectiviteKind.OUTRE_MER, code="988")
    assert caledonie.name == "Nouvelle-Calédonie"
    assert Collectivite.objects.filter(kind="commune", departement_code="988").count() == 33
    assert not Collectivite.objects.filter(kind="departement", code="988").exists()


def test_second_load_changes_nothing(referential):
    count = Collectivite.objects.count()
    output = StringIO()
    call_command("load_collectivites", stdout=output)
    assert Collectivite.objects.count() == count
    assert "rien n'a changé" in output.getvalue()
    assert "0 créée(s), 0 mise(s) à jour" in output.getvalue()


def test_load_updates_changes_and_keeps_rows_gone_from_the_file(referential, tmp_path):
    fresnes = next(row for row in data_rows() if row["code"] == FRESNES_94)
    fresnes["population"] += 1
    data_file = tmp_path / "collectivites.json.gz"
    with gzip.open(data_file, "wt", encoding="utf-8") as archive:
        json.dump({"columns": COLUMNS, "rows": [[fresnes[c] for c in COLUMNS]]}, archive)
    count = Collectivite.objects.count()

    output = StringIO()
    call_command("load_collectivites", file=data_file, stdout=output)

    assert Collectivite.objects.count() == count
    assert "0 créée(s), 1 mise(s) à jour" in output.getvalue()
    assert f"{count - 1} collectivité(s) de la base absente(s) du fichier" in output.getvalue()
    updated = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code=FRESNES_94)
    assert updated.population == fresnes["population"]
    assert updated.departement_name == "Val-de-Marne"
    assert updated.epci.code == METROPOLE_GRAND_PARIS


def test_load_refuses_an_unreadable_file(db, tmp_path):
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(CommandError, match="illisible"):
        call_command("load_collectivites", file=broken, stdout=StringIO())
