"""The referential of collectivités: the text the search compares, the search (kinds of body,
postcodes, territories, typos), the no-JavaScript matching, the JSON endpoint behind the
combobox, and the load command, on the real data file."""

import ast
import gzip
import json
import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

import intake.models.collectivite
import intake.text
from intake import selectors
from intake.management.commands.build_collectivites_data import (
    ALIAS_COLUMNS,
    COLUMNS,
    DATA_FILE,
)
from intake.models import Collectivite, CollectiviteAlias, CollectiviteKind, CollectiviteTrigram
from intake.referential import resolve_collectivite, search_collectivites
from intake.text import core_name, name_type_of, normalise, trigrams, with_article

from .referential_queries import FORMER_AND_SHORT_NAMES, FORMER_AND_SHORT_NAMES_TOP_5, QUERIES

URL = "/demande/collectivites/"
FRESNES_94 = "94034"
PARIS = "75056"
PAMIERS = "09225"
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
    # Plain statements: the ORM's delete would collect 500,000 rows and their relations first.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for model in (CollectiviteTrigram, CollectiviteAlias, Collectivite):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


@pytest.fixture
def referential(first_load, db):
    return first_load


def data_rows():
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as archive:
        payload = json.load(archive)
    return [dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]]


def codes(results):
    return [(collectivite.kind, collectivite.code) for collectivite in results]


def found_by(collectivite):
    """The name the search matched: the collectivité's, or its other name."""
    return collectivite.matched_alias or collectivite


def likelihood(collectivite, name, kind_alone=False):
    """The ranking the search promises, computed in Python: the population times the weight
    of how well the name, or the other name it was found by, matches. A kind word alone
    ("ville") starts a name as whole words do."""
    found = found_by(collectivite)
    alias = found is not collectivite
    core = found.search_name if alias else found.core_name
    start = name if kind_alone else f"{name} "
    if found.search_name == name and not alias:
        weight = 10_000
    elif found.search_name == name or core == name or found.search_name.startswith(start):
        weight = 1_000
    elif found.search_name.startswith(name):
        weight = 100
    elif core.startswith(name) or f" {name}" in found.search_name:
        weight = 10
    else:
        weight = 1
    return weight * ((collectivite.population or 0) + 1)


