"""Which emails each event sends, and to whom.

Called inside the event's transaction: the emails are stored with the change itself and
handed to the task queue only once it commits, so a failing email never rolls a request
back, and a rolled-back request never sends one. Every email to an applicant carries a status
link of its own, issued as it leaves (the stored email holds a placeholder, never a token);
every email to the team links to the request's page in the admin.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import emails
from .models import TRIAGE_PERMISSION, fill_variables
from .replies import team_member_name
from .tasks import deliver_email


def _send(*queued):
    for email in queued:
        transaction.on_commit(lambda pk=email.pk: deliver_email.enqueue(pk))


def _team_context(intake_request, **context):
    return {
        "request": intake_request,
        "admin_url": emails.request_admin_url(intake_request),
        **context,
    }


def _applicant_context(intake_request, **context):
    """An email to the applicant carries its own status link, issued as it leaves."""
    return {"request": intake_request, "status_url": emails.link_placeholder(), **context}


def _member_address(user):
    """A team member's address while they are one: a deactivated account, or someone who
    left the team, no longer hears of the requests."""
    if user is not None and user.is_active and user.email and user.has_perm(TRIAGE_PERMISSION):
        return user.email
    return None


def _follower_address(intake_request):
    """Who hears of the applicant's doings: the request's assignee, or else the team."""
    return _member_address(intake_request.assignee) or emails.team_address()


def request_submitted(intake_request):
    """Acknowledgement to the applicant (with the appointment invitation) and team notice."""
    appointment = intake_request.booked_appointment
    attachments = [emails.appointment_attachment(appointment)] if appointment else []
    context = _applicant_context(intake_request, appointment=appointment)
    _send(
        emails.queue(
            "acknowledgement", [intake_request.email], context, intake_request, attachments
        ),
        emails.queue(
            "team_notification",
            [emails.team_address()],
            _team_context(intake_request, appointment=appointment),
            intake_request,
        ),
    )


def team_reply(message, *, subject, text, values, partner=None):
    """The team's message to the applicant: ``subject`` and ``text`` as the team wrote them,
    filled with ``values``, where the team's own {lien_suivi} becomes a link of its own (never
    one that the applicant's details bring in). A redirection gives the partner's contact
    details after the message."""
    intake_request = message.request
    values = {**values, "lien_suivi": emails.link_placeholder()}
    context = _applicant_context(
        intake_request,
        subject=fill_variables(subject, values),
        body=fill_variables(text, values),
        partner=partner,
        attachments=list(message.attachments.all()),
    )
    _send(emails.queue("team_reply", [intake_request.email], context, intake_request))


def appointment_changed(appointment, *, change, message=None, previous_starts_at=None):
    """The applicant's invitation after a change ("booked", "moved" from
    ``previous_starts_at``, "confirmed", "link_changed") or its cancellation ("cancelled"),
    with the team's words if any and a fresh status link."""
    intake_request = appointment.request
    context = _applicant_context(
        intake_request,
        appointment=appointment,
        change=change,
        message=message,
        previous_starts_at=previous_starts_at,
    )
    attachment = emails.appointment_attachment(appointment, cancelled=change == "cancelled")
    _send(
        emails.queue(
            "appointment_changed", [intake_request.email], context, intake_request, [attachment]
        )
    )
    _invite_team(appointment, change=change, previous_starts_at=previous_starts_at)


def appointment_reminder(appointment):
    """Two days before: the applicant, with their status link, and each host."""
    intake_request = appointment.request
    context = _applicant_context(intake_request, appointment=appointment)
    queued = [emails.queue("appointment_reminder", [intake_request.email], context, intake_request)]
    members = team_attendees(appointment)
    team_context = _team_context(
        intake_request,
        appointment=appointment,
        hosts=[team_member_name(member) for member in members],
    )
    queued += [
        emails.queue("team_appointment_reminder", [member.email], team_context, intake_request)
        for member in members
    ]
    _send(*queued)


def team_attendees(appointment):
    """The team members an appointment's invitation reaches: those who hold it, or else, for a
    first exchange, the request's assignee; only while they are in the team."""
    members = list(appointment.hosts.all())
    if not members and appointment.kind == appointment.Kind.FIRST_EXCHANGE:
        members = [appointment.request.assignee]
    return [member for member in members if _member_address(member)]


