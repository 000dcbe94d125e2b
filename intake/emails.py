"""The messages the service sends: rendered from templates (text + HTML), stored in the outbox."""

import base64

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from home.models import PortalSettings

from .ics import appointment_ics
from .models import AccessToken, OutgoingEmail, TeamSettings


def team_address():
    return TeamSettings.load().notification_address


def status_url(token):
    return settings.BASE_URL + reverse("intake:tracking", args=[token])


def new_status_url(request):
    """A status link of its own for one email: the links sent before keep working."""
    return status_url(AccessToken.issue(request))


def request_admin_url(request):
    """The team's page of the request, where every notification to the team leads."""
    return settings.BASE_URL + reverse("intake_requests:edit", args=[request.pk])


def queue(kind, to, context, request=None, attachments=()):
    """Render templates/intake/emails/<kind>.{txt,html} and store the email for delivery."""
    context = {**context, "portal": PortalSettings.load(), "base_url": settings.BASE_URL}
    subject = render_to_string(f"intake/emails/{kind}_subject.txt", context).strip()
    return OutgoingEmail.objects.create(
        request=request,
        kind=kind,
        to=list(to),
        subject=" ".join(subject.split()),
        body_text=render_to_string(f"intake/emails/{kind}.txt", context),
        body_html=render_to_string(f"intake/emails/{kind}.html", context),
        attachments=[
            {
                "filename": filename,
                "content": base64.b64encode(content).decode(),
                "mimetype": mimetype,
            }
            for filename, content, mimetype in attachments
        ],
    )


def appointment_attachment(appointment, link, cancelled=False):
    method = "CANCEL" if cancelled else "REQUEST"
    return (
        "rendez-vous.ics",
        appointment_ics(appointment, link, team_address(), cancelled),
        f"text/calendar; charset=utf-8; method={method}",
    )


def to_message(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message
