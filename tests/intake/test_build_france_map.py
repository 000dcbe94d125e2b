"""The command that regenerates the map's data file from the svg-maps packages, on small
packages of the same shape: a square per département."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from intake.management.commands.build_france_map import (
    DEPARTMENTS_PACKAGE,
    OVERSEAS,
    PINNED_VERSION,
    WORLD_PACKAGE,
    departement_names,
)

SQUARE = "m 10,10 2,0 0,2 -2,0 z"


def write_package(directory, name, locations, version=PINNED_VERSION):
    directory.mkdir()
    (directory / "package.json").write_text(json.dumps({"name": name, "version": version}))
    body = {"label": name, "viewBox": "0 0 613 585", "locations": locations}
    (directory / "index.js").write_text(f"export default {json.dumps(body)}\n")
    return directory


@pytest.fixture
def packages(tmp_path):
    metropole = [code for code in departement_names() if code not in OVERSEAS]
    departments = write_package(
        tmp_path / "departments",
        DEPARTMENTS_PACKAGE,
        [{"id": code, "name": code, "path": SQUARE} for code in metropole],
    )
    world = write_package(
        tmp_path / "world",
        WORLD_PACKAGE,
        # Two rings, the second placed from the first one's start; "e" numbers as published.
        [{"id": "fr", "name": "France", "path": SQUARE}]
        + [
            {"id": world_id, "name": world_id, "path": "m 10,10 2,0 0,2 -2,0 z m 0.5e1,0 1,0 z"}
            for world_id in OVERSEAS.values()
        ],
    )
    return departments, world, tmp_path / "out.json"


def test_builds_the_101_departements_with_the_overseas_in_insets(packages):
    departments, world, output = packages
    stdout = StringIO()
    call_command("build_france_map", departments, world, output=output, stdout=stdout)
    assert "101 départements, dont 5 en encart" in stdout.getvalue()
    data = json.loads(output.read_text())
    assert data["width"] == 613
    assert data["height"] == 687
    assert "CC BY 4.0" in data["attribution"]
    codes = [item["code"] for item in data["departements"]]
    assert codes[18:22] == ["19", "2A", "2B", "21"]
    assert codes[-5:] == ["971", "972", "973", "974", "976"]
    by_code = {item["code"]: item for item in data["departements"]}
    assert by_code["81"] == {"code": "81", "name": "Tarn", "path": SQUARE}
    # Guadeloupe's rings span 6 × 2 units, scaled by 17 (102 / 6) into its 114 × 72 frame less
    # a margin of 6, and centred.
    assert by_code["971"]["name"] == "Guadeloupe"
    assert by_code["971"]["path"] == (
        "M6.00,616.00 40.00,616.00 40.00,650.00 6.00,650.00Z M91.00,616.00 108.00,616.00Z"
    )
    # Paris and its petite couronne again, in their zoom's 120 × 78 frame: scaled by 33.
    assert data["zoom"] == {
        "codes": ["75", "92", "93", "94"],
        "x": 489,
        "y": 18,
        "width": 120,
        "height": 78,
        "transform": "translate(186.00 -306.00) scale(33.0000)",
    }
    assert data["insets"][1] == {"code": "972", "x": 124, "y": 597, "width": 114, "height": 72}


def test_refuses_another_version(packages, tmp_path):
    departments, world, output = packages
    other = write_package(tmp_path / "other", WORLD_PACKAGE, [], version="3.0.0")
    with pytest.raises(CommandError, match="@svg-maps/world@3.0.0, attendu"):
        call_command("build_france_map", departments, other, output=output)
    assert not output.exists()


def test_refuses_a_package_without_a_departement(packages, tmp_path):
    departments, world, output = packages
    locations = json.loads(departments.joinpath("index.js").read_text()[15:])["locations"]
    short = write_package(
        tmp_path / "short",
        DEPARTMENTS_PACKAGE,
        [location for location in locations if location["id"] != "81"],
    )
    with pytest.raises(CommandError, match="Départements sans tracé : 81"):
        call_command("build_france_map", short, world, output=output)


def test_refuses_a_missing_package(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("build_france_map", tmp_path / "nothing", tmp_path / "nothing")
