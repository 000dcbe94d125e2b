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


def _texts(appointment, link, for_team):
    """(summary, description) of an appointment's event. The applicant's names the service;
    the team's (its invitations and feeds) names the collectivité, as its emails do."""
    intake_request = appointment.request
    kind = appointment.get_kind_display()
    if for_team:
        collectivite = intake_request.collectivite_label
        summary = f"{kind} — {collectivite} ({intake_request.reference})"
        description = f"Demande {intake_request.reference} — {collectivite}. Ouvrir : {link}"
    else:
        summary = f"Territoires d’engagement — {kind.lower()} ({intake_request.reference})"
        description = f"Demande {intake_request.reference}. Suivi : {link}"
    if appointment.video_link:
        description += f"\nVisioconférence : {appointment.video_link}"
    return summary, description


def appointment_event(
    appointment, link, organiser, *, cancelled=False, attendees=(), for_team=False, now=None
):
    """The VEVENT lines of one appointment, as every calendar that holds it reads them: the
    invitations of the applicant and of the team, the status page's file and the team's
    feeds share its UID and SEQUENCE, so that each copy updates the same event."""
    summary, description = _texts(appointment, link, for_team)
    return [
        "BEGIN:VEVENT",
        f"UID:{appointment.ics_uid}@territoires-engagement",
        f"SEQUENCE:{appointment.ics_sequence}",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(appointment.starts_at)}",
        f"DTEND:{_utc(appointment.ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        f'ORGANIZER;CN="Territoires d\'engagement":mailto:{organiser}',
        *(f"ATTENDEE;CN={_parameter(name)}:mailto:{email}" for name, email in attendees),
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"URL:{link}",
        "END:VEVENT",
    ]


def _calendar(method, events, headers=()):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        f"METHOD:{method}",
        "CALSCALE:GREGORIAN",
        *headers,
        *(line for event in events for line in event),
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def appointment_ics(appointment, link, organiser, method=REQUEST, attendees=None):
    """One appointment as iCalendar bytes: an invitation (REQUEST) or its cancellation (CANCEL)
    for emails, or a plain event to add to one's calendar (PUBLISH), which asks no answer.
    ``attendees`` ((name, email) pairs) default to the applicant, whose ``link`` is their
    status link; the team's invitations name their members and link to the request's page."""
    intake_request = appointment.request
    for_team = attendees is not None
    if attendees is None:
        attendees = [
            (f"{intake_request.first_name} {intake_request.last_name}", intake_request.email)
        ]
    event = appointment_event(
        appointment,
        link,
        organiser,
        cancelled=method == CANCEL,
        attendees=() if method == PUBLISH else attendees,
        for_team=for_team,
    )
    return _calendar(method, [event])


def feed_ics(appointments, link_of, organiser, *, name):
    """A team member's feed: the team's event of each appointment (``link_of`` gives its
    link), a cancelled one marked so that calendars remove it, published without attendees (a
    subscription answers nobody), refreshed hourly."""
    now = timezone.now()
    events = [
        appointment_event(
            appointment,
            link_of(appointment),
            organiser,
            cancelled=appointment.is_cancelled,
            for_team=True,
            now=now,
        )
        for appointment in appointments
    ]
    headers = [
        f"NAME:{_escape(name)}",
        f"X-WR-CALNAME:{_escape(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    return _calendar(PUBLISH, events, headers)


def with_link(content, placeholder, link):
    """The calendar ``content`` (bytes) with ``placeholder`` replaced by ``link``: its lines
    unfolded, filled, folded again."""
    lines = content.decode().replace("\r\n ", "").split("\r\n")
    return "\r\n".join(_fold(line.replace(placeholder, link)) for line in lines).encode()
