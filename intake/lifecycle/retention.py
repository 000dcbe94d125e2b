"""The personal-data lifecycle: ended requests anonymised once their retention period is over
(or now, at the team's hand), spam and sent emails purged, dead status links and unused
calendar feeds forgotten, and one applicant's data exported. The periods are the retention
settings' (``home.RetentionSettings``), which the privacy page shows.

Anonymising keeps what the figures count (the collectivité, the dates, the statuses, the kinds,
the subjects, the partners, the outcomes, the scores) and blanks or deletes what tells of a
person: names, function, email, phone, free texts, messages, notes, compte-rendus, action
items, attachments and their files, emails in and out, status links, and the audit log's words.

Each request is anonymised in a transaction of its own, taken with
``select_for_update(skip_locked=True)`` and claimed by a conditional UPDATE of its
``anonymised_at``: two copies running at once take different requests, and a copy that loses a
race (the database without row locks, SQLite) skips the request the other took. A round stops
after its batch; what it left is still due, for the next round.
"""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from home.models import RetentionSettings

from ..models import (
    AccessToken,
    ActionItem,
    Appointment,
    Attachment,
    CalendarFeed,
    InboundEmail,
    IntakeRequest,
    InternalNote,
    OutgoingEmail,
    RequestLogEntry,
    RequestMessage,
    SatisfactionAnswer,
    SessionRecord,
    private_storage,
)
from . import links
from .base import LifecycleError, MoveNotAllowed, _locked, _log, _require_team, _required

Status = IntakeRequest.Status
BATCH_SIZE = 200

# The request's own fields that tell of the applicant, and the value they are left with.
PERSONAL_FIELDS = {
    "first_name": "",
    "last_name": "",
    "function": "",
    "email": "",
    "phone": "",
    "context": "",
    "existing_bodies": "",
    "decision_note": "",
    "closing_summary": "",
}
# What an audit-log entry keeps of its data: numbers, booleans and these choices.
_KEPT_TEXTS = {"channel", "rhythm"}

# The audit-log action of a purge round, logged on the retention settings.
PURGE_ACTION = "intake.retention_purged"
PURGE_LABEL = gettext_lazy("Purge des données personnelles")


class AlreadyAnonymised(LifecycleError):
    """Another hand (or copy of the job) anonymised the request first."""


class EmailOnItsWay(LifecycleError):
    """An email of the request is still waiting to leave: blanking it would send it empty."""


# What would change, and what changed


@dataclass
class Counts:
    """How many rows of each kind a round changes (or, dry, would change)."""

    values: dict = field(default_factory=dict)

    def add(self, kind, number):
        self.values[kind] = self.values.get(kind, 0) + number

    def __getitem__(self, kind):
        return self.values.get(kind, 0)

    def lines(self):
        return [(KIND_LABELS[kind], self[kind]) for kind in KIND_LABELS]


KIND_LABELS = {
    "requests": gettext_lazy("demandes anonymisées"),
    "messages": gettext_lazy("messages effacés"),
    "notes": gettext_lazy("notes internes effacées"),
    "attachments": gettext_lazy("pièces jointes supprimées"),
    "session_records": gettext_lazy("comptes rendus effacés"),
    "action_items": gettext_lazy("actions à mener effacées"),
    "satisfaction_comments": gettext_lazy("avis effacés"),
    "appointments": gettext_lazy("rendez-vous sans lien de visioconférence"),
    "request_emails": gettext_lazy("courriels des demandes anonymisées supprimés"),
    "inbound_emails": gettext_lazy("courriels reçus effacés"),
    "log_entries": gettext_lazy("événements du journal expurgés"),
    "status_links": gettext_lazy("liens de suivi supprimés"),
    "spam": gettext_lazy("demandes indésirables supprimées"),
    "discarded_emails": gettext_lazy("courriels reçus écartés effacés"),
    "sent_emails": gettext_lazy("courriels envoyés supprimés"),
    "calendar_feeds": gettext_lazy("flux d'agenda supprimés"),
}


# What is due


def _months_before(now, months):
    return now - relativedelta(months=months)


def due_for_anonymisation(now=None, retention=None):
    """The ended requests whose retention period is over, not anonymised yet; spam is
    deleted instead, and a request with an email still to leave waits for it."""
    now = now or timezone.now()
    retention = retention or RetentionSettings.load()
    # Not NULL: one team email without a request would make NOT IN exclude every request.
    waiting = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING],
        request__isnull=False,
    ).values("request")
    return (
        IntakeRequest.objects.ended()
        .exclude(status=Status.SPAM)
        .filter(
            anonymised_at__isnull=True,
            ended_at__lt=_months_before(now, retention.anonymise_after_months),
        )
        .exclude(pk__in=waiting)
    )


