"""Every write to a request, its appointments, messages, notes and labels.

Each command runs in one transaction on the locked request row, checks the move (status and
permission), writes, records the event in Wagtail's audit log and schedules its emails, which
leave only once the transaction commits. ``by`` is the team member acting, or None for the
applicant (who acts through the private status link). Commands return what they changed.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from home.models import PortalSettings

from .. import attachments, booking, notifications, ratelimit
from ..booking import slot_label
from ..models import (
    TRIAGE_PERMISSION,
    AccessToken,
    Appointment,
    IntakeRequest,
    InternalNote,
    ReferenceCounter,
    ReplyTemplate,
    RequestMessage,
    fill_variables,
)
from ..replies import default_draft, team_member_name, variables
from ..text import normalise
from .moves import MoveNotAllowed, MoveNotPermitted, MoveRefused, check

Status = IntakeRequest.Status
Purpose = ReplyTemplate.Purpose


@contextmanager
def _locked(request):
    """The request's row, locked until the transaction ends: concurrent events queue up."""
    with transaction.atomic():
        yield IntakeRequest.objects.select_for_update().get(pk=request.pk)


def _log(request, action, by=None, **data):
    """Record the event; the search text is refreshed with it, so that the queue finds what
    any command wrote (a message, a note, corrected contact details)."""
    log(request, action, user=by, data=data or None)
    _index(request)


def _index(request):
    """Store what the queue's search reads of the request: its own fields, its messages and
    its internal notes, normalised."""
    messages = RequestMessage.objects.filter(request=request).order_by().values_list("body")
    notes = InternalNote.objects.filter(request=request).order_by().values_list("body")
    texts = [body for (body,) in messages.union(notes, all=True)]
    request.search_text = request.search_document(texts)
    IntakeRequest.objects.filter(pk=request.pk).update(search_text=request.search_text)


def _require_team(by):
    if by is None or not by.has_perm(TRIAGE_PERMISSION):
        raise MoveNotPermitted()


def _required(value, message):
    value = (value or "").strip()
    if not value:
        raise MoveRefused(message)
    return value


def _move(request, name, by, **data):
    """Apply the move ``name`` to the locked ``request``: status, clock, end, audit log."""
    move = check(name, request, by)
    now = timezone.now()
    today = timezone.localdate(now)
    request.status = move.target
    if move.decides and request.decided_at is None:
        # The first decision answers the request; a later one (a withdrawal after the
        # acceptance) does not move the answer's date.
        if request.paused_on is not None:
            request.resume_response_clock(today)
        request.decided_at = now
    if move.target in IntakeRequest.OPEN_STATUSES:
        request.ended_at = None
    else:
        request.ended_at = now
    request.save()
    _log(request, f"intake.{name}", by, **data)
    if move.frees_slots:
        _free_slots(request, by, notify=name != "spam")
    return request


def _free_slots(request, by, *, notify):
    """Cancel what the request had booked, and send the calendars their cancellation."""
    for appointment in request.appointments.booked():
        booking.cancel(appointment, by="team" if by else "applicant")
        _log_appointment(request, "intake.appointment_cancelled", by, appointment)
        if notify:
            notifications.appointment_changed(appointment, change="cancelled")


def _reply(request, by, purpose, message, subject, partner=None):
    """Store the team's message (the thread shows it) and email it to the applicant."""
    if message is None or subject is None:
        default_subject, default_message = default_draft(purpose, request, by=by, partner=partner)
        message = default_message if message is None else message
        subject = default_subject if subject is None else subject
    values = variables(request, by=by, partner=partner)
    message = _required(message, _("Écrivez le message à la collectivité."))
    subject = _required(subject, _("Indiquez l'objet du courriel."))
    reply = RequestMessage.objects.create(
        request=request,
        author=RequestMessage.Author.TEAM,
        sender=by,
        body=fill_variables(message, values),
    )
    _index(request)
    notifications.team_reply(reply, subject=subject, text=message, values=values)
    return reply


# Submission


@dataclass
class Submission:
    request: IntakeRequest
    token: str | None  # None when the same form was already received
    created: bool


