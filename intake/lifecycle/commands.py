"""Every write to a request, its appointments, messages, notes and labels.

Each command runs in one transaction on the locked request row, checks the move (status and
permission), writes, records the event in Wagtail's audit log and schedules its emails, which
leave only once the transaction commits. ``by`` is the team member acting, or None for the
applicant (who acts through the private status link). Commands return what they changed.

The moves' commands are declared beside their moves (``moves.py``) and the submission in
``submission.py``; every command is reachable from here, and so are the helpers
(``base.py``) that the commands of other modules use.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .. import booking, notifications, ratelimit
from ..models import (
    TRIAGE_PERMISSION,
    Appointment,
    IntakeRequest,
    InternalNote,
    RequestMessage,
)
from ..replies import team_member_name
from . import accompaniments, appointments, delays
from .accompaniments import answer_satisfaction, set_cadence  # noqa: F401
from .base import (
    MoveNotAllowed,
    MoveRefused,
    _check_open,
    _locked,
    _log,
    _log_appointment,
    _move,
    _reply,
    _require_team,
    _required,
)
from .moves import (  # noqa: F401 (the move commands, declared beside their moves)
    MESSAGE,
    START,
    TAKE,
    accept,
    applicant_writes,
    ask,
    close,
    decline,
    mark_duplicate,
    mark_spam,
    redirect,
    reopen,
    resume,
    resume_accompaniment,
    start,
    suspend,
    take,
    withdraw,
)
from .retention import anonymise, export_personal_data  # noqa: F401
from .sessions import applicant_completes, record_session  # noqa: F401
from .submission import Submission, already_received, submit  # noqa: F401

Status = IntakeRequest.Status


# Appointments


def applicant_books(intake_request, *, starts_at):
    """The applicant takes a slot, or moves the one they have; the team is told."""
    with _locked(intake_request) as locked:
        _check_open(locked)
        _check_not_suspended(locked)
        current = locked.booked_appointment
        previous_starts_at = current.starts_at if current else None
        if current is None:
            appointment = appointments.book(locked, starts_at)
            change, action = "booked", "intake.appointment_booked"
        else:
            appointment = appointments.reschedule(current, starts_at)
            change, action = "moved", "intake.appointment_rescheduled"
        _log_appointment(locked, action, None, appointment)
        notifications.appointment_changed(
            appointment, change=change, previous_starts_at=previous_starts_at
        )
        notifications.applicant_changed_appointment(
            appointment, previous_starts_at=previous_starts_at
        )
    return appointment


SESSION_STATUSES = (Status.ACCEPTED, Status.IN_PROGRESS)


def _check_not_suspended(locked):
    if locked.status == Status.SUSPENDED:
        raise MoveNotAllowed(
            _("L'accompagnement est suspendu : aucun rendez-vous ne se prend avant sa reprise.")
        )


def team_books(
    intake_request,
    *,
    by,
    starts_at,
    kind=Appointment.Kind.WORKING_SESSION,
    hosts=(),
    minutes=None,
    video_link="",
):
    """A team member books an appointment held by ``hosts``: a first exchange or a working
    session in a slot of the permanence, or (``minutes`` given) a working session at any time
    the team chooses, which takes no seat. Invitations go to the applicant and the hosts."""
    with _locked(intake_request) as locked:
        _require_team(by)
        _check_open(locked)
        _check_not_suspended(locked)
        if kind == Appointment.Kind.WORKING_SESSION and locked.status not in SESSION_STATUSES:
            raise MoveNotAllowed(
                _("Une séance de travail se planifie pour une demande acceptée ou accompagnée.")
            )
        if minutes is None:
            appointment = appointments.book(locked, starts_at, kind=kind, hosts=hosts)
        elif kind == Appointment.Kind.WORKING_SESSION:
            appointment = appointments.book_session(locked, starts_at, minutes, hosts)
        else:
            raise MoveNotAllowed(_("Un premier échange se tient dans un créneau de la permanence."))
        if video_link:
            appointment.video_link, appointment.confirmed_at = video_link, timezone.now()
            appointment.save(update_fields=["video_link", "confirmed_at", "updated_at"])
        held_by = {"hosts": [host.pk for host in hosts]} if hosts else {}
        _log_appointment(locked, "intake.appointment_booked", by, appointment, **held_by)
        notifications.appointment_changed(appointment, change="booked")
    return appointment


def _appointment_words(locked, by, message):
    """The team's words on an appointment change: kept in the thread, and in its email."""
    body = _required(message, _("Écrivez un mot à la collectivité."))
    return RequestMessage.objects.create(
        request=locked, author=RequestMessage.Author.TEAM, sender=by, body=body
    )


