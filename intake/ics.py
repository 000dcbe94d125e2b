"""iCalendar (.ics) documents for appointments: stable UID, SEQUENCE bumped on each change."""

import datetime

from django.utils import timezone

PRODID = "-//ANCT//Territoires d'engagement//FR"


def _parameter(text):
    """A quoted parameter value (CN=…): no quotes, no line breaks, no control characters."""
    return '"' + "".join(char for char in str(text) if char.isprintable() and char != '"') + '"'


def _escape(text):
    text = "".join(char for char in str(text) if char.isprintable() or char == "\n")
    return (
        str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def _utc(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    """Lines longer than 75 octets are folded, as RFC 5545 requires."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def appointment_ics(appointment, status_url, organiser, method=REQUEST, attendees=None):
    """One appointment as iCalendar bytes: an invitation (REQUEST) or its cancellation (CANCEL)
    for emails, or a plain event to add to one's calendar (PUBLISH), which asks no answer.
    ``attendees`` ((name, email) pairs) default to the applicant; the UID is the same for
    everyone invited, so that each calendar updates its own copy."""
    intake_request = appointment.request
    cancelled = method == CANCEL
    kind = appointment.get_kind_display().lower()
    summary = f"Territoires d’engagement — {kind} ({intake_request.reference})"
    if attendees is None:
        attendees = [
            (f"{intake_request.first_name} {intake_request.last_name}", intake_request.email)
        ]
    description = f"Demande {intake_request.reference}. Suivi : {status_url}"
    if appointment.video_link:
        description += f"\nVisioconférence : {appointment.video_link}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        f"METHOD:{method}",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{appointment.ics_uid}@territoires-engagement",
        f"SEQUENCE:{appointment.ics_sequence}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(appointment.starts_at)}",
        f"DTEND:{_utc(appointment.ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        f'ORGANIZER;CN="Territoires d\'engagement":mailto:{organiser}',
        *(
            []
            if method == PUBLISH
            else [f"ATTENDEE;CN={_parameter(name)}:mailto:{email}" for name, email in attendees]
        ),
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"URL:{status_url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def with_link(content, placeholder, link):
    """The calendar ``content`` (bytes) with ``placeholder`` replaced by ``link``: its lines
    unfolded, filled, folded again."""
    lines = content.decode().replace("\r\n ", "").split("\r\n")
    return "\r\n".join(_fold(line.replace(placeholder, link)) for line in lines).encode()
