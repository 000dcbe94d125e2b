"""Load the referential of collectivités from the data file shipped in the repository, with
the other names that lead to them: the former communes of the data file and the short names
of `intake/data/short_names.csv`.

Offline and idempotent: rows are upserted by (kind, code) and only when something changed;
rows that are no longer in the file are reported, never deleted (requests may point to them).
The other names are replaced when they changed (nothing points to them).
"""

import csv
import gzip
import json
import time
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from intake import selectors
from intake.management.commands.build_collectivites_data import ALIAS_COLUMNS, COLUMNS, DATA_FILE
from intake.models import Collectivite, CollectiviteAlias, CollectiviteKind, CollectiviteTrigram
from intake.models.collectivite import (
    ARRONDISSEMENT,
    KIND_LABELS,
    LOCAL_KINDS,
    OWN_DEPARTEMENT,
    alias_names,
)

SHORT_NAMES_FILE = DATA_FILE.parent / "short_names.csv"

# Parents first: communes need their EPCI's id.
LOAD_ORDER = [
    CollectiviteKind.REGION,
    CollectiviteKind.DEPARTEMENT,
    CollectiviteKind.OUTRE_MER,
    CollectiviteKind.EPCI,
    CollectiviteKind.EPT,
    CollectiviteKind.COMMUNE,
    ARRONDISSEMENT,
]
FIELDS = [
    "siren",
    "name",
    "search_name",
    "core_name",
    "trigram_count",
    "departement_code",
    "departement_name",
    "region_code",
    "population",
    "postcodes",
    "epci_id",
    "name_type",
    "commune_id",
]
CORE_NAME = FIELDS.index("core_name")
BATCH_SIZE = 500
MISSING_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Charge ou met à jour le référentiel des collectivités depuis "
        "intake/data/collectivites.json.gz (hors ligne ; sans effet s'il est déjà à jour)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DATA_FILE,
            help="Fichier de données (par défaut : %(default)s).",
        )
        parser.add_argument(
            "--short-names",
            type=Path,
            default=SHORT_NAMES_FILE,
            help="Table des noms d'usage (par défaut : %(default)s).",
        )

    def handle(self, *args, file, short_names, verbosity, **options):
        started = time.perf_counter()
        self.verbosity = verbosity
        payload = self.read(file)
        rows = [dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]]
        aliases = [
            dict(zip(payload["alias_columns"], alias, strict=True)) for alias in payload["aliases"]
        ]
        aliases += self.read_short_names(short_names)
        self.log(
            f"Référentiel {payload.get('source', '?')} {payload.get('version', '?')} : "
            f"{len(rows)} collectivités dans le fichier."
        )
        with transaction.atomic():
            created, updated, missing = self.load(rows)
            aliases_changed = self.load_aliases(aliases)
        selectors.forget_referential_choices()
        for kind, code in missing[:MISSING_SHOWN]:
            self.log(f"  absente du fichier, laissée en place : {kind} {code}")
        if missing:
            self.log(
                self.style.WARNING(
                    f"{len(missing)} collectivité(s) de la base absente(s) du fichier, "
                    "laissée(s) en place."
                )
            )
        elapsed = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        if created or updated or aliases_changed:
            summary = f"{created} créée(s), {updated} mise(s) à jour"
        else:
            summary = "rien n'a changé"
        self.log(self.style.SUCCESS(f"Référentiel chargé en {elapsed} s : {summary}."))

    def log(self, message):
        if self.verbosity:
            self.stdout.write(message)

    def read(self, file):
        try:
            with gzip.open(file, "rt", encoding="utf-8") as archive:
                payload = json.load(archive)
        except (OSError, ValueError) as error:
            raise CommandError(f"Fichier de données illisible : {file} ({error})") from error
        if payload.get("columns") != COLUMNS or payload.get("alias_columns") != ALIAS_COLUMNS:
            raise CommandError(f"Colonnes inattendues dans {file} : {payload.get('columns')}")
        return payload

    def read_short_names(self, file):
        """[{kind, code, name, kind and code of the collectivité}] of the short names' table."""
        try:
            with file.open(encoding="utf-8", newline="") as table:
                return [
                    {
                        "kind": CollectiviteAlias.Kind.SHORT,
                        "code": "",
                        "name": line["name"],
                        "collectivite": (line["kind"], line["code"]),
                    }
                    for line in csv.DictReader(table)
                ]
        except (OSError, KeyError, csv.Error) as error:
            raise CommandError(f"Table des noms d'usage illisible : {file} ({error})") from error

    def load_aliases(self, aliases):
        """Replace the other names when they changed; return how many were added or removed."""
        ids = {
            (kind, code): pk
            for kind, code, pk in Collectivite.objects.values_list("kind", "code", "pk")
        }
        wanted = {}
        for alias in aliases:
            target = alias.get("collectivite") or (CollectiviteKind.COMMUNE, alias["commune_code"])
            if tuple(target) not in ids:
                raise CommandError(f"Collectivité inconnue pour « {alias['name']} » : {target}")
            instance = CollectiviteAlias(
                collectivite_id=ids[tuple(target)],
                kind=alias["kind"],
                code=alias["code"],
                name=alias["name"],
            )
            instance.set_search_text()
            wanted[(instance.collectivite_id, instance.kind, instance.search_name)] = instance
        existing = {
            (collectivite_id, kind, search_name): (pk, code, name)
            for pk, collectivite_id, kind, search_name, code, name in (
                CollectiviteAlias.objects.values_list(
                    "pk", "collectivite_id", "kind", "search_name", "code", "name"
                )
            )
        }

        def unchanged(key):
            return (
                key in existing
                and key in wanted
                and existing[key][1:]
                == (
                    wanted[key].code,
                    wanted[key].name,
                )
            )

        stale = [pk for key, (pk, *_values) in existing.items() if not unchanged(key)]
        new = [alias for key, alias in wanted.items() if not unchanged(key)]
        CollectiviteAlias.objects.filter(pk__in=stale).delete()
        CollectiviteAlias.objects.bulk_create(new, batch_size=BATCH_SIZE)
        self.store_alias_names(wanted.values())
        self.log(
            f"  Autres noms : {len(wanted)} — {len(new)} ajouté(s), {len(stale)} retiré(s) ou "
            f"remplacé(s)"
        )
        return len(new) + len(stale)

    def load(self, rows):
        """Upsert the rows kind by kind; return (created, updated, keys left out of the file)."""
        existing = {
            (kind, code): tuple(values)
            for kind, code, *values in Collectivite.objects.values_list(
                "kind", "code", *FIELDS
            ).iterator(chunk_size=5000)
        }
        by_kind = defaultdict(list)
        for row in rows:
            by_kind[row["kind"]].append(row)
        unknown = set(by_kind) - set(LOAD_ORDER)
        if unknown:
            raise CommandError(f"Types inconnus dans le fichier : {', '.join(sorted(unknown))}")

        total_created = total_updated = 0
        for kind in LOAD_ORDER:
            changed, new, renamed = [], [], []
            for collectivite in self.build(kind, by_kind[kind]):
                current = existing.pop((kind, collectivite.code), None)
                if current is None:
                    new.append(collectivite)
                elif current == tuple(getattr(collectivite, field) for field in FIELDS):
                    continue
                elif current[CORE_NAME] != collectivite.core_name:
                    renamed.append(collectivite)
                changed.append(collectivite)
            Collectivite.objects.bulk_create(
                changed,
                batch_size=BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["kind", "code"],
                update_fields=FIELDS,
            )
            # The search that tolerates typos reads the trigrams of the core names.
            CollectiviteTrigram.objects.add(new)
            CollectiviteTrigram.objects.replace(renamed)
            created, updated = len(new), len(changed) - len(new)
            self.log(
                f"  {KIND_LABELS[kind]} : {len(by_kind[kind])} — {created} créée(s), "
                f"{updated} mise(s) à jour, {len(by_kind[kind]) - len(changed)} inchangée(s)"
            )
            total_created += created
            total_updated += updated
        return total_created, total_updated, sorted(existing)

    def store_alias_names(self, aliases):
        """Each collectivité's `other_names` and `short_names`, which the search reads, where
        they changed."""
        by_collectivite = defaultdict(list)
        for alias in aliases:
            by_collectivite[alias.collectivite_id].append(alias)
        wanted = {pk: alias_names(found) for pk, found in by_collectivite.items()}
        changed = []
        for pk, *current in Collectivite.objects.filter(
            Q(pk__in=list(wanted)) | ~Q(other_names="") | ~Q(short_names="")
        ).values_list("pk", "other_names", "short_names"):
            other_names, short_names = wanted.get(pk, ("", ""))
            if tuple(current) != (other_names, short_names):
                changed.append(
                    Collectivite(pk=pk, other_names=other_names, short_names=short_names)
                )
        Collectivite.objects.bulk_update(
            changed, ["other_names", "short_names"], batch_size=BATCH_SIZE
        )

    def build(self, kind, rows):
        """Unsaved instances; parents are read from the table, where they are loaded first."""
        departement_names, epci_ids, commune_ids = {}, {}, {}
        if kind not in (CollectiviteKind.REGION, *OWN_DEPARTEMENT):
            departement_names = dict(
                Collectivite.objects.filter(kind__in=OWN_DEPARTEMENT).values_list("code", "name")
            )
        if kind in LOCAL_KINDS:
            epci_ids = dict(
                Collectivite.objects.filter(kind=CollectiviteKind.EPCI).values_list("code", "pk")
            )
        if kind == ARRONDISSEMENT:
            commune_ids = dict(
                Collectivite.objects.filter(kind=CollectiviteKind.COMMUNE).values_list("code", "pk")
            )
        for row in rows:
            collectivite = Collectivite(
                kind=kind,
                code=row["code"],
                siren=row["siren"] or "",
                name=row["name"],
                departement_code=row["departement_code"] or "",
                departement_name=(
                    row["name"]
                    if kind in OWN_DEPARTEMENT
                    else departement_names.get(row["departement_code"], "")
                ),
                region_code=row["region_code"] or "",
                population=row["population"],
                postcodes=row["postcodes"],
                epci_id=epci_ids.get(row["epci_code"]),
                name_type=row["name_type"],
                commune_id=commune_ids.get(row["commune_code"]),
            )
            collectivite.set_search_text()
            yield collectivite