def imported_modules(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


# The text the search compares


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


@pytest.mark.parametrize(
    ("search_name", "expected"),
    [
        ("cc du pays de lunel", "pays de lunel"),
        ("cc tarn agout", "tarn agout"),
        ("ca lorient agglomeration", "lorient"),
        ("ca agglo du pays de dreux", "pays de dreux"),
        ("cc de l agglomeration migennoise", "migennoise"),
        ("cu le mans metropole", "mans"),
        ("bordeaux metropole", "bordeaux"),
        ("metropole de lyon", "lyon"),
        ("communaute de communes du thouarsais", "thouarsais"),
        ("le havre", "havre"),
        ("la reunion", "reunion"),
        ("saint denis", "saint denis"),
        ("la", "la"),
        ("metropole", "metropole"),
        ("", ""),
    ],
)
def test_core_name_leaves_out_legal_forms_and_articles(search_name, expected):
    assert core_name(search_name) == expected


@pytest.mark.parametrize(
    ("name", "name_type", "bare", "after_de", "after_a"),
    [
        ("Gers", 2, "le Gers", "du Gers", "au Gers"),
        ("Le Havre", 2, "Le Havre", "du Havre", "au Havre"),
        ("Charente", 3, "la Charente", "de la Charente", "à la Charente"),
        ("La Rochelle", 3, "La Rochelle", "de La Rochelle", "à La Rochelle"),
        (
            "Bouches-du-Rhône",
            4,
            "les Bouches-du-Rhône",
            "des Bouches-du-Rhône",
            "aux Bouches-du-Rhône",
        ),
        ("Les Ulis", 4, "Les Ulis", "des Ulis", "aux Ulis"),
        ("Ain", 5, "l'Ain", "de l'Ain", "à l'Ain"),
        ("L'Haÿ-les-Roses", 5, "L'Haÿ-les-Roses", "de L'Haÿ-les-Roses", "à L'Haÿ-les-Roses"),
        ("Aux Marais", 6, "Aux Marais", "des Marais", "aux Marais"),
        ("Los Masos", 8, "Los Masos", "de Los Masos", "à Los Masos"),
        ("Orléans", 1, "Orléans", "d'Orléans", "à Orléans"),
        ("Fresnes", 0, "Fresnes", "de Fresnes", "à Fresnes"),
        ("La Réunion", 0, "La Réunion", "de La Réunion", "à La Réunion"),
    ],
)
def test_with_article_follows_the_insee_type_of_name(name, name_type, bare, after_de, after_a):
    assert with_article(name, name_type) == bare
    assert with_article(name, name_type, "de") == after_de
    assert with_article(name, name_type, "à") == after_a


@pytest.mark.parametrize(
    ("name", "name_type"),
    [
        ("CA du Pays de Gex", 3),
        ("Métropole du Grand Paris", 3),
        ("Eurométropole de Strasbourg", 5),
        ("Bordeaux Métropole", 0),
        ("Est Ensemble", 1),
        ("Le Mans", 2),
        ("L'Isle-d'Abeau", 5),
        ("Les Abymes", 4),
        ("Syndicat mixte du Pays de Gex", 2),
        ("", 0),
    ],
)
def test_the_type_of_a_name_the_insee_does_not_give(name, name_type):
    assert name_type_of(name) == name_type


def test_trigrams_are_those_of_pg_trgm():
    assert trigrams("fresnes") == {"  f", " fr", "fre", "res", "esn", "sne", "nes", "es "}
    assert trigrams("l hay") == {"  l", " l ", "  h", " ha", "hay", "ay "}
    assert trigrams("") == set()


def test_the_text_module_imports_nothing_from_the_project():
    assert imported_modules(intake.text) == {"re", "unicodedata"}


def test_the_model_does_not_import_the_search():
    imported = imported_modules(intake.models.collectivite)
    assert "..text" in imported
    assert not [name for name in imported if "referential" in name]


# The model


def test_saving_a_collectivite_sets_its_search_text_and_trigrams(db):
    collectivite = Collectivite.objects.create(
        kind=CollectiviteKind.EPCI, code="999999999", name="CC du Pays de Saint-Étienne-du-Grès"
    )
    collectivite.refresh_from_db()
    assert collectivite.search_name == "cc du pays de saint etienne du gres"
    assert collectivite.core_name == "pays de saint etienne du gres"
    assert collectivite.trigram_count == len(trigrams(collectivite.search_name)) == 32
    stored = set(collectivite.trigrams.values_list("trigram", flat=True))
    assert stored == trigrams("pays de saint etienne du gres")

    collectivite.name = "Sainte-Œuvre"
    collectivite.save(update_fields=["name"])
    collectivite.refresh_from_db()
    assert (collectivite.search_name, collectivite.core_name) == ("sainte oeuvre", "sainte oeuvre")
    assert collectivite.trigram_count == 14
    assert set(collectivite.trigrams.values_list("trigram", flat=True)) == trigrams("sainte oeuvre")


def test_saving_other_fields_leaves_the_trigrams(db, django_assert_num_queries):
    collectivite = Collectivite.objects.create(kind="commune", code="99999", name="Fresnes")
    collectivite.population = 12
    with django_assert_num_queries(1):
        collectivite.save(update_fields=["population"])
    assert collectivite.trigrams.count() == 8


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"kind": "commune", "departement_code": "94", "departement_name": "Val-de-Marne"},
            "Commune · 94 Val-de-Marne · 29\xa0528 habitants",
        ),
        (
            {"kind": "epci", "departement_code": "81", "departement_name": "Tarn"},
            "Intercommunalité (EPCI) · 81 Tarn · 29\xa0528 habitants",
        ),
        (
            {"kind": "departement", "departement_code": "81", "departement_name": "Tarn"},
            "Département · 81 · 29\xa0528 habitants",
        ),
        (
            {"kind": "outre_mer", "departement_code": "988", "departement_name": "Nouvelle"},
            "Outre-mer · 988 · 29\xa0528 habitants",
        ),
        ({"kind": "region"}, "Région · 29\xa0528 habitants"),
        ({"kind": "commune", "population": None}, "Commune"),
        ({"kind": "commune", "population": 1}, "Commune · 1 habitant"),
        ({"kind": "commune", "population": 0}, "Commune · 0 habitants"),
    ],
)
def test_the_description_tells_homonyms_apart(fields, expected):
    assert Collectivite(name="X", **{"population": 29528, **fields}).description == expected


