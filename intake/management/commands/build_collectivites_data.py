"""Regenerate the referential's data file from Etalab's découpage administratif package."""

import gzip
import json
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.models import CollectiviteKind
from intake.models.collectivite import ARRONDISSEMENT, KIND_LABELS, CollectiviteAlias
from intake.text import name_type_of

PACKAGE = "@etalab/decoupage-administratif"
PINNED_VERSION = "6.0.0"
DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "collectivites.json.gz"
LICENCE = (
    "Données : INSEE (Code officiel géographique, populations légales) et DGCL (EPCI), "
    "Licence Ouverte / Open Licence (Etalab). Paquet npm : licence MIT, Etalab."
)
COLUMNS = [
    "kind",
    "code",
    "siren",
    "name",
    "departement_code",
    "region_code",
    "population",
    "epci_code",
    "postcodes",
    "name_type",
    "commune_code",
]
# Former communes inside a current one: their names lead to it.
ALIAS_COLUMNS = ["kind", "code", "name", "commune_code"]
ALIAS_KINDS = {
    "commune-deleguee": CollectiviteAlias.Kind.DELEGUEE,
    "commune-associee": CollectiviteAlias.Kind.ASSOCIEE,
}
# Parents before members, so that the file reads top-down; the loader does not depend on it.
KIND_ORDER = [
    CollectiviteKind.REGION,
    CollectiviteKind.DEPARTEMENT,
    CollectiviteKind.OUTRE_MER,
    CollectiviteKind.EPCI,
    CollectiviteKind.EPT,
    CollectiviteKind.COMMUNE,
    ARRONDISSEMENT,
]
# The package lists the overseas collectivities (zone "com") as both départements and
# régions. Kept, as overseas collectivities: Saint-Pierre-et-Miquelon, Saint-Barthélemy,
# Saint-Martin, Wallis-et-Futuna, French Polynesia and New Caledonia. Left out: the TAAF
# (984) and Clipperton (989), which have no population and no elected assembly.
OUTRE_MER_CODES = {"975", "977", "978", "986", "987", "988"}
# Entries that the package files as communes but that are not communes: Saint-Barthélemy and
# Saint-Martin are the overseas collectivity itself, Wallis-et-Futuna's three entries are
# customary districts, the TAAF's are districts without inhabitants, Clipperton is an islet.
NOT_COMMUNES = {"977", "978", "984", "986", "989"}


class Command(BaseCommand):
    help = (
        f"Régénère intake/data/collectivites.json.gz à partir du dossier data/ du paquet npm "
        f"{PACKAGE}@{PINNED_VERSION} (version épinglée), obtenu avec "
        f"« npm pack {PACKAGE}@{PINNED_VERSION} »."
    )

    def add_arguments(self, parser):
        parser.add_argument("data_dir", type=Path, help="Le dossier data/ du paquet décompressé.")
        parser.add_argument(
            "--output",
            type=Path,
            default=DATA_FILE,
            help="Fichier à écrire (par défaut : %(default)s).",
        )

    def handle(self, *args, data_dir, output, **options):
        self.check_version(data_dir)
        source = {
            name: self.read(data_dir, name)
            for name in ("communes", "epci", "ept", "departements", "regions")
        }
        rows = build_rows(**source)
        rows.sort(key=lambda row: (KIND_ORDER.index(row[0]), row[1]))
        aliases = build_aliases(source["communes"])
        payload = {
            "source": PACKAGE,
            "version": PINNED_VERSION,
            "licence": LICENCE,
            "columns": COLUMNS,
            "rows": rows,
            "alias_columns": ALIAS_COLUMNS,
            "aliases": aliases,
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        output.parent.mkdir(parents=True, exist_ok=True)
        with (
            output.open("wb") as file,
            gzip.GzipFile(
                filename="", mode="wb", fileobj=file, compresslevel=9, mtime=0
            ) as archive,
        ):
            archive.write(body)
        counts = defaultdict(int)
        for row in rows:
            counts[row[0]] += 1
        for kind in KIND_ORDER:
            self.stdout.write(f"{KIND_LABELS[kind]} : {counts[kind]}")
        self.stdout.write(f"Anciennes communes (déléguées, associées) : {len(aliases)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{output} écrit : {len(rows)} lignes, {output.stat().st_size} octets."
            )
        )

    def check_version(self, data_dir):
        manifest = data_dir.parent / "package.json"
        if not manifest.is_file():
            return
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        if version != PINNED_VERSION:
            raise CommandError(
                f"Le paquet fourni est en version {version}, la version épinglée est "
                f"{PINNED_VERSION} : mettez à jour PINNED_VERSION et intake/data/README.md."
            )

    def read(self, data_dir, name):
        path = data_dir / f"{name}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CommandError(f"Fichier introuvable : {path}") from error


