"""Run the portal's periodic jobs that are due, once (cron, a systemd timer), or every
``--loop`` seconds (a process of its own). See intake/periodic.py."""

import time

from django.core.management.base import BaseCommand, CommandError

from intake import periodic


class Command(BaseCommand):
    help = "Exécute les tâches périodiques dues (courriels reçus, courriels en attente…)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDES",
            help="Recommencer toutes les SECONDES secondes, sans fin.",
        )
        parser.add_argument(
            "--job",
            action="append",
            dest="jobs",
            metavar="NOM",
            help="Cette tâche seulement, même si elle n'est pas due (répétable).",
        )

    def handle(self, *args, loop=None, jobs=None, **options):
        unknown = set(jobs or ()) - set(periodic.registry())
        if unknown:
            known = ", ".join(periodic.registry())
            raise CommandError(f"Tâche inconnue : {', '.join(sorted(unknown))} (tâches : {known}).")
        if loop is not None and loop < 1:
            raise CommandError("--loop attend un nombre de secondes positif.")
        while True:
            failed = self.run_once(jobs)
            if loop is None:
                if failed:
                    raise CommandError("Une tâche a échoué (voir ci-dessus).")
                return
            time.sleep(loop)

    def run_once(self, jobs):
        failed = False
        for outcome in periodic.run_due(jobs, force=bool(jobs)):
            if not outcome.ran:
                self.stdout.write(f"{outcome.job} : pas due, désactivée ou déjà en cours")
            elif outcome.error:
                failed = True
                self.stderr.write(f"{outcome.job} : échec — {outcome.error}")
            else:
                self.stdout.write(f"{outcome.job} : {outcome.result}")
        return failed
