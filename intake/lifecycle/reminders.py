"""The reminder of each appointment, two days before it, sent exactly once: claimed by one
conditional UPDATE, so that two copies of the periodic job never both send it. Moving the
appointment re-arms it (its start is no longer the one reminded), cancelling disarms it."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import notifications
from ..models import Appointment

AHEAD = timedelta(days=2)


def _claim(appointment):
    """Whether this copy is the one that reminds ``appointment`` of its current start."""
    return (
        Appointment.objects.booked()
        .filter(pk=appointment.pk, starts_at=appointment.starts_at)
        .exclude(reminded_for=appointment.starts_at)
        .update(reminded_for=appointment.starts_at)
        == 1
    )


def send_due_reminders(now=None):
    """Remind the applicant and the hosts of every appointment starting within two days;
    the number of appointments reminded."""
    now = now or timezone.now()
    due = (
        Appointment.objects.booked()
        .filter(starts_at__gt=now, starts_at__lte=now + AHEAD)
        .exclude(reminded_for=F("starts_at"))
        .select_related("request")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for appointment in due:
        with transaction.atomic():
            if _claim(appointment):
                notifications.appointment_reminder(appointment)
                sent += 1
    return sent