def build_rows(*, communes, epci, ept, departements, regions):
    """One short list per collectivité, in the order of COLUMNS."""
    current = [commune for commune in communes if commune["type"] == "commune-actuelle"]
    arrondissements = [
        commune for commune in communes if commune["type"] == "arrondissement-municipal"
    ]
    population_of = {commune["code"]: commune.get("population") or 0 for commune in current}
    departement_of = {commune["code"]: commune["departement"] for commune in current}
    population_by_departement = defaultdict(int)
    population_by_region = defaultdict(int)
    for commune in current:
        population_by_departement[commune["departement"]] += population_of[commune["code"]]
        population_by_region[commune["region"]] += population_of[commune["code"]]
    region_of_departement = {item["code"]: item["region"] for item in departements}

    rows = [
        row(
            CollectiviteKind.REGION,
            region["code"],
            region["nom"],
            region=region["code"],
            population=population_by_region[region["code"]] or None,
            name_type=region.get("typeLiaison"),
        )
        for region in regions
        if region["zone"] != "com"
    ]
    for departement in departements:
        code = departement["code"]
        if departement["zone"] != "com":
            kind = CollectiviteKind.DEPARTEMENT
        elif code in OUTRE_MER_CODES:
            kind = CollectiviteKind.OUTRE_MER
        else:
            continue
        rows.append(
            row(
                kind,
                code,
                departement["nom"],
                departement=code,
                region=departement["region"],
                population=population_by_departement[code] or None,
                name_type=departement.get("typeLiaison"),
            )
        )
    epci_of_commune = {}
    for kind, groups in ((CollectiviteKind.EPCI, epci), (CollectiviteKind.EPT, ept)):
        for group in groups:
            members = [member["code"] for member in group["membres"]]
            if kind == CollectiviteKind.EPCI:
                epci_of_commune.update(dict.fromkeys(members, group["code"]))
            departement = main_departement(members, departement_of, population_of)
            rows.append(
                row(
                    kind,
                    group["code"],
                    group["nom"],
                    siren=group["code"],
                    departement=departement,
                    region=region_of_departement.get(departement, ""),
                    population=group.get("populationMunicipale"),
                )
            )
    rows.extend(
        row(
            CollectiviteKind.COMMUNE,
            commune["code"],
            commune["nom"],
            siren=commune.get("siren", ""),
            departement=commune["departement"],
            region=commune["region"],
            population=commune.get("population"),
            epci=epci_of_commune.get(commune["code"], ""),
            postcodes=" ".join(sorted(commune.get("codesPostaux", []))),
            name_type=commune.get("typeLiaison"),
        )
        for commune in current
        if commune["departement"] not in NOT_COMMUNES
    )
    # The arrondissements of Paris, Lyon and Marseille have their mairie and their council.
    rows.extend(
        row(
            ARRONDISSEMENT,
            arrondissement["code"],
            arrondissement["nom"],
            departement=arrondissement["departement"],
            region=arrondissement["region"],
            population=arrondissement.get("population"),
            epci=epci_of_commune.get(arrondissement["commune"], ""),
            postcodes=" ".join(sorted(arrondissement.get("codesPostaux", []))),
            name_type=arrondissement.get("typeLiaison"),
            commune=arrondissement["commune"],
        )
        for arrondissement in arrondissements
    )
    return rows


def build_aliases(communes):
    """The communes déléguées and associées, each with the current commune it is part of, but
    those of the same name as it (its chef-lieu often is)."""
    names = {
        commune["code"]: commune["nom"]
        for commune in communes
        if commune["type"] == "commune-actuelle"
    }
    aliases = [
        [ALIAS_KINDS[commune["type"]].value, commune["code"], commune["nom"], commune["chefLieu"]]
        for commune in communes
        if commune["type"] in ALIAS_KINDS
        and commune.get("chefLieu") in names
        and commune["nom"] != names[commune["chefLieu"]]
    ]
    return sorted(aliases)


def row(
    kind,
    code,
    name,
    *,
    siren="",
    departement="",
    region="",
    population=None,
    epci="",
    postcodes="",
    name_type=None,
    commune="",
):
    """The row of COLUMNS; a name's type (its article) is the INSEE's, or derived from the name
    where the package has none (groups of communes, some overseas communes)."""
    if name_type is None:
        name_type = name_type_of(name)
    return [
        str(kind),
        code,
        siren,
        name,
        departement,
        region,
        population,
        epci,
        postcodes,
        name_type,
        commune,
    ]


def main_departement(members, departement_of, population_of):
    """The département holding most of the group's population (a group may straddle two)."""
    population = defaultdict(int)
    for code in members:
        if code in departement_of:
            population[departement_of[code]] += population_of[code]
    if not population:
        return ""
    return min(population, key=lambda departement: (-population[departement], departement))
