"""What the team's screens read: the queue's views and counts, the partners that fit a
request, the appointments of the week. Each a fixed number of queries."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, IntegerField, Prefetch, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.models import Partner

from .booking import PARIS
from .models import (
    TRIAGE_PERMISSION,
    ActionItem,
    Appointment,
    Collectivite,
    CollectiviteKind,
    IntakeRequest,
    Need,
    SatisfactionAnswer,
    SessionRecord,
    departement_names,
    region_names,
)
from .models.collectivite import REFERENTIAL_KEYS

Status = IntakeRequest.Status

# The queue's views, in the order of its tabs: key → (label, the requests it shows for a user).
QUEUE_VIEWS = {
    "nouvelles": (
        _("Nouvelles"),
        lambda intake_requests, user: intake_requests.undecided().unassigned(),
    ),
    "miennes": (
        _("Mes demandes"),
        lambda intake_requests, user: intake_requests.open().assigned_to(user),
    ),
    "nouveaux-messages": (
        _("Nouveaux messages"),
        lambda intake_requests, user: intake_requests.open().with_unread_messages(),
    ),
    "en-attente": (
        _("En attente de la collectivité"),
        lambda intake_requests, user: intake_requests.filter(status=Status.AWAITING_APPLICANT),
    ),
    "acceptees": (
        _("Acceptées"),
        lambda intake_requests, user: intake_requests.filter(status=Status.ACCEPTED),
    ),
    "accompagnement": (
        _("En accompagnement"),
        lambda intake_requests, user: intake_requests.accompaniments(),
    ),
    "terminees": (_("Terminées"), lambda intake_requests, user: intake_requests.ended()),
    # Spam is left out unless asked for (in_queue_view's include_spam).
    "toutes": (
        _("Toutes"),
        lambda intake_requests, user: intake_requests.exclude(status=Status.SPAM),
    ),
}
DEFAULT_QUEUE_VIEW = "nouvelles"


def in_queue_view(intake_requests, view, user, *, include_spam=False):
    if view == "toutes" and include_spam:
        return intake_requests
    return QUEUE_VIEWS[view][1](intake_requests, user)


def queue_counts(user):
    """How many requests each tab holds. The open requests and the spam are few (an index
    finds them) and are counted by status in one query; the ended ones are the rest of a plain
    count, and "Toutes" that count without the spam."""
    visible = IntakeRequest.objects.visible_to(user)
    rows = (
        visible.filter(status__in=[*IntakeRequest.OPEN_STATUSES, Status.SPAM])
        .values("status")
        .annotate(
            total=Count("pk"),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            mine=Count("pk", filter=Q(assignee=user)),
            unread=Count("pk", filter=Q(unread_since__isnull=False)),
        )
        .order_by()
    )
    by_status = {row["status"]: row for row in rows}

    def total(statuses, column="total"):
        return sum(by_status[status][column] for status in statuses if status in by_status)

    everything = visible.count()
    return {
        "nouvelles": total(IntakeRequest.UNDECIDED_STATUSES, "unassigned"),
        "miennes": total(IntakeRequest.OPEN_STATUSES, "mine"),
        "nouveaux-messages": total(IntakeRequest.OPEN_STATUSES, "unread"),
        "en-attente": total([Status.AWAITING_APPLICANT]),
        "acceptees": total([Status.ACCEPTED]),
        "accompagnement": total(IntakeRequest.ACCOMPANIMENT_STATUSES),
        "terminees": everything - total(IntakeRequest.OPEN_STATUSES),
        "toutes": everything - total([Status.SPAM]),
    }


def team_members():
    """The people a request can be given to: active users who may instruct requests."""
    users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")
    app_label, codename = TRIAGE_PERMISSION.split(".")
    permission = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return users.filter(permission | Q(is_superuser=True)).distinct()


def regions():
    return Collectivite.objects.filter(kind=CollectiviteKind.REGION).order_by("name")


def region_choices():
    return list(region_names().items())


def departement_choices():
    """The départements as a select offers them: "05 — Hautes-Alpes"."""
    return [(code, f"{code} — {name}") for code, name in departement_names().items()]


def forget_referential_choices():
    """After a load of the referential, the next page reads its régions afresh."""
    cache.delete_many(REFERENTIAL_KEYS)


def departements_of(region_code):
    """The codes of a région's départements, from the referential."""
    return (
        Collectivite.objects.departements()
        .filter(region_code=region_code)
        .values_list("code", flat=True)
    )