def _spam_due(now, retention):
    return IntakeRequest.objects.filter(
        status=Status.SPAM,
        ended_at__lt=now - timedelta(days=retention.spam_deleted_after_days),
    )


def _discarded_emails_due(now, retention):
    return InboundEmail.objects.filter(
        status=InboundEmail.Status.DISCARDED,
        handled_at__lt=now - timedelta(days=retention.spam_deleted_after_days),
    ).exclude(raw="", sender="", subject="", note="")


def _sent_emails_due(now, retention):
    cutoff = now - timedelta(days=retention.sent_emails_purged_after_days)
    # A failed email the team did not retry goes as long after its creation.
    return OutgoingEmail.objects.filter(
        Q(status=OutgoingEmail.Status.SENT, sent_at__lt=cutoff)
        | Q(status=OutgoingEmail.Status.FAILED, created_at__lt=cutoff)
    )


def _feeds_due(now, retention):
    """The feeds unread for the period, and those of members who may no longer hold one."""
    cutoff = _months_before(now, retention.unused_feeds_deleted_after_months)
    unused = Q(last_fetched_at__lt=cutoff) | Q(last_fetched_at__isnull=True, created_at__lt=cutoff)
    feeds = CalendarFeed.objects.select_related("user")
    stale = {feed.pk for feed in feeds.filter(unused)}
    stale |= {feed.pk for feed in feeds.exclude(unused) if not CalendarFeed.allowed_for(feed.user)}
    return CalendarFeed.objects.filter(pk__in=stale)


def _attached(requests):
    """What hangs off ``requests`` (a queryset), by kind."""
    return {
        "messages": RequestMessage.objects.filter(request__in=requests).exclude(body=""),
        "notes": InternalNote.objects.filter(request__in=requests).exclude(body=""),
        "attachments": Attachment.objects.filter(message__request__in=requests),
        "session_records": SessionRecord.objects.filter(appointment__request__in=requests).exclude(
            report=""
        ),
        "action_items": ActionItem.objects.filter(appointment__request__in=requests).exclude(
            title=""
        ),
        "satisfaction_comments": SatisfactionAnswer.objects.filter(request__in=requests).exclude(
            comment=""
        ),
        "appointments": Appointment.objects.filter(request__in=requests).exclude(video_link=""),
        "request_emails": OutgoingEmail.objects.filter(request__in=requests),
        "inbound_emails": InboundEmail.objects.filter(request__in=requests),
        "log_entries": RequestLogEntry.objects.filter(intake_request__in=requests),
        "status_links": AccessToken.objects.filter(request__in=requests),
    }


def plan(now=None):
    """What a full round would change now, by kind, and the references of the requests it
    would anonymise; writes nothing (the dry run)."""
    now = now or timezone.now()
    retention = RetentionSettings.load()
    due = due_for_anonymisation(now, retention)
    counts = Counts()
    counts.add("requests", due.count())
    for kind, rows in _attached(due).items():
        counts.add(kind, rows.count())
    counts.add("status_links", links.expired_links(now).exclude(request__in=due).count())
    counts.add("spam", _spam_due(now, retention).count())
    counts.add("discarded_emails", _discarded_emails_due(now, retention).count())
    counts.add("sent_emails", _sent_emails_due(now, retention).exclude(request__in=due).count())
    counts.add("calendar_feeds", _feeds_due(now, retention).count())
    references = list(due.order_by("ended_at", "pk").values_list("reference", flat=True))
    return counts, references


# Anonymising one request


def _stripped(data):
    """An audit-log entry's data without its words: the ids, numbers and choices remain."""
    if not isinstance(data, dict):
        return {}
    return {
        key: value
        for key, value in data.items()
        if value is None
        or isinstance(value, bool | int | float)
        or (key in _KEPT_TEXTS and isinstance(value, str))
    }


def _delete_files_on_commit(names):
    names = [name for name in names if name]
    if names:
        storage = private_storage()
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _scrub_inbound(emails):
    """Blank the emails received (the row stays: it keeps the mailbox from importing the
    message again); their raw files go once the transaction commits. Their own log entries
    lose their words. Returns how many."""
    emails = list(emails)
    if not emails:
        return 0
    _delete_files_on_commit([email.raw.name for email in emails])
    pks = [email.pk for email in emails]
    InboundEmail.objects.filter(pk__in=pks).update(
        sender="", subject="", message_id_header="", note="", raw=""
    )
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(InboundEmail),
        object_id__in=[str(pk) for pk in pks],
    )
    for entry in entries:
        entry.label, entry.data = str(_("(sans objet)")), _stripped(entry.data)
    ModelLogEntry.objects.bulk_update(entries, ["label", "data"])
    return len(emails)


