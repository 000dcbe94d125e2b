"""A request's story, read from the audit log: the applicant's timeline and the team's thread."""

from dataclasses import dataclass
from datetime import datetime

from wagtail.log_actions import LogFormatter

from ..models import RequestLogEntry, RequestMessage
from .moves import LOG_ACTIONS

# Shown in the team's thread as the message or the note itself, not as a line of the log.
_SHOWN_AS_ITEMS = {"intake.message_sent", "intake.message_received", "intake.note_added"}


def _entries(intake_request):
    return (
        RequestLogEntry.objects.for_instance(intake_request)
        .select_related("user")
        .order_by("timestamp", "pk")
    )


def applicant_timeline(intake_request):
    """What happened, oldest first, in the applicant's words; team-only events are left out."""
    timeline = []
    for entry in _entries(intake_request):
        action = LOG_ACTIONS.get(entry.action)
        if action and action.applicant_label:
            timeline.append({"timestamp": entry.timestamp, "label": action.applicant_label})
    return timeline


@dataclass
class ThreadItem:
    """One line of the team's thread: a logged event, a message, or an internal note."""

    kind: str  # "event", "message" or "note"
    timestamp: datetime
    object: object
    unread: bool = False  # an applicant message the team had not read


def team_thread(intake_request, unread_since=None):
    """Moves, messages both ways (with their files), internal notes and appointment changes,
    in order; the applicant's messages from ``unread_since`` on are marked unread."""
    items = [
        ThreadItem("event", entry.timestamp, entry)
        for entry in _entries(intake_request)
        if entry.action not in _SHOWN_AS_ITEMS
    ]
    items += [
        ThreadItem(
            "message",
            message.created_at,
            message,
            unread=unread_since is not None
            and message.author == RequestMessage.Author.APPLICANT
            and message.created_at >= unread_since,
        )
        for message in intake_request.messages.select_related("sender").prefetch_related(
            "attachments"
        )
    ]
    items += [
        ThreadItem("note", note.created_at, note)
        for note in intake_request.notes.select_related("author")
    ]
    return sorted(items, key=lambda item: item.timestamp)


def event_label(entry):
    data = entry.data or {}
    if data.get("summary"):
        # An event that says itself whole ("Demande saisie par … (consentement oral du …)").
        return data["summary"]
    action = LOG_ACTIONS.get(entry.action)
    label = action.label if action else entry.action
    detail = data.get("detail")
    return f"{label} — {detail}" if detail else str(label)


class EventFormatter(LogFormatter):
    """The audit log's line for a request event: its label and what the entry adds."""

    def format_message(self, log_entry):
        return event_label(log_entry)


def log_formatters():
    """(action type, formatter class) for every event of a request."""
    for action, log_action in LOG_ACTIONS.items():
        yield action, type("RequestEventFormatter", (EventFormatter,), {"label": log_action.label})
