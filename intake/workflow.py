"""The request lifecycle: the only code that changes IntakeRequest.status.

A move is one row of MOVES; apply() runs it in a transaction on a locked row, records it in
Wagtail's audit log and schedules its side effects once the transaction commits.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from . import booking, notifications
from .models import IntakeRequest

Status = IntakeRequest.Status

# Audit-log action types, registered in wagtail_hooks.py.
LOG_ACTIONS = {
    "intake.submitted": _("Demande reçue"),
    "intake.withdraw": _("Demande retirée par la collectivité"),
    "intake.appointment_booked": _("Rendez-vous pris"),
    "intake.appointment_rescheduled": _("Rendez-vous déplacé"),
    "intake.appointment_cancelled": _("Rendez-vous annulé"),
    "intake.message_received": _("Message de la collectivité"),
    "intake.link_resent": _("Lien de suivi renvoyé"),
}


class TransitionNotAllowed(Exception):
    """The move does not apply to the request in its current status."""


@dataclass(frozen=True)
class Move:
    sources: tuple
    target: str
    ends_request: bool = False


MOVES = {
    "withdraw": Move(
        sources=tuple(IntakeRequest.OPEN_STATUSES), target=Status.WITHDRAWN, ends_request=True
    ),
}


def apply(request, action, user=None, note=""):
    """Run a move; returns the updated request or raises TransitionNotAllowed."""
    move = MOVES[action]
    with transaction.atomic():
        locked = IntakeRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in move.sources:
            raise TransitionNotAllowed(
                _("Cette action n'est plus possible : la demande est « %(status)s ».")
                % {"status": locked.get_status_display()}
            )
        locked.status = move.target
        fields = ["status"]
        if move.ends_request:
            locked.ended_at = timezone.now()
            fields.append("ended_at")
            for appointment in locked.appointments.booked():
                booking.cancel(appointment, by="applicant" if user is None else "team")
                notifications.appointment_changed(appointment, cancelled=True)
        locked.save(update_fields=fields)
        log(locked, f"intake.{action}", user=user, data={"note": note} if note else None)
        notifications.status_changed(locked, action)
    return locked


def record(request, action, user=None, data=None):
    """Audit-log an event that does not change the status (booking, message, link)."""
    log(request, action, user=user, data=data)


def log_submission(request):
    record(request, "intake.submitted")


def history(request):
    """What happened to the request, oldest first, for the applicant's timeline."""
    entries = ModelLogEntry.objects.for_instance(request).order_by("timestamp", "pk")
    return [
        {"timestamp": entry.timestamp, "label": LOG_ACTIONS.get(entry.action, entry.action)}
        for entry in entries
    ]


def resend_links(email):
    """New status links for the open requests of this address; the old links stop working."""
    for request in IntakeRequest.objects.open().filter(email__iexact=email.strip()):
        with transaction.atomic():
            token = request.issue_access_token()
            request.save(update_fields=["access_token_hash"])
            record(request, "intake.link_resent")
            notifications.link_resent(request, token)