# Search, on the full referential


@pytest.mark.parametrize(("query", "first"), QUERIES, ids=[query for query, _ in QUERIES])
def test_real_world_queries_find_the_right_one_first(referential, query, first):
    assert codes(search_collectivites(query))[0] == first


@pytest.mark.parametrize(
    "query",
    ["FRESNES 94", "Fresnés 94", "  fresnes   94 ", "Fresnes (94)", "Fresnes (Val-de-Marne)"],
)
def test_search_ignores_case_accents_and_spacing(referential, query):
    assert codes(search_collectivites(query)) == [(CollectiviteKind.COMMUNE, FRESNES_94)]


@pytest.mark.parametrize(
    ("query", "first_name"),
    [
        ("saint maur des fosses", "Saint-Maur-des-Fossés"),
        ("st maur des fosses", "Saint-Maur-des-Fossés"),
        ("l hay les roses", "L'Haÿ-les-Roses"),
        ("bordeaux metropole", "Bordeaux Métropole"),
        ("val de marne", "Val-de-Marne"),
        ("ile de france", "Île-de-France"),
        ("seine saint denis", "Seine-Saint-Denis"),
        ("altitude 800", "CC Altitude 800"),
    ],
)
def test_search_finds_names_however_typed(referential, query, first_name):
    assert search_collectivites(query)[0].name == first_name


def test_every_word_must_match(referential):
    results = search_collectivites("saint maur", limit=30)
    assert len(results) == 30
    for collectivite in results:
        assert "saint" in found_by(collectivite).search_name
        assert "maur" in found_by(collectivite).search_name


def test_a_departement_code_filters_on_the_departement(referential):
    results = search_collectivites("fresnes 94")
    assert codes(results) == [(CollectiviteKind.COMMUNE, FRESNES_94)]

    reunion = search_collectivites("saint denis 974")
    assert reunion[0].name == "Saint-Denis"
    assert {collectivite.departement_code for collectivite in reunion} == {"974"}


def test_twenty_stands_for_both_corsican_departements(referential):
    results = search_collectivites("ajaccio 20")
    assert codes(results)[0] == (CollectiviteKind.COMMUNE, "2A004")
    assert {c.departement_code for c in search_collectivites("20")} <= {"2A", "2B"}


def test_a_departement_code_alone_lists_the_departement_first(referential):
    assert codes(search_collectivites("94"))[0] == (CollectiviteKind.DEPARTEMENT, "94")


@pytest.mark.parametrize(
    ("query", "first"), FORMER_AND_SHORT_NAMES, ids=[query for query, _ in FORMER_AND_SHORT_NAMES]
)
def test_former_and_short_names_find_the_right_one_first(referential, query, first):
    assert codes(search_collectivites(query))[0] == first


@pytest.mark.parametrize(
    ("query", "meant"),
    FORMER_AND_SHORT_NAMES_TOP_5,
    ids=[query for query, _ in FORMER_AND_SHORT_NAMES_TOP_5],
)
def test_ambiguous_former_and_short_names_find_the_right_one_in_the_top_5(
    referential, query, meant
):
    assert meant in codes(search_collectivites(query, limit=5))


def test_a_former_commune_leads_to_the_current_one_and_says_so(referential):
    valserhone, *_others = search_collectivites("Bellegarde-sur-Valserine")
    assert (valserhone.kind, valserhone.code) == (CollectiviteKind.COMMUNE, "01033")
    assert valserhone.matched_name == "Valserhône — commune déléguée : Bellegarde-sur-Valserine"
    lomme = search_collectivites("Lomme")[0]
    assert lomme.matched_name == "Lille — commune associée : Lomme"
    assert valserhone.other_names == "|bellegarde sur valserine|chatillon en michaille|lancrans|"
    lille = Collectivite.objects.get(kind=CollectiviteKind.EPCI, code="200093201")
    assert lille.short_names == "|lille metropole|mel|"
    # Its own name found, a collectivité says nothing more.
    assert search_collectivites("Valserhône")[0].matched_name == "Valserhône"


