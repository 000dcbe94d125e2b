"""Every figure of the team's activity report, for a period: read-only selectors that
aggregate in the database and cost the same number of queries whatever the number of rows.

What each figure counts:

- requests received: created in the period, spam left out (per month, by kind of
  collectivité, by région, by département, and the delays);
- outcomes: every request created in the period, spam included, by its status today;
- delays: from the reception to the team's first decision, and to the first session held, in
  working days, the days waiting for the applicant left out (as the lifecycle stored them on
  each request: lifecycle/delays.py);
- sessions: the appointments that started in the period; their records' subjects and
  partners;
- accompaniments: ongoing at the end of each month of the period; their length, for those
  closed in the period; satisfaction: the answers given in the period.
"""

import math
import statistics
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from home.models import PortalSettings

from ..models import (
    Appointment,
    CollectiviteKind,
    IntakeRequest,
    Need,
    SatisfactionAnswer,
    SessionRecord,
)
from ..models.collectivite import ARRONDISSEMENT, departement_names, departement_regions
from ..models.collectivite import region_names as region_names_of
from .periods import add_months, local_midnight, month_end

Status = IntakeRequest.Status

POPULATION_BANDS = [
    # (key, lowest population of the band, its label)
    ("lt_1000", 0, _("Commune de moins de 1 000 habitants")),
    ("1000_3499", 1000, _("Commune de 1 000 à 3 499 habitants")),
    ("3500_9999", 3500, _("Commune de 3 500 à 9 999 habitants")),
    ("10000_49999", 10000, _("Commune de 10 000 à 49 999 habitants")),
    ("50000_plus", 50000, _("Commune de 50 000 habitants ou plus")),
]
UNKNOWN_BAND = "unknown"
KINDS = [
    *((f"commune_{key}", label) for key, _lowest, label in POPULATION_BANDS),
    (f"commune_{UNKNOWN_BAND}", _("Commune (population inconnue)")),
    (ARRONDISSEMENT, _("Arrondissement municipal")),
    (CollectiviteKind.EPCI.value, CollectiviteKind.EPCI.label),
    (CollectiviteKind.EPT.value, CollectiviteKind.EPT.label),
    (CollectiviteKind.DEPARTEMENT.value, CollectiviteKind.DEPARTEMENT.label),
    (CollectiviteKind.REGION.value, CollectiviteKind.REGION.label),
    (CollectiviteKind.OUTRE_MER.value, CollectiviteKind.OUTRE_MER.label),
    ("other", _("Type non précisé")),
]
UNKNOWN_TERRITORY = _("Non renseigné")

OUTCOMES = [
    (
        "accepted",
        _("Acceptée"),
        [Status.ACCEPTED, Status.IN_PROGRESS, Status.SUSPENDED, Status.CLOSED],
    ),
    ("redirected", _("Orientée vers un partenaire"), [Status.REDIRECTED]),
    ("declined", _("Déclinée"), [Status.DECLINED]),
    ("duplicate", _("Doublon"), [Status.DUPLICATE]),
    ("withdrawn", _("Retirée"), [Status.WITHDRAWN]),
    ("spam", _("Indésirable"), [Status.SPAM]),
    ("pending", _("Sans décision à ce jour"), IntakeRequest.UNDECIDED_STATUSES),
]


@dataclass(frozen=True)
class Cell:
    """One cell of a figure: a stable key ("2026-05", "commune_lt_1000", "2A", "accepted"),
    its French label, the count and, when the figure has a total, its share of it (0 to 1)."""

    key: str
    label: str
    value: int
    rate: float | None = None


@dataclass(frozen=True)
class Delays:
    """Working days from the reception to an event, over the requests that reached it."""

    count: int
    median: float | None
    p90: int | None
    target: int
    within_target: int

    @property
    def within_rate(self):
        return self.within_target / self.count if self.count else None


@dataclass(frozen=True)
class Sessions:
    held: int
    no_show: int
    per_month: list

    @property
    def no_show_rate(self):
        """Of the sessions that should have taken place (held or missed), those missed."""
        expected = self.held + self.no_show
        return self.no_show / expected if expected else None


@dataclass(frozen=True)
class Lengths:
    """The accompaniments closed in the period: how many per month, and how long they lasted
    on average (calendar days from the first session held to the closure)."""

    count: int
    mean_days: float | None
    closed_per_month: list


