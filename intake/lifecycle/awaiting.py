"""The reminder to an applicant whose answer the team has awaited for more than WAIT: sent
once per wait, claimed by one conditional UPDATE of ``awaiting_reminded_for`` (the day the
wait began), so that two copies of the periodic job never both send it. A new question
starts a new wait (a new ``paused_on``), which re-arms it."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

from .. import notifications
from ..models import IntakeRequest
from .base import _log

WAIT = timedelta(days=7)
Status = IntakeRequest.Status


def _claim(intake_request):
    """Whether this copy is the one that reminds ``intake_request`` of its current wait."""
    return (
        IntakeRequest.objects.filter(
            pk=intake_request.pk,
            status=Status.AWAITING_APPLICANT,
            paused_on=intake_request.paused_on,
        )
        .exclude(awaiting_reminded_for=intake_request.paused_on)
        .update(awaiting_reminded_for=intake_request.paused_on)
        == 1
    )


def send_awaiting_reminders(today=None):
    """Remind every applicant the team has awaited for more than WAIT; the number reminded."""
    today = today or timezone.localdate()
    due = (
        IntakeRequest.objects.filter(status=Status.AWAITING_APPLICANT, paused_on__lt=today - WAIT)
        .exclude(awaiting_reminded_for=F("paused_on"))
        .order_by("paused_on", "pk")
    )
    sent = 0
    for intake_request in due:
        with transaction.atomic():
            if _claim(intake_request):
                days = (today - intake_request.paused_on).days
                _log(intake_request, "intake.awaiting_reminded", detail=_days(days))
                notifications.awaiting_reminder(intake_request, days=days)
                sent += 1
    return sent


def _days(days):
    return ngettext(
        "sans réponse depuis %(days)d jour", "sans réponse depuis %(days)d jours", days
    ) % {"days": days}
