"""The French working-day calendar: public holidays, and counting days that are worked.

Pure functions over dates, shared by the booking rules (no permanence on a public holiday),
the team's response clock (an age in working days) and its daily digest (working days only).
"""

from datetime import date, timedelta
from functools import cache

from django.utils.translation import gettext_lazy as _

SATURDAY = 5


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_public_holidays(year: int) -> dict[date, str]:
    """The eleven national public holidays of metropolitan France, by date."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): _("Jour de l'an"),
        easter + timedelta(days=1): _("Lundi de Pâques"),
        date(year, 5, 1): _("Fête du Travail"),
        date(year, 5, 8): _("Victoire 1945"),
        easter + timedelta(days=39): _("Ascension"),
        easter + timedelta(days=50): _("Lundi de Pentecôte"),
        date(year, 7, 14): _("Fête nationale"),
        date(year, 8, 15): _("Assomption"),
        date(year, 11, 1): _("Toussaint"),
        date(year, 11, 11): _("Armistice 1918"),
        date(year, 12, 25): _("Noël"),
    }


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(french_public_holidays(year))


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in _holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """The working days after ``start`` up to ``end`` included: 0 on the day itself."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day


def previous_working_day(day: date) -> date:
    """The last working day before ``day``."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


class WorkingDayIndex:
    """The working days between any two days from ``first`` to ``last``, each count a
    subtraction: the reports count the delays of tens of thousands of requests."""

    def __init__(self, first: date, last: date):
        self.first = first.toordinal()
        counts, total = [0], 0
        for offset in range(1, (last - first).days + 1):
            total += is_working_day(first + timedelta(days=offset))
            counts.append(total)
        self.counts = counts

    def between(self, start: date, end: date) -> int:
        """As ``working_days_between``, for two days of the index's span."""
        if end <= start:
            return 0
        return (
            self.counts[end.toordinal() - self.first] - self.counts[start.toordinal() - self.first]
        )