def _invite_team(appointment, *, change, previous_starts_at=None):
    """The team's copy of each change of an invitation, in each member's own calendar (the
    same UID as the applicant's), linking to the request's page, never to the status link."""
    intake_request = appointment.request
    members = team_attendees(appointment)
    if not members:
        return
    admin_url = emails.request_admin_url(intake_request)
    attendees = [(team_member_name(member), member.email) for member in members]
    attachment = emails.appointment_attachment(
        appointment, cancelled=change == "cancelled", link=admin_url, attendees=attendees
    )
    context = _team_context(
        intake_request,
        appointment=appointment,
        change=change,
        previous_starts_at=previous_starts_at,
        hosts=[name for name, _email in attendees],
    )
    _send(
        *(
            emails.queue("team_invitation", [email], context, intake_request, [attachment])
            for _member, email in attendees
        )
    )


def appointment_missed(appointment):
    """Nobody came: the applicant is offered to choose a new slot from their status page."""
    intake_request = appointment.request
    context = _applicant_context(intake_request, appointment=appointment)
    _send(emails.queue("appointment_missed", [intake_request.email], context, intake_request))


def applicant_changed_appointment(appointment, *, cancelled=False, previous_starts_at=None):
    intake_request = appointment.request
    context = _team_context(
        intake_request,
        appointment=appointment,
        cancelled=cancelled,
        previous_starts_at=previous_starts_at,
    )
    _send(
        emails.queue(
            "team_appointment_changed", [_follower_address(intake_request)], context, intake_request
        )
    )


def applicant_wrote(message, *, already_unread):
    """The team hears of the applicant's message, unless it was told of this request's unread
    messages less than RATELIMIT_MESSAGE_NOTICE_WINDOW ago: the later ones wait in the thread,
    marked new, rather than flooding the team's mailbox."""
    intake_request = message.request
    if already_unread and _told_of_messages_lately(intake_request):
        return
    context = _team_context(intake_request, message=message, quiet_minutes=_notice_window_minutes())
    _send(
        emails.queue("team_message", [_follower_address(intake_request)], context, intake_request)
    )


def _told_of_messages_lately(intake_request):
    since = timezone.now() - timedelta(seconds=settings.RATELIMIT_MESSAGE_NOTICE_WINDOW)
    return intake_request.emails.filter(kind="team_message", created_at__gte=since).exists()


def _notice_window_minutes():
    return math.ceil(settings.RATELIMIT_MESSAGE_NOTICE_WINDOW / 60)


def applicant_withdrew(intake_request):
    _send(
        emails.queue(
            "team_status_changed",
            [_follower_address(intake_request)],
            _team_context(intake_request),
            intake_request,
        )
    )


def assigned(intake_request, by):
    address = _member_address(intake_request.assignee)
    if address is not None:
        context = _team_context(intake_request, by=by)
        _send(emails.queue("team_assigned", [address], context, intake_request))


def assigned_many(intake_requests, by, assignee):
    """One email to the assignee for a bulk assignment, listing each request."""
    if len(intake_requests) == 1:
        return assigned(intake_requests[0], by)
    rows = [
        (intake_request, emails.request_admin_url(intake_request))
        for intake_request in intake_requests
    ]
    context = {"rows": rows, "count": len(rows), "by": by}
    _send(emails.queue("team_assigned_many", [assignee.email], context))


def link_resent(intake_request):
    context = _applicant_context(intake_request)
    _send(emails.queue("lost_link", [intake_request.email], context, intake_request))


def email_corrected(intake_request):
    """The team corrected the applicant's address: a status link reaches the new one."""
    context = _applicant_context(intake_request)
    _send(emails.queue("email_corrected", [intake_request.email], context, intake_request))


def daily_digest(member, day, sections):
    """The team member's digest of ``day``: its sections, each row linking to its request."""
    context = {
        "member": member,
        "day": day,
        "sections": sections,
        "account_url": settings.BASE_URL + reverse("wagtailadmin_account"),
    }
    _send(emails.queue("team_digest", [member.email], context))


def awaiting_reminder(intake_request, *, days):
    """The applicant has not answered the team's question for ``days`` days: reminded, with a
    status link of its own to answer from."""
    context = _applicant_context(intake_request, days=days)
    _send(emails.queue("awaiting_reminder", [intake_request.email], context, intake_request))
