"""The rhythm of an accompaniment, as date arithmetic: when the next working session is due,
and how a suspension shifts it. Pure functions over dates, no database: the lifecycle stores
their answer on the request (its due window), and the queryset tells each accompaniment's
state from it in SQL (``IntakeRequest.objects.with_cadence``).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from ..models import Rhythm

DEFAULT_MIN_WEEKS = 4
DEFAULT_MAX_WEEKS = 8


@dataclass(frozen=True)
class Window:
    """The days the next session is due: "à planifier" from ``opens``, "en retard" after
    ``closes`` (both included in the window)."""

    opens: date
    closes: date


def due_window(
    *, rhythm, last_held_on, started_on, min_weeks, max_weeks, suspended_days=0
) -> Window | None:
    """The window of the next session, or None when nothing is due.

    Counted from the last session held, ``min_weeks`` to ``max_weeks`` later; the days the
    accompaniment was suspended since then push it back. Before any session was held (an
    accompaniment started by hand), the first one is to plan from the start. A one-off
    accompaniment whose session was held has nothing due."""
    pause = timedelta(days=suspended_days)
    if last_held_on is None:
        if started_on is None:
            return None
        return Window(started_on + pause, started_on + pause + timedelta(weeks=max_weeks))
    if rhythm == Rhythm.ONE_OFF:
        return None
    return Window(
        last_held_on + pause + timedelta(weeks=min_weeks),
        last_held_on + pause + timedelta(weeks=max_weeks),
    )


def days_between(first: date, last: date) -> int:
    """Whole days from ``first`` to ``last``; never negative (a clock cannot run backwards)."""
    return max((last - first).days, 0)