@dataclass(frozen=True)
class Satisfaction:
    count: int
    mean: float | None
    distribution: list


def received(period):
    """The requests received in the period, spam left out."""
    start, end = period.moment_range()
    return IntakeRequest.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        status=Status.SPAM
    )


def month_key(month):
    return f"{month:%Y-%m}"


def month_label(month):
    return formats.date_format(month, "F Y")


def _per_month(period, counts):
    """One cell per month of the period, from {first day of the month: count}."""
    return [
        Cell(month_key(month), month_label(month), counts.get(month, 0)) for month in period.months
    ]


def _with_rates(cells, total=None):
    total = sum(cell.value for cell in cells) if total is None else total
    return [
        Cell(cell.key, cell.label, cell.value, cell.value / total if total else None)
        for cell in cells
    ]


def created_months(period):
    """{(first day of the month, status, working days to the first decision or None): count}
    of every request created in the period, spam included, in one query: the outcomes, the
    requests received per month, the delays to the decision and the answers within the
    target all add these up."""
    start, end = period.moment_range()
    rows = (
        IntakeRequest.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "status", "decision_working_days")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("month", "status", "decision_working_days", "n")
    )
    return {(timezone.localdate(month), status, days): n for month, status, days, n in rows}


def _received_months(period, months):
    """[(month, working days to the first decision or None, count)] of the requests received
    (spam left out), from ``months`` of ``created_months()`` or read now."""
    months = created_months(period) if months is None else months
    return [
        (month, days, n) for (month, status, days), n in months.items() if status != Status.SPAM
    ]


def requests_per_month(period, months=None):
    """``months`` of ``created_months()``, when read already."""
    counts = Counter()
    for month, _days, n in _received_months(period, months):
        counts[month] += n
    return _per_month(period, counts)


def received_places(period):
    """[(kind, département code, région code, count)] of the requests received, in one
    query: the kind of collectivité (communes by population band, a key of ``KINDS``) and
    the territory, from the referential's collectivité or, outside it, from what was typed."""
    band = Case(
        *(
            When(collectivite__population__gte=lowest, then=Value(key))
            for key, lowest, _label in reversed(POPULATION_BANDS)
        ),
        default=Value(UNKNOWN_BAND),
    )
    rows = (
        received(period)
        .annotate(band=band)
        .values(
            "collectivite__kind",
            "collectivite_kind",
            "band",
            "collectivite__departement_code",
            "collectivite__region_code",
            "collectivite_departement",
        )
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(
            "collectivite__kind",
            "collectivite_kind",
            "band",
            "collectivite__departement_code",
            "collectivite__region_code",
            "collectivite_departement",
            "n",
        )
    )
    known = {key for key, _label in KINDS}
    regions = departement_regions()
    read = []
    for kind, typed_kind, band, departement, region, typed, n in rows:
        # Outside the referential, the join gives no codes at all (None, not "").
        in_referential = kind is not None
        kind = kind or typed_kind
        if kind == CollectiviteKind.COMMUNE:
            kind = f"commune_{band if in_referential else UNKNOWN_BAND}"
        if not in_referential:
            departement, region = typed, regions.get(typed, "")
        read.append((kind if kind in known else "other", departement or "", region or "", n))
    return read


def requests_by_kind(period, places=None):
    """By kind of collectivité, communes by population band; with each kind's share.
    ``places`` of ``received_places()``, when read already."""
    counts = Counter()
    for kind, _departement, _region, n in received_places(period) if places is None else places:
        counts[kind] += n
    return _with_rates([Cell(key, str(label), counts[key]) for key, label in KINDS])


def _by_territory(counts, names):
    """Cells of ``counts`` {code: count} in the order of ``names`` {code: name}, the unknown
    code "" last; only the territories with requests."""
    cells = [Cell(code, name, counts[code]) for code, name in names.items() if counts[code]]
    unnamed = sorted(code for code in counts if code and code not in names)
    cells += [Cell(code, code, counts[code]) for code in unnamed]
    if counts[""]:
        cells.append(Cell("", str(UNKNOWN_TERRITORY), counts[""]))
    return _with_rates(cells)


