"""Every email of the service as mail clients read it: parsed with Python's email package, its
MIME tree (the invitation inside the alternative part, with its method, where Outlook looks),
its headers, its calendar read by icalendar, and its HTML checked by the Nu Html Checker."""

import html
import re
import uuid
from email import message_from_bytes, policy

import icalendar
import pytest
from django.core import mail

from intake import booking
from intake.fields import slot_value
from intake.lifecycle import commands
from tests.html_validity import assert_valid_html
from tests.intake.factories import status_link

pytestmark = pytest.mark.django_db

APPLICANT = "camille@example.fr"
TEAM = "equipe@example.fr"
KINDS = {
    "acknowledgement",
    "team_notification",
    "team_reply",
    "appointment_changed",
    "team_appointment_changed",
    "team_message",
    "team_status_changed",
    "team_assigned",
    "team_invitation",
    "lost_link",
}


@pytest.fixture
def every_email(
    request_fields, first_slot, committed, team_member, other_team_member, settings, client
):
    """Each kind of email, sent by the event that sends it."""
    settings.TEAM_NOTIFICATION_EMAIL = TEAM
    submission = committed(
        commands.submit, request_fields, submission_key=uuid.uuid4(), slot=first_slot
    )
    request = submission.intake_request
    committed(commands.take, request, by=team_member)
    committed(commands.assign, request, by=team_member, assignee=other_team_member)
    other = next(
        slot for slot in booking.available_slots() if slot.starts_at != first_slot.starts_at
    )
    committed(
        client.post,
        status_link(request),
        {"action": "book", "slot-slot": slot_value(other)},
    )
    committed(commands.applicant_writes, request, body="Bonjour, une question.")
    committed(commands.resend_links, APPLICANT)
    committed(commands.withdraw, request)
    sent = {}
    for email in request.emails.order_by("pk"):
        sent.setdefault(email.kind, []).append(email)
    assert set(sent) == KINDS
    return request, list(mail.outbox)


def parsed(message):
    return message_from_bytes(message.message().as_bytes(), policy=policy.default)


def tree(part):
    """The MIME structure, e.g. ("multipart/mixed", [("multipart/alternative", [...]), …])."""
    if part.is_multipart():
        return (part.get_content_type(), [tree(child) for child in part.iter_parts()])
    return part.get_content_type()


def test_every_email_has_the_headers_clients_expect(every_email):
    request, messages = every_email
    for message in messages:
        email = parsed(message)
        assert email["From"] == "Territoires d'engagement <ne-pas-repondre@anct.gouv.fr>"
        assert email["Auto-Submitted"] == "auto-generated"
        assert email["Reply-To"] == TEAM
        assert re.fullmatch(r"<[^@>]+@anct\.gouv\.fr>", email["Message-ID"]), email["Message-ID"]
        assert email["Subject"] and "\n" not in email["Subject"]


def test_invitations_sit_in_the_alternative_part_with_their_method(every_email):
    request, messages = every_email
    calendars = [message for message in messages if message.attachments]
    # The acknowledgement; the move and the withdrawal's cancellation, each to the applicant
    # and to the assignee who holds the first exchange.
    assert len(calendars) == 5
    for message in calendars:
        email = parsed(message)
        assert tree(email) == (
            "multipart/mixed",
            [
                ("multipart/alternative", ["text/plain", "text/html", "text/calendar"]),
                "application/ics",
            ],
        )
        alternative = next(email.iter_parts())
        calendar_part = list(alternative.iter_parts())[2]
        method = calendar_part.get_param("method")
        calendar = icalendar.Calendar.from_ical(calendar_part.get_content())
        assert str(calendar["METHOD"]) == method
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]).endswith("@territoires-engagement")
        assert event["DTSTART"].dt < event["DTEND"].dt
        attachment = list(email.iter_parts())[1]
        assert attachment.get_filename() == "rendez-vous.ics"
        # A text part travels with the line ends of the wire; the file keeps iCalendar's CRLF.
        assert attachment.get_content().replace(b"\r\n", b"\n") == (
            calendar_part.get_content().encode()
        )


def test_an_update_keeps_the_uid_and_raises_the_sequence(every_email):
    request, messages = every_email
    events = []
    for message in messages:
        if message.attachments:
            calendar = icalendar.Calendar.from_ical(message.attachments[0][1])
            [event] = calendar.walk("VEVENT")
            attendees = [str(attendee) for attendee in event.get("ATTENDEE", [])]
            if isinstance(event.get("ATTENDEE"), str):
                attendees = [str(event["ATTENDEE"])]
            events.append((message.to, str(calendar["METHOD"]), int(event["SEQUENCE"]), attendees))
            assert (
                str(event["UID"]) == f"{request.appointments.get().ics_uid}@territoires-engagement"
            )
    member = "mailto:dominique.agent@example.org"
    assert events == [
        ([APPLICANT], "REQUEST", 0, [f"mailto:{APPLICANT}"]),  # acknowledgement
        ([APPLICANT], "REQUEST", 1, [f"mailto:{APPLICANT}"]),  # moved: the same event
        (["dominique.agent@example.org"], "REQUEST", 1, [member]),  # in the assignee's calendar
        ([APPLICANT], "CANCEL", 2, [f"mailto:{APPLICANT}"]),  # the withdrawal frees the slot
        (["dominique.agent@example.org"], "CANCEL", 2, [member]),
    ]


def test_emails_without_invitation_are_text_and_html(every_email):
    request, messages = every_email
    for message in messages:
        if not message.attachments:
            assert tree(parsed(message)) == ("multipart/alternative", ["text/plain", "text/html"])


def test_every_html_email_is_titled_with_its_subject_and_valid(every_email):
    request, messages = every_email
    documents = {}
    for number, message in enumerate(messages):
        [(content, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        title = re.search(r"<title>(.*?)</title>", content, re.S)[1]
        assert html.unescape(title) == message.subject
        documents[f"{number}-{message.subject}"] = content
    assert_valid_html(documents)