def test_a_short_name_matches_whole_only(referential):
    assert search_collectivites("MEL")[0].matched_name == (
        "Métropole Européenne de Lille — nom d'usage : MEL"
    )
    for query in ["me", "grand ly", "gps"]:
        assert all(c.matched_alias is None for c in search_collectivites(query)), query


def test_an_arrondissement_is_its_own_entry_inside_its_city(referential):
    paris_15 = Collectivite.objects.get(kind="arrondissement", code="75115")
    assert paris_15.name == "Paris 15e Arrondissement"
    assert str(paris_15) == "Paris 15e Arrondissement (Paris)"
    assert paris_15.description == "Arrondissement municipal · 75 Paris · 229\xa0713 habitants"
    assert (paris_15.commune.code, paris_15.epci.code) == (PARIS, METROPOLE_GRAND_PARIS)
    assert paris_15.postcodes == "75015"
    assert Collectivite.objects.filter(kind="arrondissement").count() == 45
    assert codes(search_collectivites("Paris XVe")) == [
        ("arrondissement", "75115"),
        (CollectiviteKind.COMMUNE, PARIS),
    ]


@pytest.mark.parametrize(
    "query", ["Paris 21e", "Lyon 10e", "Paris 15e avenue", "Marseille Lyon 3e", "15"]
)
def test_no_arrondissement_beyond_those_of_the_city(referential, query):
    assert "arrondissement" not in [c.kind for c in search_collectivites(query)[:1]]


def test_resolve_designates_an_arrondissement(referential):
    match, candidates = resolve_collectivite("Mairie du XVe arrondissement de Paris")
    assert ((match.kind, match.code), candidates) == (("arrondissement", "75115"), [])
    match, candidates = resolve_collectivite("Mairie des 13e et 14e arrondissements de Marseille")
    assert match is None
    assert codes(candidates) == [
        ("arrondissement", "13213"),
        ("arrondissement", "13214"),
        (CollectiviteKind.COMMUNE, "13055"),
    ]


def test_resolve_an_exact_village_after_a_large_city_is_no_match(referential):
    match, candidates = resolve_collectivite("Évry")
    assert match is None
    assert codes(candidates)[:2] == [
        (CollectiviteKind.COMMUNE, "91228"),
        (CollectiviteKind.COMMUNE, "89162"),
    ]


def test_the_endpoint_says_which_other_name_it_matched(client, referential):
    result = client.get(URL, {"q": "Bellegarde-sur-Valserine"}).json()["results"][0]
    valserhone = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code="01033")
    assert result["id"] == valserhone.pk
    assert result["name"] == "Valserhône — commune déléguée : Bellegarde-sur-Valserine"
    assert result["label"] == "Valserhône (Ain)"


@pytest.mark.parametrize(
    "query",
    [
        "fresnes",
        "saint denis",
        "ville",
        "tarn",
        "lyon",
        "havre",
        "villeneuve",
        "bellegarde",
        "bour",
    ],
)
def test_ranking_by_likelihood(referential, query):
    """The population times ten thousand for the exact name; a thousand for the core name, a
    name starting with the query's words or a former commune's name; a hundred for a name
    starting with the query cut inside a word; ten for a core name or a later word starting
    with it; one for the rest."""
    results = search_collectivites(query, limit=30)
    name = normalise(query)
    kind_alone = query == "ville"
    keys = [-likelihood(collectivite, name, kind_alone) for collectivite in results]
    assert keys == sorted(keys)
    assert len(results) > 1


def test_homonyms_are_ordered_by_population(referential):
    fresnes = [c for c in search_collectivites("fresnes") if c.search_name == "fresnes"]
    assert [c.code for c in fresnes] == [FRESNES_94, "41094", "21287", "89183"]


def test_equal_population_puts_the_commune_first(referential):
    commune, departement = search_collectivites("paris")[:2]
    assert commune.population == departement.population
    assert (commune.kind, departement.kind) == (CollectiviteKind.COMMUNE, "departement")


