"""Background work: delivering the outbox (inline in dev and tests, db_worker in production)."""

import logging
import smtplib

from django.db import transaction
from django_tasks import default_task_backend, task

from .emails import to_message
from .models import OutgoingEmail

logger = logging.getLogger(__name__)


@task()
def deliver_email(email_id):
    """Send one outbox email; the row is claimed so two deliveries never both send it."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return
        try:
            # The status link issued for this email lives only if the email leaves.
            with transaction.atomic():
                to_message(email).send()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning(
                "Email %s not sent (attempt %s): %s", email.pk, email.attempts + 1, error
            )
            email.mark_failed_attempt(error)
            if email.status == OutgoingEmail.Status.PENDING and default_task_backend.supports_defer:
                retry_at = email.next_attempt_at
                transaction.on_commit(
                    lambda: deliver_email.using(run_after=retry_at).enqueue(email_id)
                )
            return
        email.mark_sent()


def requeue_due_emails():
    """Hand the due emails of the outbox to the task queue again (their task may have been
    lost: a worker restarted, a failing SMTP under the immediate backend). Returns how many."""
    due = list(OutgoingEmail.objects.due().values_list("pk", flat=True))
    for pk in due:
        deliver_email.enqueue(pk)
    return len(due)
