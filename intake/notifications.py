"""Which emails each event sends, and to whom.

Called inside the event's transaction: the emails are stored with the change itself and
handed to the task queue only once it commits, so a failing email never rolls a request
back, and a rolled-back request never sends one. Every email to an applicant carries a status
link of its own; every email to the team links to the request's page in the admin.
"""

from django.db import transaction

from . import emails
from .models import fill_variables
from .tasks import deliver_email


def _send(*queued):
    for email in queued:
        transaction.on_commit(lambda pk=email.pk: deliver_email.enqueue(pk))


def _team_context(request, **context):
    return {"request": request, "admin_url": emails.request_admin_url(request), **context}


def _follower_address(request):
    """Who hears of the applicant's doings: the request's assignee, or else the team."""
    if request.assignee_id and request.assignee.email:
        return request.assignee.email
    return emails.team_address()


def request_submitted(request, token):
    """Acknowledgement to the applicant (with the appointment invitation) and team notice."""
    appointment = request.booked_appointment
    link = emails.status_url(token)
    attachments = [emails.appointment_attachment(appointment, link)] if appointment else []
    context = {"request": request, "appointment": appointment, "status_url": link}
    _send(
        emails.queue("acknowledgement", [request.email], context, request, attachments),
        emails.queue(
            "team_notification",
            [emails.team_address()],
            _team_context(request, appointment=appointment),
            request,
        ),
    )


def team_reply(message, subject):
    """The team's message to the applicant, with a status link of its own."""
    request = message.request
    link = {"lien_suivi": emails.new_status_url(request)}
    context = {
        "request": request,
        "subject": fill_variables(subject, link),
        "body": fill_variables(message.body, link),
    }
    _send(emails.queue("team_reply", [request.email], context, request))


def appointment_changed(appointment, *, cancelled=False):
    """The applicant's updated invitation (or its cancellation), with a fresh status link."""
    request = appointment.request
    link = emails.new_status_url(request)
    context = {
        "request": request,
        "appointment": appointment,
        "cancelled": cancelled,
        "status_url": link,
    }
    attachment = emails.appointment_attachment(appointment, link, cancelled)
    _send(emails.queue("appointment_changed", [request.email], context, request, [attachment]))


def applicant_changed_appointment(appointment, *, cancelled=False):
    request = appointment.request
    context = _team_context(request, appointment=appointment, cancelled=cancelled)
    _send(emails.queue("team_appointment_changed", [_follower_address(request)], context, request))


def applicant_wrote(message):
    request = message.request
    context = _team_context(request, message=message)
    _send(emails.queue("team_message", [_follower_address(request)], context, request))


def applicant_withdrew(request):
    _send(
        emails.queue(
            "team_status_changed", [_follower_address(request)], _team_context(request), request
        )
    )


def assigned(request, by):
    context = _team_context(request, by=by)
    _send(emails.queue("team_assigned", [request.assignee.email], context, request))


def link_resent(request, token):
    context = {"request": request, "status_url": emails.status_url(token)}
    _send(emails.queue("lost_link", [request.email], context, request))