def test_a_core_name_counts_as_a_prefix(referential):
    """ "havre" is Le Havre before the urban community whose core starts with it; "saint"
    is not the village Le Saint before the large names starting with it."""
    assert [c.name for c in search_collectivites("havre")] == [
        "Le Havre",
        "CU Le Havre Seine Métropole",
    ]
    saint = search_collectivites("saint")
    assert [c.name for c in saint[:3]] == [
        "Saint-Étienne Métropole",
        "Saint-Étienne",
        "Saint-Denis",
    ]


def test_search_limit_and_empty_queries(referential):
    assert len(search_collectivites("saint", limit=5)) == 5
    assert search_collectivites("") == []
    assert search_collectivites(" -' ") == []
    assert search_collectivites("zzzqqq") == []


# Kinds of body


def test_kind_words_rank_that_kind_first(referential):
    results = search_collectivites("Conseil départemental du Tarn")
    kinds = [collectivite.kind for collectivite in results]
    assert kinds[:2] == [CollectiviteKind.DEPARTEMENT] * 2
    assert CollectiviteKind.DEPARTEMENT not in kinds[2:]
    assert [c.name for c in results[:2]] == ["Tarn", "Tarn-et-Garonne"]

    assert codes(search_collectivites("Département de Paris")[:2]) == [
        (CollectiviteKind.DEPARTEMENT, "75"),
        (CollectiviteKind.COMMUNE, PARIS),
    ]
    assert codes(search_collectivites("Ville de Paris")[:1]) == [(CollectiviteKind.COMMUNE, PARIS)]


def test_kind_words_after_a_name_belong_to_it(referential):
    assert search_collectivites("Plaine Commune")[0].kind == CollectiviteKind.EPT
    assert search_collectivites("Lorient Agglo")[0].name == "CA Lorient Agglomération"


def test_kind_words_alone_start_a_name_then_list_that_kind(referential):
    # "ca" may be the start of Calvados or Caen as much as an abbreviation.
    assert search_collectivites("ca")[0].name == "Calvados"
    assert [c.name for c in search_collectivites("mairie")] == ["Mairieux"]
    departements = search_collectivites("département")
    assert {c.kind for c in departements} == {CollectiviteKind.DEPARTEMENT}
    assert [c.name for c in departements[:3]] == ["Nord", "Paris", "Bouches-du-Rhône"]


# Postcodes


def test_a_postcode_lists_every_commune_it_covers(referential, client):
    covered = sorted(
        (row for row in data_rows() if "51300" in row["postcodes"].split()),
        key=lambda row: -row["population"],
    )
    assert len(covered) == 46
    results = search_collectivites("51300")
    assert [c.code for c in results] == [row["code"] for row in covered]
    assert len(client.get(URL, {"q": "51300"}).json()["results"]) == 46

    match, candidates = resolve_collectivite("51300")
    assert match is None
    assert len(candidates) == 46


def test_a_postcode_narrows_a_name(referential):
    results = search_collectivites("vitry 51300")
    assert [c.name for c in results] == ["Vitry-le-François", "Vitry-en-Perthois"]
    assert all("51300" in c.postcodes.split() for c in results)


@pytest.mark.parametrize("query", ["9426", "942600"])
def test_a_postcode_has_five_digits(referential, query):
    assert search_collectivites(query) == []


# A département or a région beside the name


def test_a_territory_narrows_the_search(referential):
    assert {c.departement_code for c in search_collectivites("Fresnes Val-de-Marne")} == {"94"}
    assert {c.departement_code for c in search_collectivites("Saint-Denis La Réunion")} == {"974"}
    paris = search_collectivites("Paris Île-de-France")
    assert paris
    assert {c.region_code for c in paris} == {"11"}


def test_a_territory_after_a_link_word_is_part_of_the_name(referential):
    assert codes(search_collectivites("Fresnes-sur-Marne")) == [(CollectiviteKind.COMMUNE, "77196")]
    assert codes(search_collectivites("Seine-et-Marne")) == [(CollectiviteKind.DEPARTEMENT, "77")]


