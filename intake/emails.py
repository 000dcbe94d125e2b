"""The messages the service sends: rendered from templates (text + HTML), stored in the outbox."""

import base64
from email.message import Message
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac

from home.models import PortalSettings

from .ics import CANCEL, PUBLISH, REQUEST, appointment_ics, with_link
from .inbound import reply_address
from .models import AccessToken, OutgoingEmail, TeamSettings

CALENDAR = "text/calendar"


def team_address():
    return TeamSettings.load().notification_address


def status_url(token):
    return settings.BASE_URL + reverse("intake:tracking", args=[token])


def new_status_url(intake_request):
    """A status link of its own for one email: the links sent before keep working."""
    return status_url(AccessToken.issue(intake_request))


def link_placeholder():
    """What stands for the status link in a stored email, until the email leaves with a link
    of its own. Derived from the secret key and never shown, no text a person typed (an
    applicant's message or name, a reply) can hold it: only the templates put it there."""
    digest = salted_hmac("intake.status-link", "placeholder", algorithm="sha256").hexdigest()
    return f"{{lien_suivi:{digest[:32]}}}"


def _with_link(email):
    """(subject, text, HTML, attachments) of ``email`` with its status link, issued now."""
    placeholder = link_placeholder()
    parts = (email.subject, email.body_text, email.body_html)
    if not any(placeholder in part for part in parts):
        return (*parts, email.attachments)
    link = new_status_url(email.request)
    html = email.body_html.replace(f'href="{placeholder}"', f'href="{link}"')
    attachments = [
        {
            **attachment,
            "content": base64.b64encode(
                with_link(base64.b64decode(attachment["content"]), placeholder, link)
            ).decode(),
        }
        if attachment["mimetype"].startswith(CALENDAR)
        else attachment
        for attachment in email.attachments
    ]
    return (
        email.subject.replace(placeholder, link),
        email.body_text.replace(placeholder, link),
        html.replace(placeholder, f'<a href="{link}">{link}</a>'),
        attachments,
    )


def request_admin_url(intake_request):
    """The team's page of the request, where every notification to the team leads."""
    return settings.BASE_URL + reverse("intake_requests:edit", args=[intake_request.pk])


def queue(kind, to, context, intake_request=None, attachments=()):
    """Render templates/intake/emails/<kind>.{txt,html} and store the email for delivery."""
    context = {**context, "portal": PortalSettings.load(), "base_url": settings.BASE_URL}
    subject = " ".join(render_to_string(f"intake/emails/{kind}_subject.txt", context).split())
    return OutgoingEmail.objects.create(
        request=intake_request,
        kind=kind,
        to=list(to),
        subject=subject,
        body_text=render_to_string(f"intake/emails/{kind}.txt", context),
        body_html=render_to_string(
            f"intake/emails/{kind}.html", {**context, "email_subject": subject}
        ),
        attachments=[
            {
                "filename": filename,
                "content": base64.b64encode(content).decode(),
                "mimetype": mimetype,
            }
            for filename, content, mimetype in attachments
        ],
    )


def appointment_attachment(appointment, cancelled=False, link=None, attendees=None):
    """The invitation (or cancellation) an email carries. Its link is the applicant's status
    link, issued when the email leaves (``to_message`` puts it in place), unless ``link``
    names another (the request's page, for the team)."""
    method = CANCEL if cancelled else REQUEST
    return (
        "rendez-vous.ics",
        appointment_ics(
            appointment, link or link_placeholder(), team_address(), method, attendees=attendees
        ),
        f"{CALENDAR}; charset=utf-8; method={method}",
    )


def calendar_file(appointment, link):
    """The .ics the status page offers: an event to add, not an invitation to answer."""
    return appointment_ics(appointment, link, team_address(), PUBLISH)


class ServiceEmail(EmailMultiAlternatives):
    """An email of the service, as clients expect it: an automatic message whose replies reach
    the team, and whose invitation sits in the alternative part, with its method, where
    Outlook looks for it (the .ics file is attached as well)."""

    def __init__(self, *args, calendar=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if self.calendar is not None:
            content, method = self.calendar
            part = SafeMIMEText(content, "calendar", "utf-8")
            part.set_param("method", method)
            msg.attach(part)
        return msg


def _reply_to(email):
    """An email to the applicant is answered to the request's own reply address (when the
    portal has one), so that the answer lands in its thread; any other, to the team."""
    intake_request = email.request
    if intake_request is not None and email.to == [intake_request.email]:
        address = reply_address(intake_request.pk)
        if address:
            return address
    return team_address()


def _params(mimetype):
    header = Message()
    header["Content-Type"] = mimetype
    return header.get_content_type(), dict(header.get_params()[1:])


def to_message(email):
    """The email as it leaves, with a status link of its own where it has one."""
    sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    subject, body_text, body_html, attachments = _with_link(email)
    calendar = None
    files = []
    for attachment in attachments:
        content = base64.b64decode(attachment["content"])
        mimetype, params = _params(attachment["mimetype"])
        if mimetype == CALENDAR:
            calendar = (content.decode(), params.get("method", REQUEST))
            files.append((attachment["filename"], content, "application/ics"))
        else:
            files.append((attachment["filename"], content, attachment["mimetype"]))
    message = ServiceEmail(
        subject=subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        reply_to=[_reply_to(email)],
        headers={
            "Auto-Submitted": "auto-generated",
            "Message-ID": email.message_id(sender_domain),
        },
        calendar=calendar,
    )
    if body_html:
        message.attach_alternative(body_html, "text/html")
    for filename, content, mimetype in files:
        message.attach(filename, content, mimetype)
    return message
