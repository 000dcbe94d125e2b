"""What every lifecycle command shares: its refusals, the locked row, the permission and the
guards, the audit log, the team's reply, and applying a move to the locked request.

``commands.py`` exposes these helpers to the commands of other modules; the moves themselves
are declared in ``moves.py``.
"""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from .. import attachments, notifications
from ..booking import slot_label
from ..errors import DomainError
from ..models import (
    TRIAGE_PERMISSION,
    IntakeRequest,
    InternalNote,
    RequestMessage,
    fill_variables,
)
from ..models.replies import BLANK_LEFT, has_blank
from ..replies import default_draft, variables
from . import appointments, delays


class LifecycleError(DomainError):
    """A request event the domain refuses."""


class MoveNotAllowed(LifecycleError):
    """The move does not apply to the request in its current status."""


class MoveNotPermitted(LifecycleError):
    default_message = gettext_lazy("Vous n'avez pas l'autorisation d'instruire les demandes.")


class MoveRefused(LifecycleError):
    """A guard refused the move (a missing reason, a wrong original…)."""


@contextmanager
def _locked(intake_request):
    """The request's row, locked until the transaction ends: concurrent events queue up."""
    with transaction.atomic():
        yield IntakeRequest.objects.select_for_update().get(pk=intake_request.pk)


def _log(intake_request, action, by=None, **data):
    """Record the event; the search text is refreshed with it, so that the queue finds what
    any command wrote (a message, a note, corrected contact details)."""
    log(intake_request, action, user=by, data=data or None)
    _index(intake_request)


def _index(intake_request):
    """Store what the queue's search reads of the request: its own fields, its messages and
    its internal notes, normalised."""
    messages = RequestMessage.objects.filter(request=intake_request).order_by().values_list("body")
    notes = InternalNote.objects.filter(request=intake_request).order_by().values_list("body")
    texts = [body for (body,) in messages.union(notes, all=True)]
    intake_request.search_text = intake_request.search_document(texts)
    IntakeRequest.objects.filter(pk=intake_request.pk).update(
        search_text=intake_request.search_text
    )


def _require_team(by):
    if by is None or not by.has_perm(TRIAGE_PERMISSION):
        raise MoveNotPermitted()


def _required(value, message):
    value = (value or "").strip()
    if not value:
        raise MoveRefused(message)
    return value


def _check_open(intake_request):
    """Nobody books, moves or writes for an ended request."""
    if not intake_request.is_open:
        raise MoveNotAllowed(_("Cette demande est terminée."))


def _log_appointment(intake_request, action, by, appointment, **data):
    _log(
        intake_request,
        action,
        by,
        appointment=appointment.pk,
        detail=slot_label(appointment.starts_at),
        **data,
    )


def _reply(intake_request, by, reply, message, subject, partner=None, files=()):
    """Store the team's message (the thread shows it) with its ``files`` and email it to the
    applicant.

    ``reply`` is a declared reply of ``moves.py`` (a move's, or ``MESSAGE``): ``None`` for
    ``message`` or ``subject`` takes its template's. A message still holding a blank to fill
    is refused."""
    if message is None or subject is None:
        default_subject, default_message = default_draft(
            reply, intake_request, by=by, partner=partner
        )
        message = default_message if message is None else message
        subject = default_subject if subject is None else subject
    message = _required(message, _("Écrivez le message à la collectivité."))
    if has_blank(message):
        raise MoveRefused(BLANK_LEFT)
    subject = _required(subject, _("Indiquez l'objet du courriel."))
    values = variables(intake_request, by=by, partner=partner)
    sent = RequestMessage.objects.create(
        request=intake_request,
        author=RequestMessage.Author.TEAM,
        sender=by,
        body=fill_variables(message, values),
    )
    if files:
        attachments.store(sent, list(files))
    _index(intake_request)
    notifications.team_reply(sent, subject=subject, text=message, values=values, partner=partner)
    return sent


def check(move, intake_request, by):
    """Raise unless ``by`` (a team member, or None for the applicant) may make ``move`` now."""
    # The team may record an applicant's move (a withdrawal by phone), never the reverse.
    if (move.by_team or by is not None) and (by is None or not by.has_perm(TRIAGE_PERMISSION)):
        raise MoveNotPermitted()
    if intake_request.anonymised_at is not None:
        # Nobody to write to any more: an anonymised request stays as it ended.
        raise MoveNotAllowed(_("Cette demande est anonymisée."))
    if intake_request.status not in move.sources:
        raise MoveNotAllowed(
            _("« %(move)s » n'est pas possible : la demande est « %(status)s ».")
            % {"move": move.label, "status": intake_request.get_status_display()}
        )
    return move


def _move(intake_request, move, by, **data):
    """Apply ``move`` to the locked ``intake_request``: status, clock, end, audit log, and an ended
    (or suspended) request keeps no booked appointment."""
    check(move, intake_request, by)
    now = timezone.now()
    today = timezone.localdate(now)
    intake_request.status = move.target
    if move.decides and intake_request.decided_at is None:
        # The first decision answers the request; a later one (a withdrawal after the
        # acceptance) does not move the answer's date.
        if intake_request.paused_on is not None:
            intake_request.resume_response_clock(today)
        intake_request.decided_at = now
    intake_request.ended_at = now if move.ends else None
    intake_request.save()
    _log(intake_request, f"intake.{move.name}", by, **data)
    if move.decides and move.by_team and intake_request.decision_working_days is None:
        delays.record(intake_request, decision=f"intake.{move.name}")
    if move.cancels_appointments:
        _free_slots(intake_request, by, notify=not move.quiet)
    return intake_request


def _free_slots(intake_request, by, *, notify):
    """Cancel what the request had booked, and send the calendars their cancellation for what
    was still to come."""
    for appointment in intake_request.appointments.booked():
        appointments.cancel(appointment, by="team" if by else "applicant")
        _log_appointment(intake_request, "intake.appointment_cancelled", by, appointment)
        if notify and not appointment.has_started:
            notifications.appointment_changed(appointment, change="cancelled")