def test_a_territory_that_was_part_of_the_name_after_all(referential):
    # "Villeneuve Lot": no Villeneuve in the Lot, so the Lot is part of the name.
    assert codes(search_collectivites("Villeneuve Lot"))[0] == (CollectiviteKind.COMMUNE, "47323")


# Typos


def test_typos_are_ranked_by_similarity_and_population(referential):
    """The trigrams of the core name shared with the query, over the trigrams of either
    (the whole name's), plus 0.05 per tenfold population."""
    typed = trigrams("fresnse")
    results = search_collectivites("Fresnse", limit=10)

    def score(collectivite):
        shared = len(typed & trigrams(collectivite.core_name))
        similarity = shared / (len(typed) + len(trigrams(collectivite.search_name)) - shared)
        assert similarity >= 0.3
        return similarity + 0.05 * math.log10(1 + (collectivite.population or 0))

    scores = [score(collectivite) for collectivite in results]
    assert scores == sorted(scores, reverse=True)
    assert len(results) == 10
    assert [c.name for c in results[:2]] == ["Fresnes", "Fresse"]


def test_a_typo_within_a_territory(referential):
    assert codes(search_collectivites("Pamirs Ariège")) == [(CollectiviteKind.COMMUNE, PAMIERS)]


def test_no_guess_for_short_names(referential):
    assert search_collectivites("Paw") == []


# How many queries


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("fresnes 94", 1),  # the search
        ("Fresnes Val-de-Marne", 2),  # the territories named, the search
        ("Fresnes-sur-Marne", 2),  # the territories, the search (the Marne is part of the name)
        ("Villeneuve Lot", 3),  # the territories, the search within the Lot, then without
        ("Fresnse", 4),  # the search, the trigrams, the candidates, the chosen ones
        ("zzzqqq", 2),  # the search, the trigrams that nothing shares
        ("Paris 15e", 1),  # the arrondissement and its city
        ("Bellegarde", 2),  # the search, the other names of those it found
        ("Paris", 1),  # the search: Paris's own name is exact
    ],
)
def test_search_queries(referential, django_assert_num_queries, query, count):
    with django_assert_num_queries(count):
        search_collectivites(query)


# Matching without JavaScript


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Fresnes (Val-de-Marne)", FRESNES_94),
        ("fresnes 94", FRESNES_94),
        ("94260", FRESNES_94),
        ("tarn agout", CC_TARN_AGOUT),
        ("Communauté de communes Tarn-Agout", CC_TARN_AGOUT),
        ("CC Tarn-Agout", CC_TARN_AGOUT),
        ("Nouvelle-Calédonie", "988"),
        ("Saint-Maur-des-Fossés", "94068"),
        ("CA de l'Albigeois (C2A)", "248100737"),
        ("Région Occitanie", "76"),
        ("Département de Paris", "75"),
        ("Ville de Paris", PARIS),
        ("Saint-Denis La Réunion", "97411"),
    ],
)
def test_resolve_a_single_match(referential, text, code):
    match, candidates = resolve_collectivite(text)
    assert match.code == code
    assert candidates == []


@pytest.mark.parametrize("text", ["fresnes", "Ville de Fresnes"])
def test_resolve_ambiguous_text_offers_candidates(referential, text):
    match, candidates = resolve_collectivite(text)
    assert match is None
    assert 2 <= len(candidates) <= 8
    assert codes(candidates)[0] == (CollectiviteKind.COMMUNE, FRESNES_94)
    assert all("fresnes" in candidate.search_name for candidate in candidates)


def test_resolve_a_core_name_alone_is_no_match(referential):
    match, candidates = resolve_collectivite("saint")
    assert match is None
    assert len(candidates) == 8
    assert "Le Saint" not in [candidate.name for candidate in candidates]


def test_resolve_offers_a_typo_guess_and_never_takes_it(referential):
    match, candidates = resolve_collectivite("Pamirs")
    assert match is None
    assert codes(candidates) == [(CollectiviteKind.COMMUNE, PAMIERS), ("commune", "02581")]
    match, candidates = resolve_collectivite("Pamirs Ariège")
    assert (match, codes(candidates)) == (None, [(CollectiviteKind.COMMUNE, PAMIERS)])


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
    fresnes = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code=FRESNES_94)
    assert response.json()["results"] == [
        {
            "id": fresnes.pk,
            "label": "Fresnes (Val-de-Marne)",
            "name": "Fresnes",
            "description": "Commune · 94 Val-de-Marne · 29\xa0528 habitants",
            "kind": "commune",
            "kind_label": "Commune",
            "departement_code": "94",
            "departement": "Val-de-Marne",
            "population": 29528,
        }
    ]