def reschedule(appointment, *, by, starts_at, message):
    """A team member moves an appointment, with a word to the applicant (the applicant moves
    theirs with applicant_books)."""
    with _locked(appointment.request) as locked:
        _require_team(by)
        _check_open(locked)
        if appointment.starts_at == starts_at:
            return appointment  # the same slot: nothing moved, nobody to tell
        words = _appointment_words(locked, by, message)
        previous_starts_at = appointment.starts_at
        if appointment.in_permanence:
            moved = appointments.reschedule(appointment, starts_at)
        else:
            moved = appointments.move_session(appointment, starts_at)
        _log_appointment(locked, "intake.appointment_rescheduled", by, moved, message=words.pk)
        notifications.appointment_changed(
            moved, change="moved", message=words.body, previous_starts_at=previous_starts_at
        )
    return moved


def cancel_appointment(appointment, *, by=None, message=None):
    """The applicant cancels their appointment, or a team member does, with a word to them."""
    if appointment is None:
        raise booking.AppointmentNotBooked()
    with _locked(appointment.request) as locked:
        words = None
        if by is not None:
            _require_team(by)
            words = _appointment_words(locked, by, message)
        cancelled = appointments.cancel(appointment, by="team" if by else "applicant")
        _log_appointment(
            locked,
            "intake.appointment_cancelled",
            by,
            cancelled,
            **({"message": words.pk} if words else {}),
        )
        notifications.appointment_changed(
            cancelled, change="cancelled", message=words.body if words else None
        )
        if by is None:
            notifications.applicant_changed_appointment(cancelled, cancelled=True)
    return cancelled


def resolve_closure(closure, *, by, message, new_starts):
    """Move or cancel, together, the appointments a closure falls on, each applicant told with
    the same words. ``new_starts`` maps each appointment to its new start, or None to cancel
    it. All or nothing: a slot taken meanwhile leaves every appointment where it was."""
    _require_team(by)
    _required(message, _("Écrivez un mot aux collectivités."))
    with transaction.atomic():
        for appointment, starts_at in new_starts.items():
            if starts_at is None:
                cancel_appointment(appointment, by=by, message=message)
            else:
                reschedule(appointment, by=by, starts_at=starts_at, message=message)
    return len(new_starts)


# Messages and links


def team_writes(intake_request, *, by, body, subject=None, files=()):
    """A team member's message, with its files, emailed to the applicant and kept in the
    thread (the files are downloaded from the status page)."""
    with _locked(intake_request) as locked:
        _require_team(by)
        if locked.status == Status.SPAM:
            raise MoveNotAllowed(
                _("Impossible d'écrire : la demande est marquée comme indésirable.")
            )
        message = _reply(locked, by, MESSAGE, body, subject, files=files)
        _log(locked, "intake.message_sent", by, message=message.pk)
    return message


def team_reads(intake_request, *, by):
    """A team member opened the request: what the applicant wrote is read. No lock: a message
    that commits after this update marks the request again."""
    if by.has_perm(TRIAGE_PERMISSION):
        IntakeRequest.objects.filter(pk=intake_request.pk, unread_since__isnull=False).update(
            unread_since=None
        )


def request_links(email):
    """Someone asks for new status links for ``email``. The lookup and the emails run in the
    task queue, so that the answer and its timing are the same whether a request exists or
    not. An address gets a few such emails per window, whoever asks: a stranger asking for it
    spends its quota, but every email spent carries working links and went to the owner, so
    the owner, answered alike, finds the latest one in their mailbox."""
    email = email.strip()
    if ratelimit.address_within(email):
        transaction.on_commit(lambda: send_status_links.enqueue(email))


@task()
def send_status_links(email):
    resend_links(email)


def resend_links(email):
    """A new status link for each open request of this address; the links sent before keep
    working (each has its own token). Returns how many were sent."""
    intake_requests = list(IntakeRequest.objects.open().filter(email__iexact=email.strip()))
    for intake_request in intake_requests:
        with _locked(intake_request) as locked:
            _log(locked, "intake.link_resent")
            notifications.link_resent(locked)
    return len(intake_requests)


# The team's work on a request


def assign(intake_request, *, by, assignee):
    """Give the request to a team member (None: to nobody). A new request is then under review."""
    with _locked(intake_request) as locked:
        _check_assignment(by, assignee)
        if _assign(locked, by, assignee) and _tells_assignee(by, assignee):
            notifications.assigned(locked, by)
    return locked


