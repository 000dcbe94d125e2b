"""The team hands a failed email back to the outbox: the one write to the outbox that is not a
delivery (``tasks.py``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import OutgoingEmail
from ..tasks import deliver_email
from .base import LifecycleError, _log, _require_team


class EmailNotFailed(LifecycleError):
    """Only a failed email is retried: another member retried it, or it left."""


def retry_email(email, *, by):
    """Try ``email`` again from its first attempt, with the same Message-ID."""
    _require_team(by)
    with transaction.atomic():
        retried = OutgoingEmail.objects.filter(
            pk=email.pk, status=OutgoingEmail.Status.FAILED
        ).update(
            status=OutgoingEmail.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            sending_started_at=None,
        )
        if not retried:
            raise EmailNotFailed(_("Ce courriel n'est plus en échec : il a déjà été renvoyé."))
        if email.request_id:
            _log(email.request, "intake.email_retried", by, email=email.pk, subject=email.subject)
        transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
