"""The subset of the report the public statistics page shows: the same selectors as the
team's report, so the figures agree for the same period, but never a name, and no count
small enough to single out a collectivité or its contact (under 5 it reads "< 5", and the
départements under 5 are grouped)."""

from dataclasses import dataclass

from . import figures
from .charts import Suppressed
from .france_map import departement_codes
from .periods import Period

THRESHOLD = 5


# A count under THRESHOLD, which the public never reads exactly: charts hatch it.
SMALL = Suppressed(f"< {THRESHOLD}")


def masked(value):
    """``value``, or ``SMALL`` when it is under the threshold (zero included)."""
    return SMALL if value < THRESHOLD else value


@dataclass(frozen=True)
class PublicCell:
    key: str
    label: str
    value: object  # an int of at least THRESHOLD, or SMALL


@dataclass(frozen=True)
class PublicMonth:
    key: str
    label: str
    received: object
    answered_within_target: object
    accompaniments_under_way: object
    accompaniments_closed: object
    sessions_held: object


@dataclass(frozen=True)
class PublicFigures:
    period: Period
    target_days: int
    totals: dict  # received, answered_within_target, accompaniments_closed, sessions_held…
    months: list  # PublicMonth
    kinds: list  # PublicCell
    regions: list
    # The départements with at least 5 requests, keyed by INSEE code ("01", "2A", "971").
    departements: list
    # The codes of those with fewer (a map shows them as one class, "< 5"), and their sum,
    # itself masked, for the table's grouped row.
    small_departements: list
    other_departements: object
    satisfaction_count: object
    satisfaction_mean: float | None
    satisfaction: list

    # The same figures as a chart takes them: (label, value) pairs, and the map's values.

    @property
    def received_per_month(self):
        return [(month.label, month.received) for month in self.months]

    @property
    def kinds_chart(self):
        return [(cell.label, cell.value) for cell in self.kinds]

    @property
    def regions_chart(self):
        return [(cell.label, cell.value) for cell in self.regions]

    @property
    def satisfaction_chart(self):
        return [(cell.label, cell.value) for cell in self.satisfaction]

    @property
    def departement_values(self):
        """Every département's figure for the map: under 5 (none included), "< 5"; the
        Pacific's collectivités, which it does not draw, left out."""
        values = dict.fromkeys(departement_codes(), SMALL)
        values.update((cell.key, cell.value) for cell in self.departements if cell.key in values)
        return values


def _cells(cells):
    return [PublicCell(cell.key, cell.label, masked(cell.value)) for cell in cells]


def public_figures(period=None):
    """The public page's figures, by month over ``period`` (the last 12 months unless
    given)."""
    period = period or Period.last_12_months()
    months = figures.created_months(period)
    target = figures.response_target()
    received = figures.requests_per_month(period, months)
    answered = figures.answered_within_target_per_month(period, months, target)
    active = figures.active_accompaniments(period)
    lengths = figures.accompaniment_lengths(period)
    sessions = figures.sessions(period)
    satisfaction = figures.satisfaction(period)
    places = figures.received_places(period)
    departements = [cell for cell in figures.requests_by_departement(period, places) if cell.key]
    small = [cell for cell in departements if cell.value < THRESHOLD]

    def total(cells):
        return masked(sum(cell.value for cell in cells))

    return PublicFigures(
        period=period,
        target_days=target,
        totals={
            "received": total(received),
            "answered_within_target": total(answered),
            "accompaniments_under_way": masked(active[-1].value),
            "accompaniments_closed": masked(lengths.count),
            "sessions_held": masked(sessions.held),
        },
        months=[
            PublicMonth(
                key=month.key,
                label=month.label,
                received=masked(month.value),
                answered_within_target=masked(answered_cell.value),
                accompaniments_under_way=masked(active_cell.value),
                accompaniments_closed=masked(closed_cell.value),
                sessions_held=masked(held_cell.value),
            )
            for month, answered_cell, active_cell, closed_cell, held_cell in zip(
                received,
                answered,
                active,
                lengths.closed_per_month,
                sessions.per_month,
                strict=True,
            )
        ],
        kinds=_cells(figures.requests_by_kind(period, places)),
        regions=_cells(cell for cell in figures.requests_by_region(period, places) if cell.key),
        departements=_cells(cell for cell in departements if cell.value >= THRESHOLD),
        small_departements=[cell.key for cell in small],
        other_departements=masked(sum(cell.value for cell in small)),
        satisfaction_count=masked(satisfaction.count),
        satisfaction_mean=satisfaction.mean if satisfaction.count >= THRESHOLD else None,
        satisfaction=_cells(satisfaction.distribution),
    )