def _scrub(intake_request, now):
    """Blank or delete everything of ``intake_request`` (locked, claimed) that tells of a
    person; what was changed, by kind."""
    counts = Counts()
    attached = _attached(IntakeRequest.objects.filter(pk=intake_request.pk))
    files = list(attached["attachments"].values_list("file", flat=True))
    counts.add("attachments", attached["attachments"].delete()[0])
    _delete_files_on_commit(files)
    counts.add("messages", attached["messages"].update(body=""))
    counts.add("notes", attached["notes"].update(body=""))
    counts.add("session_records", attached["session_records"].update(report=""))
    counts.add("action_items", attached["action_items"].update(title=""))
    counts.add("satisfaction_comments", attached["satisfaction_comments"].update(comment=""))
    counts.add("appointments", attached["appointments"].update(video_link=""))
    counts.add("request_emails", attached["request_emails"].delete()[0])
    counts.add("inbound_emails", _scrub_inbound(attached["inbound_emails"]))
    counts.add("status_links", attached["status_links"].delete()[0])
    entries = list(attached["log_entries"])
    for entry in entries:
        entry.data = _stripped(entry.data)
    RequestLogEntry.objects.bulk_update(entries, ["data"])
    counts.add("log_entries", len(entries))
    for name, value in PERSONAL_FIELDS.items():
        setattr(intake_request, name, value)
    # The form's key found the request from the applicant's submission: a new one, unrelated.
    intake_request.submission_key = uuid.uuid4()
    intake_request.unread_since = None
    intake_request.anonymised_at = now
    intake_request.save(
        update_fields=[*PERSONAL_FIELDS, "submission_key", "unread_since", "anonymised_at"]
    )
    counts.add("requests", 1)
    return counts


def _claim(intake_request, now):
    """Take ``intake_request`` for this copy; False when another copy anonymised it first."""
    return bool(
        IntakeRequest.objects.filter(pk=intake_request.pk, anonymised_at__isnull=True).update(
            anonymised_at=now
        )
    )


def anonymise(intake_request, *, by, reason):
    """The team anonymises one ended request now (the applicant asked for it), with its
    reason in the audit log."""
    _require_team(by)
    reason = _required(reason, _("Indiquez pourquoi la demande est anonymisée."))
    with _locked(intake_request) as locked:
        if locked.is_open:
            raise MoveNotAllowed(
                _("Une demande en cours ne s'anonymise pas : terminez-la d'abord.")
            )
        if OutgoingEmail.objects.filter(
            request=locked,
            status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING],
        ).exists():
            raise EmailOnItsWay(
                _("Un courriel de cette demande attend encore son envoi : réessayez plus tard.")
            )
        now = timezone.now()
        if not _claim(locked, now):
            raise AlreadyAnonymised(_("Cette demande est déjà anonymisée."))
        counts = _scrub(locked, now)
        _log(locked, "intake.anonymised", by, detail=reason)
    return counts


def _next_due(now, retention):
    return (
        due_for_anonymisation(now, retention)
        .select_for_update(skip_locked=True)
        .order_by("ended_at", "pk")
        .first()
    )


def anonymise_due(*, batch_size=BATCH_SIZE, now=None):
    """Anonymise at most ``batch_size`` requests whose period is over, each in its own
    transaction; what changed, by kind."""
    now = now or timezone.now()
    retention = RetentionSettings.load()
    detail = _("Durée de conservation écoulée (%(months)s mois après la fin)") % {
        "months": retention.anonymise_after_months
    }
    counts = Counts()
    for _turn in range(batch_size):
        with transaction.atomic():
            found = _next_due(now, retention)
            if found is None:
                break
            if not _claim(found, now):
                # Another copy took it between our read and our claim.
                continue
            for kind, number in _scrub(found, now).values.items():
                counts.add(kind, number)
            _log(found, "intake.anonymised", None, detail=detail)
    return counts


# Purges


def purge(now=None):
    """Delete the spam and the sent emails past their period, blank the discarded emails
    received, forget the dead status links and the unused feeds; logged once on the retention
    settings with the counts (no personal data). What changed, by kind."""
    now = now or timezone.now()
    retention = RetentionSettings.load()
    counts = Counts()
    with transaction.atomic():
        spam = _spam_due(now, retention)
        counts.add("inbound_emails", _scrub_inbound(InboundEmail.objects.filter(request__in=spam)))
        _delete_files_on_commit(
            Attachment.objects.filter(message__request__in=spam).values_list("file", flat=True)
        )
        RequestLogEntry.objects.filter(intake_request__in=spam).delete()
        counts.add("spam", spam.delete()[1].get(IntakeRequest._meta.label, 0))
        counts.add("discarded_emails", _scrub_inbound(_discarded_emails_due(now, retention)))
        counts.add("sent_emails", _sent_emails_due(now, retention).delete()[0])
        counts.add("status_links", links.delete_expired_links(now))
        counts.add("calendar_feeds", _feeds_due(now, retention).delete()[0])
        if any(counts.values.values()):
            log(retention, PURGE_ACTION, data=counts.values)
    return counts


