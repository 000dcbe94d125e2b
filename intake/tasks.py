"""Background work: delivering the outbox (inline in dev and tests, db_worker in production)."""

import logging
import smtplib

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend, task

from .emails import to_message
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

INTERRUPTED = _(
    "Envoi interrompu (le processus s'est arrêté pendant l'envoi) : le courriel est peut-être "
    "parti. Vérifiez auprès du destinataire avant de le renvoyer."
)


@task()
def deliver_email(email_id):
    """Send one outbox email, once: claimed first, so two deliveries never both send it."""
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or not email.claim():
        return
    try:
        # The status link issued for this email lives only if the email leaves.
        with transaction.atomic():
            to_message(email).send()
            email.mark_sent()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts + 1, error)
        email.mark_failed_attempt(error)
        if email.status == OutgoingEmail.Status.PENDING and default_task_backend.supports_defer:
            deliver_email.using(run_after=email.next_attempt_at).enqueue(email_id)


def requeue_due_emails():
    """Hand the due emails of the outbox to the task queue again (their task may have been
    lost: a worker restarted, a failing SMTP under the immediate backend), and mark failed
    those whose delivery was cut off while sending. Returns how many were handed on."""
    interrupted = OutgoingEmail.objects.interrupted().update(
        status=OutgoingEmail.Status.FAILED, last_error=str(INTERRUPTED)
    )
    if interrupted:
        logger.warning("%s email(s) cut off while sending, marked failed", interrupted)
    due = list(OutgoingEmail.objects.due().values_list("pk", flat=True))
    for pk in due:
        deliver_email.enqueue(pk)
    return len(due)
