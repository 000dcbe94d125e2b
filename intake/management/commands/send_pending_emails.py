"""Hand the due emails of the outbox to the task queue again; run it every few minutes (cron).

Delivery retries by itself where the task backend can defer; this command is the safety
net for emails whose task was lost (worker restarted, immediate backend in a failing SMTP).
"""

from django.core.management.base import BaseCommand

from intake.tasks import requeue_due_emails


class Command(BaseCommand):
    help = "Relance l'envoi des courriels en attente dont l'échéance est passée."

    def handle(self, *args, **options):
        self.stdout.write(f"{requeue_due_emails()} courriel(s) relancé(s).")
