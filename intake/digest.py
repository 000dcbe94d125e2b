"""What the team's daily digest reads: when it is due, to whom, and its sections.

Each section is a title and a function from the digest's day (``DigestDay``) to its rows;
SECTIONS lists them in the email's order, and a section without rows is left out. Adding a
section is one ``Section(...)`` line. Sending it (the claim, the email) is the lifecycle's
(``lifecycle/digest.py``).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from home.typography import french_hour, french_when

from .booking import PARIS
from .emails import request_admin_url
from .models import (
    ActionItem,
    Appointment,
    CadenceState,
    DigestDelivery,
    IntakeRequest,
    TeamMemberPreference,
)
from .replies import team_member_name
from .selectors import team_members
from .workdays import is_working_day, previous_working_day

Status = IntakeRequest.Status


@dataclass(frozen=True)
class DigestDay:
    """One member's digest of ``today``: the requests received from ``since`` to ``now``."""

    member: object
    today: date
    since: datetime
    now: datetime


@dataclass(frozen=True)
class Row:
    label: str
    detail: str
    url: str
    # The member's own (a session they hold, a first exchange of a request assigned to them).
    mine: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    rows: object  # DigestDay -> list[Row]


@dataclass(frozen=True)
class FilledSection:
    title: str
    rows: list


def due_day(now):
    """The day whose digest is due at ``now``: a working day from DIGEST_TIME on, or None."""
    local = now.astimezone(PARIS)
    if not is_working_day(local.date()) or local.time() < settings.DIGEST_TIME:
        return None
    return local.date()


def _digest_time(day):
    return datetime.combine(day, settings.DIGEST_TIME, tzinfo=PARIS)


def recipients(today):
    """The active team members who did not turn the digest off and have no digest of
    ``today`` yet, each with ``last_digest_at`` (their latest digest's moment, or None)."""
    latest = DigestDelivery.objects.filter(member=OuterRef("pk")).order_by("-created_at")
    return (
        get_user_model()
        .objects.filter(pk__in=team_members().values("pk"))
        .exclude(email="")
        .exclude(team_preference__daily_digest=False)
        .exclude(digest_deliveries__day=today)
        .annotate(last_digest_at=Subquery(latest.values("created_at")[:1]))
        .order_by("pk")
    )


def receives_daily_digest(user):
    """The member's choice: the digest, unless they turned it off."""
    return not TeamMemberPreference.objects.filter(user=user, daily_digest=False).exists()


def digest_day(member, today, now):
    """The member's digest of ``today``: new requests since their last digest, or since the
    last working day's digest time when that is later (a member back from an opt-out)."""
    since = _digest_time(previous_working_day(today))
    if member.last_digest_at is not None:
        since = max(since, member.last_digest_at)
    return DigestDay(member=member, today=today, since=since, now=now)


def _request_row(intake_request, detail=""):
    return Row(
        label=f"{intake_request.reference} — {intake_request.collectivite_label}",
        detail=detail,
        url=request_admin_url(intake_request),
    )


def _assignee(intake_request):
    if intake_request.assignee_id:
        return _("suivie par %(name)s") % {"name": team_member_name(intake_request.assignee)}
    return _("non attribuée")


def request_rows(intake_requests):
    """A row per request, with who follows it."""
    return [
        _request_row(intake_request, _assignee(intake_request))
        for intake_request in intake_requests.select_related("collectivite", "assignee").order_by(
            "response_due_on", "created_at", "pk"
        )
    ]


def new_requests(day):
    received = (
        IntakeRequest.objects.filter(created_at__gte=day.since, created_at__lt=day.now)
        .exclude(status=Status.SPAM)
        .select_related("collectivite")
        .order_by("created_at", "pk")
    )
    return [
        _request_row(
            intake_request,
            _("reçue le %(when)s") % {"when": french_when(intake_request.created_at)},
        )
        for intake_request in received
    ]