def test_endpoint_describes_groups_and_territories(client, referential):
    [tarn_agout] = client.get(URL, {"q": "CC Tarn-Agout"}).json()["results"][:1]
    assert tarn_agout["label"] == "CC Tarn-Agout"
    assert tarn_agout["description"] == "Intercommunalité (EPCI) · 81 Tarn · 29\xa0922 habitants"
    [occitanie] = client.get(URL, {"q": "Région Occitanie"}).json()["results"]
    assert occitanie["description"] == "Région · 6\xa0124\xa0653 habitants"
    assert occitanie["departement_code"] == ""


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
    [
        "\x00fresnes\x00",
        "%",
        "_%_",
        "fresnes' OR 1=1 --",
        "🏛️ mairie",
        "((( 94",
        "\ufffd",
        "9" * 50,
        "cc ca cu " * 20,
        "a b c d e f g h i j k l",
        "94260 94260 94 94 fresnes",
    ],
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
    expected_trigrams = sum(len(trigrams(core_name(normalise(row["name"])))) for row in rows)
    assert CollectiviteTrigram.objects.count() == expected_trigrams


def test_loaded_rows_carry_the_referential(referential):
    fresnes = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code=FRESNES_94)
    assert fresnes.name == "Fresnes"
    assert (fresnes.search_name, fresnes.core_name) == ("fresnes", "fresnes")
    assert fresnes.trigram_count == 8
    assert set(fresnes.trigrams.values_list("trigram", flat=True)) == trigrams("fresnes")
    assert fresnes.siren == "219400348"
    assert (fresnes.departement_code, fresnes.departement_name) == ("94", "Val-de-Marne")
    assert fresnes.region_code == "11"
    assert fresnes.population == 29528
    assert fresnes.postcodes == "94260"
    assert fresnes.epci.code == METROPOLE_GRAND_PARIS
    assert fresnes.epci.kind == CollectiviteKind.EPCI

    paris = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code=PARIS)
    assert paris.postcodes.split() == [f"750{number:02}" for number in range(1, 21)] + ["75116"]

    tarn_agout = Collectivite.objects.get(kind=CollectiviteKind.EPCI, code=CC_TARN_AGOUT)
    assert tarn_agout.siren == CC_TARN_AGOUT
    assert tarn_agout.core_name == "tarn agout"
    assert tarn_agout.postcodes == ""
    assert tarn_agout.departement_code == "81"
    assert tarn_agout.members.count() > 10

    caledonie = Collectivite.objects.get(kind=CollectiviteKind.OUTRE_MER, code="988")
    assert caledonie.name == "Nouvelle-Calédonie"
    assert Collectivite.objects.filter(kind="commune", departement_code="988").count() == 33
    assert not Collectivite.objects.filter(kind="departement", code="988").exists()


@pytest.mark.parametrize(
    ("kind", "code", "after_de"),
    [
        ("departement", "32", "du Gers"),
        ("departement", "13", "des Bouches-du-Rhône"),
        ("departement", "01", "de l'Ain"),
        ("departement", "974", "de La Réunion"),
        ("region", "76", "d'Occitanie"),
        ("region", "44", "du Grand Est"),
        ("epci", "240100750", "de la CA du Pays de Gex"),
        ("epci", "246700488", "de l'Eurométropole de Strasbourg"),
        ("epci", "243300316", "de Bordeaux Métropole"),
        ("commune", "45234", "d'Orléans"),
        ("commune", "91692", "des Ulis"),
        ("commune", "76351", "du Havre"),
        ("commune", FRESNES_94, "de Fresnes"),
        ("arrondissement", "75115", "de Paris 15e Arrondissement"),
    ],
)
def test_loaded_names_say_their_article(referential, kind, code, after_de):
    assert Collectivite.objects.get(kind=kind, code=code).with_article("de") == after_de