def run_round(now=None):
    """The periodic job: the purges, then a batch of anonymisations; a short summary."""
    counts = purge(now)
    for kind, number in anonymise_due(now=now).values.items():
        counts.add(kind, number)
    return ", ".join(f"{label} : {number}" for label, number in counts.lines() if number) or 0


# One applicant's data


def _choice(instance, name):
    return str(getattr(instance, f"get_{name}_display")())


def _appointment_data(appointment):
    record = getattr(appointment, "record", None)
    return {
        "kind": _choice(appointment, "kind"),
        "status": _choice(appointment, "status"),
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "video_link": appointment.video_link,
        "record": None
        if record is None
        else {
            "subjects": [str(label) for label in record.subject_labels()],
            "report": record.report,
            "shared": record.report_shared,
        },
        "action_items": [
            {
                "title": item.title,
                "owner": _choice(item, "owner"),
                "due_on": item.due_on,
                "done_at": item.done_at,
            }
            for item in appointment.action_items.all()
        ],
    }


def _request_data(intake_request):
    satisfaction = SatisfactionAnswer.objects.filter(request=intake_request).first()
    return {
        "reference": intake_request.reference,
        "status": _choice(intake_request, "status"),
        "collectivite": intake_request.collectivite_label,
        "created_at": intake_request.created_at,
        "ended_at": intake_request.ended_at,
        "contact": {
            "first_name": intake_request.first_name,
            "last_name": intake_request.last_name,
            "function": intake_request.function,
            "role": _choice(intake_request, "role"),
            "email": intake_request.email,
            "phone": intake_request.phone,
        },
        "consent": {
            "at": intake_request.consent_at,
            "channel": _choice(intake_request, "consent_channel"),
        },
        "needs": [str(label) for label in intake_request.need_labels],
        "themes": [theme.name for theme in intake_request.themes.order_by("name")],
        "rhythm": _choice(intake_request, "rhythm"),
        "context": intake_request.context,
        "existing_bodies": intake_request.existing_bodies,
        "first_exchange": _choice(intake_request, "first_exchange"),
        "decision_note": intake_request.decision_note,
        "closing_summary": intake_request.closing_summary,
        "messages": [
            {
                "author": _choice(message, "author"),
                "sent_at": message.created_at,
                "body": message.body,
                "attachments": [
                    {"name": file.name, "content_type": file.content_type, "size": file.size}
                    for file in message.attachments.all()
                ],
            }
            for message in intake_request.messages.prefetch_related("attachments")
        ],
        "internal_notes": [
            {"written_at": note.created_at, "body": note.body}
            for note in intake_request.notes.all()
        ],
        "appointments": [
            _appointment_data(appointment)
            for appointment in intake_request.appointments.select_related("record")
            .prefetch_related("action_items")
            .order_by("starts_at", "pk")
        ],
        "satisfaction": None
        if satisfaction is None
        else {
            "score": satisfaction.score,
            "comment": satisfaction.comment,
            "answered_at": satisfaction.answered_at,
        },
        "emails_sent": [
            {
                "to": email.to,
                "subject": email.subject,
                "body": email.body_text,
                "status": _choice(email, "status"),
                "created_at": email.created_at,
                "sent_at": email.sent_at,
            }
            for email in intake_request.emails.order_by("created_at", "pk")
        ],
        "emails_received": [
            {"sender": email.sender, "subject": email.subject, "received_at": email.received_at}
            for email in intake_request.inbound_emails.order_by("received_at", "pk")
        ],
    }


def export_personal_data(intake_request, *, by):
    """Everything the portal holds about the applicant of ``intake_request``, across their
    requests (those of the same email, anonymised ones aside), ready for JSON; the export is
    recorded in each request's audit log."""
    _require_team(by)
    requests = IntakeRequest.objects.filter(pk=intake_request.pk)
    if intake_request.email:
        requests |= IntakeRequest.objects.filter(
            email__iexact=intake_request.email, anonymised_at__isnull=True
        )
    requests = list(requests.select_related("collectivite").order_by("created_at", "pk"))
    data = {
        "email": intake_request.email,
        "exported_at": timezone.now(),
        "requests": [_request_data(found) for found in requests],
    }
    detail = ngettext("%(count)s demande", "%(count)s demandes", len(requests)) % {
        "count": len(requests)
    }
    with transaction.atomic():
        for found in requests:
            _log(found, "intake.data_exported", by, detail=detail, requests=len(requests))
    return data
