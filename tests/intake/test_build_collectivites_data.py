"""The command that regenerates the data file from the npm package's data/ folder, on a
small package of the same shape."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from intake.management.commands.build_collectivites_data import (
    ALIAS_COLUMNS,
    COLUMNS,
    PINNED_VERSION,
)


@pytest.fixture
def package(tmp_path):
    """A package directory holding a département of two communes and their EPCI."""
    data = tmp_path / "package" / "data"
    data.mkdir(parents=True)
    (tmp_path / "package" / "package.json").write_text(json.dumps({"version": PINNED_VERSION}))
    sources = {
        "regions": [{"code": "11", "nom": "Île-de-France", "zone": "metro"}],  # no type: d'Île
        "departements": [
            {"code": "94", "nom": "Val-de-Marne", "region": "11", "zone": "metro", "typeLiaison": 2}
        ],
        "communes": [
            {
                "code": "94034",
                "nom": "Fresnes",
                "type": "commune-actuelle",
                "departement": "94",
                "region": "11",
                "siren": "219400348",
                "codesPostaux": ["94260"],
                "population": 29528,
                "typeLiaison": 0,
            },
            {
                "code": "94081",
                "nom": "Vitry-sur-Seine",
                "type": "commune-actuelle",
                "departement": "94",
                "region": "11",
                "codesPostaux": ["94400", "94200"],
                "population": 95000,
            },
            {
                "code": "94999",
                "nom": "Ancienne",
                "type": "commune-deleguee",
                "chefLieu": "94034",
                "departement": "94",
            },
            {
                "code": "94034",
                "nom": "Fresnes",
                "type": "commune-deleguee",
                "chefLieu": "94034",
                "departement": "94",
            },
            {
                "code": "94998",
                "nom": "Associée",
                "type": "commune-associee",
                "chefLieu": "94081",
                "departement": "94",
            },
            {
                "code": "94101",
                "nom": "Fresnes 1er Arrondissement",
                "type": "arrondissement-municipal",
                "commune": "94034",
                "departement": "94",
                "region": "11",
                "codesPostaux": ["94261"],
                "population": 1000,
                "typeLiaison": 0,
            },
        ],
        "epci": [
            {
                "code": "200054781",
                "nom": "Métropole du Grand Paris",
                "populationMunicipale": 124528,
                "membres": [{"code": "94034"}, {"code": "94081"}],
            }
        ],
        "ept": [],
    }
    for name, content in sources.items():
        (data / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")
    return data


def read(path):
    with gzip.open(path, "rt", encoding="utf-8") as archive:
        return json.load(archive)


def test_build_writes_postcodes_of_communes(package, tmp_path):
    """Each row with its type of name (the package's, or derived from the name: "la Métropole
    du Grand Paris", "Vitry-sur-Seine"), the arrondissements with their commune, and the former
    communes that have another name than the commune they joined."""
    output = tmp_path / "collectivites.json.gz"
    stdout = StringIO()
    call_command("build_collectivites_data", package, output=output, stdout=stdout)
    payload = read(output)
    assert payload["columns"] == COLUMNS
    assert payload["version"] == PINNED_VERSION
    epci = ["epci", "200054781", "200054781", "Métropole du Grand Paris", "94", "11", 124528]
    assert payload["rows"] == [
        ["region", "11", "", "Île-de-France", "", "11", 124528, "", "", 1, ""],
        ["departement", "94", "", "Val-de-Marne", "94", "11", 124528, "", "", 2, ""],
        [*epci, "", "", 3, ""],
        [
            "commune",
            "94034",
            "219400348",
            "Fresnes",
            "94",
            "11",
            29528,
            "200054781",
            "94260",
            0,
            "",
        ],
        [
            "commune",
            "94081",
            "",
            "Vitry-sur-Seine",
            "94",
            "11",
            95000,
            "200054781",
            "94200 94400",
            0,
            "",
        ],
        [
            "arrondissement",
            "94101",
            "",
            "Fresnes 1er Arrondissement",
            "94",
            "11",
            1000,
            "200054781",
            "94261",
            0,
            "94034",
        ],
    ]
    assert payload["alias_columns"] == ALIAS_COLUMNS
    assert payload["aliases"] == [
        ["associee", "94998", "Associée", "94081"],
        ["deleguee", "94999", "Ancienne", "94034"],
    ]
    assert "6 lignes" in stdout.getvalue()
    assert "Anciennes communes (déléguées, associées) : 2" in stdout.getvalue()

    again = tmp_path / "again.json.gz"
    call_command("build_collectivites_data", package, output=again, stdout=StringIO())
    assert again.read_bytes() == output.read_bytes()  # the same package gives the same bytes


def test_build_refuses_another_version(package, tmp_path):
    (package.parent / "package.json").write_text(json.dumps({"version": "5.0.0"}))
    with pytest.raises(CommandError, match="version 5.0.0"):
        call_command("build_collectivites_data", package, output=tmp_path / "out.json.gz")


def test_build_needs_every_file(package, tmp_path):
    (package / "ept.json").unlink()
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("build_collectivites_data", package, output=tmp_path / "out.json.gz")