def test_second_load_changes_nothing(referential):
    count, trigram_count = Collectivite.objects.count(), CollectiviteTrigram.objects.count()
    output = StringIO()
    call_command("load_collectivites", stdout=output)
    assert Collectivite.objects.count() == count
    assert CollectiviteTrigram.objects.count() == trigram_count
    assert "rien n'a changé" in output.getvalue()
    assert "0 créée(s), 0 mise(s) à jour" in output.getvalue()


def write_data_file(path, rows, aliases=()):
    with gzip.open(path, "wt", encoding="utf-8") as archive:
        json.dump(
            {
                "columns": COLUMNS,
                "rows": [[row[c] for c in COLUMNS] for row in rows],
                "alias_columns": ALIAS_COLUMNS,
                "aliases": list(aliases),
            },
            archive,
        )


def test_load_updates_changes_and_keeps_rows_gone_from_the_file(referential, tmp_path):
    fresnes = next(row for row in data_rows() if row["code"] == FRESNES_94)
    fresnes["population"] += 1
    fresnes["postcodes"] = "94260 94261"
    data_file = tmp_path / "collectivites.json.gz"
    write_data_file(data_file, [fresnes])
    count = Collectivite.objects.count()

    output = StringIO()
    call_command("load_collectivites", file=data_file, stdout=output)

    assert Collectivite.objects.count() == count
    assert "0 créée(s), 1 mise(s) à jour" in output.getvalue()
    assert f"{count - 1} collectivité(s) de la base absente(s) du fichier" in output.getvalue()
    updated = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code=FRESNES_94)
    assert updated.population == fresnes["population"]
    assert updated.postcodes == "94260 94261"
    assert updated.departement_name == "Val-de-Marne"
    assert updated.epci.code == METROPOLE_GRAND_PARIS
    assert codes(search_collectivites("94261")) == [(CollectiviteKind.COMMUNE, FRESNES_94)]


def test_load_replaces_the_trigrams_of_a_renamed_row(referential, tmp_path):
    fresnes = next(row for row in data_rows() if row["code"] == FRESNES_94)
    fresnes["name"] = "Fresnes-sur-Bièvre"
    data_file = tmp_path / "collectivites.json.gz"
    write_data_file(data_file, [fresnes])
    trigram_count = CollectiviteTrigram.objects.count()

    call_command("load_collectivites", file=data_file, stdout=StringIO())

    renamed = Collectivite.objects.get(kind=CollectiviteKind.COMMUNE, code=FRESNES_94)
    assert renamed.core_name == "fresnes sur bievre"
    stored = set(renamed.trigrams.values_list("trigram", flat=True))
    assert stored == trigrams("fresnes sur bievre")
    assert CollectiviteTrigram.objects.count() == trigram_count - 8 + len(stored)
    assert search_collectivites("Fresnes-sur-Bivre")[0] == renamed  # a typo: the trigrams


def test_load_renews_the_queue_filters_regions(referential, tmp_path):
    occitanie = next(
        row for row in data_rows() if row["kind"] == CollectiviteKind.REGION and row["code"] == "76"
    )
    assert ("76", "Occitanie") in selectors.region_choices()  # cached for the queue's filters
    occitanie["name"] = "Occitanie-Pyrénées-Méditerranée"
    data_file = tmp_path / "collectivites.json.gz"
    write_data_file(data_file, [occitanie])

    call_command("load_collectivites", file=data_file, stdout=StringIO())

    assert ("76", "Occitanie-Pyrénées-Méditerranée") in selectors.region_choices()


def test_load_refuses_an_unreadable_file(db, tmp_path):
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(CommandError, match="illisible"):
        call_command("load_collectivites", file=broken, stdout=StringIO())


def test_load_refuses_a_file_of_other_columns(db, tmp_path):
    old = tmp_path / "old.json.gz"
    with gzip.open(old, "wt", encoding="utf-8") as archive:
        json.dump({"columns": COLUMNS[:-1], "rows": []}, archive)
    with pytest.raises(CommandError, match="Colonnes inattendues"):
        call_command("load_collectivites", file=old, stdout=StringIO())
