"""Hand the due emails of the outbox to the task queue again; run it every few minutes (cron).

Delivery retries by itself where the task backend can defer; this command is the safety
net for emails whose task was lost (worker restarted, immediate backend in a failing SMTP).
"""

from django.core.management.base import BaseCommand

from intake.models import OutgoingEmail
from intake.tasks import deliver_email


class Command(BaseCommand):
    help = "Relance l'envoi des courriels en attente dont l'échéance est passée."

    def handle(self, *args, **options):
        due = list(OutgoingEmail.objects.due().values_list("pk", flat=True))
        for pk in due:
            deliver_email.enqueue(pk)
        self.stdout.write(f"{len(due)} courriel(s) relancé(s).")