def already_received(submission_key):
    """The request a form with this key created, if it was sent before."""
    if submission_key is None:
        return None
    return IntakeRequest.objects.filter(submission_key=submission_key).first()


def submit(data, *, submission_key, slot=None):
    """Store the request (and book its slot) in one transaction, exactly once per form.

    Raises booking.SlotUnavailable, leaving nothing behind, when the slot went meanwhile.
    """
    existing = already_received(submission_key)
    if existing:
        return Submission(existing, None, False)
    try:
        with transaction.atomic():
            return _create(data, submission_key, slot)
    except IntegrityError:
        # A concurrent copy of the same form (double click) won the race.
        existing = already_received(submission_key)
        if existing is None:
            raise
        return Submission(existing, None, False)


def _create(data, submission_key, slot):
    now = timezone.now()
    today = timezone.localdate(now)
    data = dict(data)
    themes = data.pop("themes", [])
    collectivite = data.get("collectivite")
    request = IntakeRequest(
        **data,
        submission_key=submission_key,
        reference=ReferenceCounter.next_reference(today.year),
        consent_at=now,
        created_at=now,
        collectivite_search_name="" if collectivite else normalise(data["collectivite_name"]),
    )
    request.start_response_clock(today, PortalSettings.load().response_delay_days)
    request.related_open_request = (
        IntakeRequest.objects.open().same_collectivite_as(request).first()
    )
    request.save()
    request.themes.set(themes)
    token = AccessToken.issue(request)
    if slot is not None:
        booking.book(request, slot.starts_at, now=now)
    _log(request, "intake.submitted")
    notifications.request_submitted(request)
    return Submission(request, token, True)


# Appointments


def _check_open(request):
    """Nobody books, moves or writes for an ended request."""
    if not request.is_open:
        raise MoveNotAllowed(_("Cette demande est terminée."))


def _log_appointment(request, action, by, appointment, **data):
    _log(
        request,
        action,
        by,
        appointment=appointment.pk,
        detail=slot_label(appointment.starts_at),
        **data,
    )


def applicant_books(request, *, starts_at):
    """The applicant takes a slot, or moves the one they have; the team is told."""
    with _locked(request) as locked:
        _check_open(locked)
        current = locked.booked_appointment
        if current is None:
            appointment = booking.book(locked, starts_at)
            change, action = "booked", "intake.appointment_booked"
        else:
            appointment = booking.reschedule(current, starts_at)
            change, action = "moved", "intake.appointment_rescheduled"
        _log_appointment(locked, action, None, appointment)
        notifications.appointment_changed(appointment, change=change)
        notifications.applicant_changed_appointment(appointment)
    return appointment


def team_books(request, *, by, starts_at, kind=Appointment.Kind.WORKING_SESSION):
    """A team member books a slot for the request (another session, a first exchange)."""
    with _locked(request) as locked:
        _require_team(by)
        _check_open(locked)
        appointment = booking.book(locked, starts_at, kind=kind)
        _log_appointment(locked, "intake.appointment_booked", by, appointment)
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
        moved = booking.reschedule(appointment, starts_at)
        _log_appointment(locked, "intake.appointment_rescheduled", by, moved, message=words.pk)
        notifications.appointment_changed(moved, change="moved", message=words.body)
    return moved


def cancel_appointment(appointment, *, by=None, message=None):
    """The applicant cancels their appointment, or a team member does, with a word to them."""
    if appointment is None:
        raise booking.AppointmentNotBooked()
    with _locked(appointment.request) as locked:
        return _cancel(locked, appointment, by=by, message=message)


def _cancel(locked, appointment, *, by, message):
    words = None
    if by is not None:
        _require_team(by)
        words = _appointment_words(locked, by, message)
    cancelled = booking.cancel(appointment, by="team" if by else "applicant")
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
                with _locked(appointment.request) as locked:
                    _cancel(locked, appointment, by=by, message=message)
            else:
                reschedule(appointment, by=by, starts_at=starts_at, message=message)
    return len(new_starts)


# The applicant, from the status page


