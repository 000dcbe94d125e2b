"""Apply the retention periods now: purge the spam, the sent emails, the dead status links and
the unused feeds, then anonymise every ended request past its period, batch after batch
(``--dry-run`` only says what would change). See intake/lifecycle/retention.py; the periodic
job ``retention`` does the same, a batch a round."""

from django.core.management.base import BaseCommand, CommandError

from intake.lifecycle import retention


class Command(BaseCommand):
    help = (
        "Applique les durées de conservation : purges, puis anonymisation des demandes "
        "terminées dont la durée est écoulée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Afficher ce qui changerait, par nature, sans rien modifier.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=retention.BATCH_SIZE,
            metavar="N",
            help=f"Demandes par lot (chaque demande est anonymisée à part ; {retention.BATCH_SIZE}"
            " par défaut).",
        )

    def handle(self, *args, dry_run=False, batch_size=retention.BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size attend un nombre positif.")
        if dry_run:
            self.dry_run()
            return
        total = retention.purge()
        self.stdout.write(f"Purges : {sum(total.values.values())} ligne(s)")
        while True:
            counts = retention.anonymise_due(batch_size=batch_size)
            if not counts["requests"]:
                break
            self.stdout.write(f"Lot : {counts['requests']} demande(s) anonymisée(s)")
            for kind, number in counts.values.items():
                total.add(kind, number)
        self.write_counts(total)

    def dry_run(self):
        counts, references = retention.plan()
        self.stdout.write("Simulation : rien n'est modifié.")
        self.write_counts(counts)
        if references:
            self.stdout.write("Demandes à anonymiser : " + ", ".join(references))

    def write_counts(self, counts):
        for label, number in counts.lines():
            self.stdout.write(f"{label} : {number}")