def requests_by_region(period, places=None):
    counts = Counter()
    for _kind, _departement, region, n in received_places(period) if places is None else places:
        counts[region] += n
    return _by_territory(counts, region_names_of())


def requests_by_departement(period, places=None):
    """Keyed by the INSEE département code ("01", "2A", "971"), as a map reads them;
    ``places`` of ``received_places()``, when read already."""
    counts = Counter()
    for _kind, departement, _region, n in received_places(period) if places is None else places:
        counts[departement] += n
    return _by_territory(counts, departement_names())


def outcomes(period, months=None):
    """Every request created in the period by its outcome today, with its share; ``months``
    of ``created_months()``, when read already."""
    statuses = Counter()
    for (_month, status, _days), n in (
        created_months(period) if months is None else months
    ).items():
        statuses[status] += n
    cells = [
        Cell(key, str(label), sum(statuses.get(status, 0) for status in group))
        for key, label, group in OUTCOMES
    ]
    return _with_rates(cells)


def redirect_partners(period):
    """The partners the requests received were redirected to, the most frequent first."""
    rows = (
        received(period)
        .filter(status=Status.REDIRECTED)
        .values("partner__name", "partner_name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts, unnamed = Counter(), str(_("Partenaire non précisé"))
    for row in rows:
        counts[row["partner__name"] or row["partner_name"] or unnamed] += row["n"]
    return _ranked(counts)


def _ranked(counts):
    cells = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return _with_rates([Cell(name, name, n) for name, n in cells])


def percentile(values, share):
    """The nearest-rank percentile: the smallest value that ``share`` of them do not pass."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def summarise(counts, target):
    """The Delays of ``counts`` {working days: how many requests}."""
    values = [days for days, n in sorted(counts.items()) for _ in range(n)]
    if not values:
        return Delays(0, None, None, target, 0)
    return Delays(
        count=len(values),
        median=statistics.median(values),
        p90=percentile(values, 0.9),
        target=target,
        within_target=sum(value <= target for value in values),
    )


def response_target():
    """The response delay the portal's settings aim at, in working days."""
    return PortalSettings.load().response_delay_days


def delays(period, months=None, target=None):
    """(to the first decision, to the first session held): two Delays. ``months`` of
    ``created_months()``, when read already."""
    target = response_target() if target is None else target
    decisions = Counter()
    for _month, days, n in _received_months(period, months):
        if days is not None:
            decisions[days] += n
    sessions = dict(
        received(period)
        .filter(session_working_days__isnull=False)
        .values("session_working_days")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("session_working_days", "n")
    )
    return summarise(decisions, target), summarise(sessions, target)


def answered_within_target_per_month(period, months, target):
    counts = Counter()
    for month, days, n in _received_months(period, months):
        if days is not None and days <= target:
            counts[month] += n
    return _per_month(period, counts)


def _held_in(period):
    start, end = period.moment_range()
    return Q(starts_at__gte=start, starts_at__lt=end)


def sessions(period):
    """The sessions (first exchanges and working sessions) held and missed in the period."""
    appointments = Appointment.objects.filter(
        _held_in(period), status__in=[Appointment.Status.HELD, Appointment.Status.NO_SHOW]
    )
    rows = (
        appointments.annotate(month=TruncMonth("starts_at"))
        .values("month", "status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("month", "status", "n")
    )
    held, missed = Counter(), 0
    for month, status, n in rows:
        if status == Appointment.Status.HELD:
            held[timezone.localdate(month)] += n
        else:
            missed += n
    return Sessions(held=sum(held.values()), no_show=missed, per_month=_per_month(period, held))


def _records(period):
    start, end = period.moment_range()
    return SessionRecord.objects.filter(
        appointment__status=Appointment.Status.HELD,
        appointment__starts_at__gte=start,
        appointment__starts_at__lt=end,
    )


def subjects(period):
    """How many sessions held in the period discussed each of the five axes of the offer;
    the share is of the sessions recorded."""
    counts = _records(period).aggregate(
        recorded=Count("pk"),
        # The subjects are a JSON list of the axes' values, none part of another.
        **{need: Count("pk", filter=Q(subjects__icontains=f'"{need}"')) for need in Need.values},
    )
    cells = [Cell(need, str(label), counts[need]) for need, label in Need.choices]
    return _with_rates(cells, total=counts["recorded"])


def session_partners(period):
    """The partners and leads the sessions held in the period pointed to."""
    through = SessionRecord.partners.through
    rows = (
        through.objects.filter(sessionrecord__in=_records(period))
        .values("partner__name")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("partner__name", "n")
    )
    return _ranked(dict(rows))


def active_accompaniments(period):
    """The accompaniments under way (started, not ended; suspended ones included) at the end
    of each month of the period, in one query."""
    counts = {}
    for month in period.months:
        after = local_midnight(add_months(month, 1))
        counts[month_key(month)] = Count(
            "pk",
            filter=Q(started_on__lte=month_end(month))
            & (Q(ended_at__isnull=True) | Q(ended_at__gte=after)),
        )
    totals = IntakeRequest.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=period.starts_at),
        started_on__lte=period.end,
    ).aggregate(**counts)
    return [
        Cell(month_key(month), month_label(month), totals[month_key(month)])
        for month in period.months
    ]


def accompaniments_by_departement(period):
    """The accompaniments under way at some time in the period (started by its end, not ended
    before its start), by département as ``requests_by_departement``, in one query."""
    rows = (
        IntakeRequest.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=period.starts_at),
            started_on__lte=period.end,
        )
        .values("collectivite__departement_code", "collectivite_departement")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("collectivite__departement_code", "collectivite_departement", "n")
    )
    counts = Counter()
    for code, typed, n in rows:
        # Outside the referential, the join gives no code at all (None): the typed one.
        counts[(typed if code is None else code) or ""] += n
    return _by_territory(counts, departement_names())


