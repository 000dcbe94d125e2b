"""Background work: delivering the outbox (inline in dev and tests, db_worker in production)."""

import logging
import smtplib

from django_tasks import default_task_backend, task

from .emails import to_message
from .models import OutgoingEmail

logger = logging.getLogger(__name__)


@task()
def deliver_email(email_id):
    email = OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.PENDING).first()
    if email is None:
        return
    try:
        to_message(email).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts + 1, error)
        email.mark_failed_attempt(error)
        if email.status == OutgoingEmail.Status.PENDING and default_task_backend.supports_defer:
            deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
        return
    email.mark_sent()