def withdraw(request, *, by=None):
    with _locked(request) as locked:
        _move(locked, "withdraw", by)
        _reply(locked, by, Purpose.WITHDRAW, None, None)
        notifications.applicant_withdrew(locked)
    return locked


def applicant_writes(request, *, body, files=()):
    """The applicant's message (from the status page or by email) reaches the team, with its
    files, and answers a question the team asked."""
    with _locked(request) as locked:
        _check_open(locked)
        message = RequestMessage.objects.create(
            request=locked,
            author=RequestMessage.Author.APPLICANT,
            body=_required(body, _("Écrivez votre message.")),
        )
        if files:
            attachments.store(message, list(files))
        _log(locked, "intake.message_received", message=message.pk)
        if locked.status == Status.AWAITING_APPLICANT:
            locked.resume_response_clock(timezone.localdate())
            _move(locked, "reply", None)
        notifications.applicant_wrote(message)
    return message


def team_writes(request, *, by, body, subject=None):
    """A team member's message, emailed to the applicant and kept in the thread."""
    with _locked(request) as locked:
        _require_team(by)
        if locked.status == Status.SPAM:
            raise MoveNotAllowed(
                _("Impossible d'écrire : la demande est marquée comme indésirable.")
            )
        message = _reply(locked, by, Purpose.MESSAGE, body, subject)
        _log(locked, "intake.message_sent", by, message=message.pk)
    return message


def request_links(email):
    """Someone asks for new status links for ``email``. The lookup and the emails run in the
    task queue, so that the answer and its timing are the same whether a request exists or
    not; an address gets a few such emails per window, whoever asks."""
    email = email.strip()
    if ratelimit.address_exhausted(email):
        return
    ratelimit.address_spends(email)
    transaction.on_commit(lambda: send_status_links.enqueue(email))


@task()
def send_status_links(email):
    resend_links(email)


def resend_links(email):
    """A new status link for each open request of this address; the links sent before keep
    working (each has its own token). Returns how many were sent."""
    requests = list(IntakeRequest.objects.open().filter(email__iexact=email.strip()))
    for request in requests:
        with _locked(request) as locked:
            _log(locked, "intake.link_resent")
            notifications.link_resent(locked)
    return len(requests)


# The team's moves


def take(request, *, by, message=None, subject=None):
    """Take the request in charge: it is under review, and ``by`` follows it."""
    with _locked(request) as locked:
        check("take", locked, by)
        locked.assignee, locked.taken_at = by, timezone.now()
        _move(locked, "take", by)
        _reply(locked, by, Purpose.TAKE, message, subject)
    return locked


def ask(request, *, by, message, subject=None):
    """Ask the applicant for information: the request waits and its response clock pauses."""
    with _locked(request) as locked:
        check("ask", locked, by)
        _required(message, _("Écrivez la question posée à la collectivité."))
        locked.pause_response_clock(timezone.localdate())
        _move(locked, "ask", by)
        _reply(locked, by, Purpose.ASK, message, subject)
    return locked


def accept(request, *, by, message=None, subject=None):
    with _locked(request) as locked:
        _move(locked, "accept", by)
        _reply(locked, by, Purpose.ACCEPT, message, subject)
    return locked


def redirect(request, *, by, partner, message, subject=None):
    """Send the applicant to a partner better placed to help; the request ends here."""
    with _locked(request) as locked:
        check("redirect", locked, by)
        if partner is None:
            raise MoveRefused(_("Choisissez le partenaire vers lequel orienter la demande."))
        _required(message, _("Écrivez le message qui présente le partenaire à la collectivité."))
        locked.partner, locked.partner_name = partner, partner.name
        _move(locked, "redirect", by, partner=partner.pk, detail=partner.name)
        _reply(locked, by, Purpose.REDIRECT, message, subject, partner=partner)
    return locked


def decline(request, *, by, reason, message=None, subject=None):
    with _locked(request) as locked:
        check("decline", locked, by)
        locked.decision_note = _required(reason, _("Indiquez le motif du refus."))
        _move(locked, "decline", by, detail=locked.decision_note)
        _reply(locked, by, Purpose.DECLINE, message, subject)
    return locked