def late_responses(day):
    late = (
        IntakeRequest.objects.late(day.today)
        .select_related("collectivite", "assignee")
        .order_by("response_due_on", "created_at", "pk")
    )
    return [
        _request_row(
            intake_request,
            _("attendue le %(day)s, %(who)s")
            % {
                "day": formats.date_format(intake_request.response_due_on, "j F"),
                "who": _assignee(intake_request),
            },
        )
        for intake_request in late
    ]


def _held_by(appointment, member):
    """Whether ``member`` holds ``appointment``: one of its hosts, or for a first exchange
    without hosts, the request's assignee (as its invitations go)."""
    hosts = appointment.hosts.all()
    if hosts:
        return member in hosts
    return (
        appointment.kind == Appointment.Kind.FIRST_EXCHANGE
        and appointment.request.assignee_id == member.pk
    )


def appointments_of_the_day(day):
    start = datetime.combine(day.today, datetime.min.time(), tzinfo=PARIS)
    appointments = (
        Appointment.objects.booked()
        .filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .select_related("request__collectivite")
        .prefetch_related(
            Prefetch("hosts", queryset=get_user_model().objects.order_by("first_name", "pk"))
        )
        .order_by("starts_at", "pk")
    )
    rows = []
    for appointment in appointments:
        intake_request = appointment.request
        hosts = ", ".join(team_member_name(host) for host in appointment.hosts.all())
        detail = f"{french_hour(timezone.localtime(appointment.starts_at, PARIS))}, "
        detail += appointment.get_kind_display().lower()
        if hosts:
            detail += " " + _("avec %(hosts)s") % {"hosts": hosts}
        rows.append(
            Row(
                label=f"{intake_request.reference} — {intake_request.collectivite_label}",
                detail=detail,
                url=request_admin_url(intake_request),
                mine=_held_by(appointment, day.member),
            )
        )
    return rows


def action_items_due(day):
    items = (
        ActionItem.objects.open()
        .filter(
            due_on__lte=day.today,
            appointment__request__status__in=IntakeRequest.OPEN_STATUSES,
        )
        .select_related("appointment__request__collectivite")
    )
    rows = []
    for item in items:
        intake_request = item.appointment.request
        when = (
            _("pour aujourd'hui")
            if item.due_on == day.today
            else _("en retard, pour le %(day)s") % {"day": formats.date_format(item.due_on, "j F")}
        )
        rows.append(
            Row(
                label=f"{item.title} ({item.get_owner_display().lower()})",
                detail=f"{when} — {intake_request.reference} — {intake_request.collectivite_label}",
                url=request_admin_url(intake_request),
            )
        )
    return rows


def accompaniments_due(day):
    """The accompaniments whose next session is to plan or late: the latest window first."""
    due = (
        IntakeRequest.objects.cadence_due(day.today)
        .select_related("collectivite")
        .order_by("next_session_until", "pk")
    )
    return [
        _request_row(
            intake_request,
            (
                _("séance en retard : à tenir au plus tard le %(day)s")
                if intake_request.cadence_state == CadenceState.LATE
                else _("séance à planifier d'ici le %(day)s")
            )
            % {"day": formats.date_format(intake_request.next_session_until, "j F Y")},
        )
        for intake_request in due
    ]


SECTIONS = [
    Section(_("Nouvelles demandes"), new_requests),
    Section(
        _("Premières réponses attendues aujourd'hui"),
        lambda day: request_rows(IntakeRequest.objects.due_on(day.today)),
    ),
    Section(_("Premières réponses en retard"), late_responses),
    Section(_("Premiers échanges et séances de travail du jour"), appointments_of_the_day),
    Section(_("Accompagnements à planifier ou en retard"), accompaniments_due),
    Section(_("Actions à mener arrivées à échéance"), action_items_due),
]


def sections(day):
    """The digest's sections that hold something, in order; an empty list sends nothing."""
    filled = [FilledSection(str(section.title), section.rows(day)) for section in SECTIONS]
    return [section for section in filled if section.rows]
