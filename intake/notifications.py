"""Which emails each event sends, and to whom.

Called inside the event's transaction: the emails are stored with the change itself and
handed to the task queue only once it commits, so a failing email never rolls a request
back, and a rolled-back request never sends one.
"""

from django.db import transaction

from . import emails
from .tasks import deliver_email


def _send(*queued):
    for email in queued:
        transaction.on_commit(lambda pk=email.pk: deliver_email.enqueue(pk))


def request_submitted(request, token):
    """Acknowledgement to the applicant (with the appointment invitation) and team notice."""
    appointment = request.booked_appointment
    attachments = [emails.appointment_attachment(appointment, token)] if appointment else []
    context = {
        "request": request,
        "appointment": appointment,
        "status_url": emails.status_url(token),
    }
    _send(
        emails.queue("acknowledgement", [request.email], context, request, attachments),
        emails.queue("team_notification", [emails.team_address()], context, request),
    )


def appointment_changed(appointment, token=None, cancelled=False):
    request = appointment.request
    context = {
        "request": request,
        "appointment": appointment,
        "cancelled": cancelled,
        "status_url": emails.status_url(token) if token else None,
    }
    email = emails.queue(
        "appointment_changed",
        [request.email],
        context,
        request,
        [emails.appointment_attachment(appointment, token, cancelled)],
    )
    _send(email)


def status_changed(request, action):
    context = {"request": request, "action": action}
    _send(emails.queue("team_status_changed", [emails.team_address()], context, request))


def applicant_message(message):
    context = {"request": message.request, "message": message}
    _send(emails.queue("team_message", [emails.team_address()], context, message.request))


def link_resent(request, token):
    context = {"request": request, "status_url": emails.status_url(token)}
    _send(emails.queue("lost_link", [request.email], context, request))