def _check_assignment(by, assignee):
    _require_team(by)
    if assignee is not None and not assignee.has_perm(TRIAGE_PERMISSION):
        raise MoveRefused(_("Cette personne ne fait pas partie de l'équipe."))


def _tells_assignee(by, assignee):
    """Whoever is given a request by someone else hears of it."""
    return assignee is not None and assignee != by and bool(assignee.email)


def _assign(locked, by, assignee):
    """Give the locked request to ``assignee`` and log it; False when it already was theirs."""
    if locked.assignee_id == (assignee.pk if assignee else None):
        return False
    locked.assignee = assignee
    if assignee is not None and locked.status == Status.SUBMITTED:
        # Assigning a new request takes it in charge: the same move, without its email.
        locked.taken_at = timezone.now()
        _move(locked, TAKE, by)
    locked.save()
    _log(
        locked,
        "intake.assigned",
        by,
        assignee=assignee.pk if assignee else None,
        detail=team_member_name(assignee) if assignee else _("personne"),
    )
    return True


def _change_labels(locked, by, before, after):
    if before == after:
        return
    added = ", ".join(sorted(label.name for label in after - before))
    removed = ", ".join(sorted(label.name for label in before - after))
    detail = "; ".join(
        part
        for part in (added and _("ajout : %s") % added, removed and _("retrait : %s") % removed)
        if part
    )
    _log(locked, "intake.labels_changed", by, detail=detail)


def set_labels(intake_request, *, by, labels):
    with _locked(intake_request) as locked:
        _require_team(by)
        before, after = set(locked.labels.all()), set(labels)
        locked.labels.set(after)
        _change_labels(locked, by, before, after)
    return locked


def add_label(intake_request, *, by, label):
    """One more label, read and written under the lock: concurrent additions all stay."""
    with _locked(intake_request) as locked:
        _require_team(by)
        before = set(locked.labels.all())
        locked.labels.add(label)
        _change_labels(locked, by, before, before | {label})
    return locked


def add_note(intake_request, *, by, body, pinned=False):
    with _locked(intake_request) as locked:
        _require_team(by)
        note = InternalNote.objects.create(
            request=locked,
            author=by,
            body=_required(body, _("Écrivez la note.")),
            pinned=pinned,
        )
        _log(locked, "intake.note_added", by, note=note.pk)
    return note


def pin_note(note, *, by, pinned):
    with _locked(note.request) as locked:
        _require_team(by)
        note.pinned = pinned
        note.save(update_fields=["pinned"])
        _log(locked, "intake.note_pinned", by, note=note.pk, pinned=pinned)
    return note


# The team's handling of appointments


def confirm_appointment(appointment, *, by, video_link):
    """Confirm a booked slot and give (or change) its video link; the invitation is updated."""
    with _locked(appointment.request) as locked:
        _require_team(by)
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.status != Appointment.Status.BOOKED:
            raise booking.AppointmentNotBooked()
        video_link = video_link.strip()
        if current.confirmed_at and current.video_link == video_link:
            return current  # confirmed already, with this link: nothing to tell
        # Once confirmed, a new link is only that: the applicant is told so.
        change = "link_changed" if current.confirmed_at else "confirmed"
        current.video_link = video_link
        current.confirmed_at = current.confirmed_at or timezone.now()
        current.ics_sequence += 1
        current.save(update_fields=["video_link", "confirmed_at", "ics_sequence", "updated_at"])
        action = (
            "intake.appointment_link_changed"
            if change == "link_changed"
            else "intake.appointment_confirmed"
        )
        _log_appointment(locked, action, by, current)
        notifications.appointment_changed(current, change=change)
    return current


def record_outcome(appointment, *, by, held):
    """The appointment took place (or nobody came). A session held restarts the cadence's
    count; the first one held on an accepted request starts the accompaniment."""
    with _locked(appointment.request) as locked:
        _require_team(by)
        if not appointment.has_started:
            raise MoveRefused(_("Ce rendez-vous n'a pas encore eu lieu."))
        status = Appointment.Status.HELD if held else Appointment.Status.NO_SHOW
        ended = appointments.end(appointment, status)
        action = "intake.appointment_held" if held else "intake.appointment_no_show"
        _log_appointment(locked, action, by, ended)
        # Held or not, it may change which session was the first held.
        delays.record(locked)
        if held:
            accompaniments.session_held(locked, timezone.localdate(ended.starts_at))
            if locked.status == Status.ACCEPTED:
                accompaniments.started(locked, timezone.localdate())
                _move(locked, START, by)
            else:
                locked.save(update_fields=accompaniments.CADENCE_FIELDS)
        if not held and locked.is_open:
            notifications.appointment_missed(ended)
    return ended
