"""The command that regenerates the data file from the npm package's data/ folder, on a
small package of the same shape."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from intake.management.commands.build_collectivites_data import COLUMNS, PINNED_VERSION


@pytest.fixture
def package(tmp_path):
    """A package directory holding a département of two communes and their EPCI."""
    data = tmp_path / "package" / "data"
    data.mkdir(parents=True)
    (tmp_path / "package" / "package.json").write_text(json.dumps({"version": PINNED_VERSION}))
    sources = {
        "regions": [{"code": "11", "nom": "Île-de-France", "zone": "metro"}],
        "departements": [{"code": "94", "nom": "Val-de-Marne", "region": "11", "zone": "metro"}],
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
            {"code": "94999", "nom": "Ancienne", "type": "commune-deleguee", "departement": "94"},
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
    output = tmp_path / "collectivites.json.gz"
    stdout = StringIO()
    call_command("build_collectivites_data", package, output=output, stdout=stdout)
    payload = read(output)
    assert payload["columns"] == COLUMNS
    assert payload["version"] == PINNED_VERSION
    assert payload["rows"] == [
        ["region", "11", "", "Île-de-France", "", "11", 124528, "", ""],
        ["departement", "94", "", "Val-de-Marne", "94", "11", 124528, "", ""],
        ["epci", "200054781", "200054781", "Métropole du Grand Paris", "94", "11", 124528, "", ""],
        ["commune", "94034", "219400348", "Fresnes", "94", "11", 29528, "200054781", "94260"],
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
        ],
    ]
    assert "5 lignes" in stdout.getvalue()

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