def mark_duplicate(request, *, by, original, message=None, subject=None):
    """The request repeats ``original``: it ends, linked to it, and the original records it."""
    with _locked(request) as locked:
        check("duplicate", locked, by)
        if original is None:
            raise MoveRefused(_("Indiquez la demande d'origine."))
        original = IntakeRequest.objects.get(pk=original.pk)  # as it stands now
        if original.pk == locked.pk:
            raise MoveRefused(_("Une demande ne peut pas être le doublon d'elle-même."))
        if original.duplicate_of_id:
            raise MoveRefused(
                _("%(original)s est elle-même un doublon : choisissez la demande d'origine.")
                % {"original": original.reference}
            )
        locked.duplicate_of = original
        _move(locked, "duplicate", by, original=original.pk, detail=original.reference)
        _log(original, "intake.duplicate_linked", by, duplicate=locked.pk, detail=locked.reference)
        _reply(locked, by, Purpose.DUPLICATE, message, subject)
    return locked


def mark_spam(request, *, by):
    """Not a real request: it ends, its slot is freed, and nobody is emailed."""
    with _locked(request) as locked:
        _move(locked, "spam", by)
    return locked


def start(request, *, by):
    with _locked(request) as locked:
        _move(locked, "start", by)
    return locked


def close(request, *, by, summary, message=None, subject=None):
    with _locked(request) as locked:
        check("close", locked, by)
        locked.closing_summary = _required(summary, _("Rédigez le bilan de l'accompagnement."))
        _move(locked, "close", by, detail=locked.closing_summary)
        _reply(locked, by, Purpose.CLOSE, message, subject)
    return locked


def reopen(request, *, by, reason, message=None, subject=None):
    """Bring an ended request back to review; its response clock starts again."""
    with _locked(request) as locked:
        check("reopen", locked, by)
        reason = _required(reason, _("Indiquez pourquoi la demande est rouverte."))
        was_spam = locked.status == Status.SPAM
        locked.start_response_clock(timezone.localdate(), PortalSettings.load().response_delay_days)
        _move(locked, "reopen", by, detail=reason)
        if not was_spam:
            _reply(locked, by, Purpose.REOPEN, message, subject)
    return locked


# The team's work on a request


def assign(request, *, by, assignee):
    """Give the request to a team member (None: to nobody). A new request is then under review."""
    with _locked(request) as locked:
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
        _move(locked, "take", by)
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


def set_labels(request, *, by, labels):
    with _locked(request) as locked:
        _require_team(by)
        before, after = set(locked.labels.all()), set(labels)
        locked.labels.set(after)
        _change_labels(locked, by, before, after)
    return locked


def add_label(request, *, by, label):
    """One more label, read and written under the lock: concurrent additions all stay."""
    with _locked(request) as locked:
        _require_team(by)
        before = set(locked.labels.all())
        locked.labels.add(label)
        _change_labels(locked, by, before, before | {label})
    return locked


def add_note(request, *, by, body, pinned=False):
    with _locked(request) as locked:
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
    """The appointment took place (or nobody came). A first session held on an accepted
    request starts the accompaniment."""
    with _locked(appointment.request) as locked:
        _require_team(by)
        if not appointment.has_started:
            raise MoveRefused(_("Ce rendez-vous n'a pas encore eu lieu."))
        status = Appointment.Status.HELD if held else Appointment.Status.NO_SHOW
        ended = booking.end(appointment, status)
        action = "intake.appointment_held" if held else "intake.appointment_no_show"
        _log_appointment(locked, action, by, ended)
        if held and locked.status == Status.ACCEPTED:
            _move(locked, "start", by)
        if not held and locked.is_open:
            notifications.appointment_missed(ended)
    return ended


# The command behind each move the team chooses on a request page.
MOVE_COMMANDS = {
    "take": take,
    "start": start,
    "ask": ask,
    "accept": accept,
    "redirect": redirect,
    "decline": decline,
    "duplicate": mark_duplicate,
    "spam": mark_spam,
    "close": close,
    "reopen": reopen,
}