def accompaniment_lengths(period):
    start, end = period.moment_range()
    rows = (
        IntakeRequest.objects.filter(
            status=Status.CLOSED, started_on__isnull=False, ended_at__gte=start, ended_at__lt=end
        )
        .annotate(ended_on=TruncDate("ended_at"))
        .order_by()
        .values_list("started_on", "ended_on")
    )
    days, closed = [], Counter()
    for started_on, ended_on in rows:
        days.append((ended_on - started_on).days)
        closed[ended_on.replace(day=1)] += 1
    return Lengths(
        count=len(days),
        mean_days=statistics.fmean(days) if days else None,
        closed_per_month=_per_month(period, closed),
    )


def satisfaction(period):
    start, end = period.moment_range()
    scores = dict(
        SatisfactionAnswer.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .values("score")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("score", "n")
    )
    count = sum(scores.values())
    cells = [
        Cell(str(score), str(label), scores.get(score, 0))
        for score, label in SatisfactionAnswer.Score.choices
    ]
    mean = sum(score * n for score, n in scores.items()) / count if count else None
    return Satisfaction(count=count, mean=mean, distribution=_with_rates(cells))


@dataclass(frozen=True)
class Report:
    """Every figure of the period, as the reports screen shows them."""

    period: object
    requests_per_month: list
    requests_by_kind: list
    requests_by_region: list
    requests_by_departement: list
    outcomes: list
    redirect_partners: list
    decision_delays: Delays
    session_delays: Delays
    answered_within_target_per_month: list
    sessions: Sessions
    subjects: list
    session_partners: list
    active_accompaniments: list
    accompaniments_by_departement: list
    accompaniment_lengths: Lengths
    satisfaction: Satisfaction

    @property
    def received(self):
        return sum(cell.value for cell in self.requests_per_month)


def report(period):
    months = created_months(period)
    target = response_target()
    places = received_places(period)
    decision_delays, session_delays = delays(period, months, target)
    return Report(
        period=period,
        requests_per_month=requests_per_month(period, months),
        requests_by_kind=requests_by_kind(period, places),
        requests_by_region=requests_by_region(period, places),
        requests_by_departement=requests_by_departement(period, places),
        outcomes=outcomes(period, months),
        redirect_partners=redirect_partners(period),
        decision_delays=decision_delays,
        session_delays=session_delays,
        answered_within_target_per_month=answered_within_target_per_month(period, months, target),
        sessions=sessions(period),
        subjects=subjects(period),
        session_partners=session_partners(period),
        active_accompaniments=active_accompaniments(period),
        accompaniments_by_departement=accompaniments_by_departement(period),
        accompaniment_lengths=accompaniment_lengths(period),
        satisfaction=satisfaction(period),
    )