def region_name(collectivite):
    if collectivite is None or not collectivite.region_code:
        return ""
    region = regions().filter(code=collectivite.region_code).first()
    return region.name if region else ""


def partners_for(intake_request):
    """Every partner, those whose themes and territory fit the request first."""
    territories = ["national"]
    collectivite = intake_request.collectivite
    if collectivite is not None:
        territories += [collectivite.departement_name, region_name(collectivite)]
    territory_match = Q()
    for territory in filter(None, territories):
        territory_match |= Q(territory__icontains=territory)
    theme_ids = [theme.pk for theme in intake_request.themes.all()]
    return Partner.objects.annotate(
        theme_matches=(
            Count("themes", filter=Q(themes__in=theme_ids), distinct=True)
            if theme_ids
            else Value(0, output_field=IntegerField())
        ),
        territory_matches=Count("pk", filter=territory_match, distinct=True),
    ).order_by("-theme_matches", "-territory_matches", "name")


def week_bounds(today=None):
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, time.min, tzinfo=PARIS)
    return start, start + timedelta(days=7)


def appointments_this_week(user, today=None):
    start, end = week_bounds(today)
    return (
        Appointment.objects.booked()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .filter(request__in=IntakeRequest.objects.visible_to(user).values("pk"))
        .select_related("request", "request__collectivite")
        .order_by("starts_at")
    )


def appointments_during(closure):
    """The booked appointments of the permanence that a closure takes any part of (a session
    at another time is the team's own)."""
    start, end = closure.bounds()
    return (
        Appointment.objects.booked()
        .in_permanence()
        .overlapping(start, end)
        .select_related("request", "request__collectivite")
        .order_by("starts_at")
    )


def possible_originals(intake_request):
    """The requests a request may repeat: the other requests of the same collectivité that
    are not duplicates themselves, the latest first."""
    return (
        IntakeRequest.objects.same_collectivite_as(intake_request)
        .filter(duplicate_of__isnull=True)
        .order_by("-created_at")
    )


def recent_messages(intake_request, count=3):
    """The last messages of the thread, both ways, the latest first."""
    return intake_request.messages.select_related("sender").order_by("-created_at", "-pk")[:count]


def sessions_shared_with(intake_request):
    """The held working sessions whose compte-rendu the team shared or that left the
    collectivité something to do, each with only the collectivité's items: never an internal
    compte-rendu nor the team's own items."""
    collectivite_items = ActionItem.objects.for_collectivite()
    return (
        intake_request.appointments.filter(
            kind=Appointment.Kind.WORKING_SESSION, status=Appointment.Status.HELD
        )
        .filter(
            Q(record__report_shared=True) | Q(action_items__owner=ActionItem.Owner.COLLECTIVITE)
        )
        .distinct()
        .select_related("record")
        .prefetch_related(
            Prefetch("action_items", queryset=collectivite_items, to_attr="collectivite_items")
        )
        .order_by("starts_at")
    )


def subjects_discussed(intake_request):
    """The subjects the records of the request's sessions name, in the offer's order."""
    named = {
        subject
        for subjects in SessionRecord.objects.filter(
            appointment__request=intake_request
        ).values_list("subjects", flat=True)
        for subject in subjects
    }
    return [need for need in Need.values if need in named]


def cadence_of(intake_request):
    """The request as ``with_cadence()`` reads it: its state, next session and open items;
    None before it is accepted or once it ended."""
    if intake_request.status not in IntakeRequest.CADENCE_STATUSES:
        return None
    return IntakeRequest.objects.with_cadence().get(pk=intake_request.pk)


def satisfaction_asked(intake_request):
    """Whether the status page asks the collectivité how useful its accompaniment was: once
    it is closed, until it answered."""
    return (
        intake_request.status == Status.CLOSED
        and not SatisfactionAnswer.objects.filter(request=intake_request).exists()
    )
