"""The period a report covers: this month, the last 12 months, a calendar year or dates of
the team's choice, with its bounds and its month buckets. Pure dates, no query."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


def first_of_month(day):
    return day.replace(day=1)


def add_months(day, months):
    """The first day of the month ``months`` after (or before) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(month):
    """The last day of the month starting on ``month``."""
    return add_months(month, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in local (Paris) dates."""

    THIS_MONTH, LAST_12_MONTHS, YEAR, CUSTOM = "mois", "12-mois", "annee", "dates"
    KINDS = {
        THIS_MONTH: _("Ce mois-ci"),
        LAST_12_MONTHS: _("Les 12 derniers mois"),
        YEAR: _("Une année civile"),
        CUSTOM: _("Des dates choisies"),
    }

    kind: str
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @classmethod
    def this_month(cls, today=None):
        today = today or timezone.localdate()
        return cls(cls.THIS_MONTH, first_of_month(today), month_end(first_of_month(today)))

    @classmethod
    def last_12_months(cls, today=None):
        """The current month and the eleven before it."""
        today = today or timezone.localdate()
        current = first_of_month(today)
        return cls(cls.LAST_12_MONTHS, add_months(current, -11), month_end(current))

    @classmethod
    def past_12_months(cls, today=None):
        """The twelve months before the current one: figures that hold for the whole month,
        which the team finds again as these dates in its report."""
        current = first_of_month(today or timezone.localdate())
        return cls(cls.CUSTOM, add_months(current, -12), current - timedelta(days=1))

    @classmethod
    def year(cls, year):
        return cls(cls.YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def custom(cls, start, end):
        return cls(cls.CUSTOM, start, end)

    @property
    def months(self):
        """The first day of each month the period touches, in order."""
        months, month = [], first_of_month(self.start)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    @property
    def starts_at(self):
        """The period's first moment, aware."""
        return local_midnight(self.start)

    @property
    def ends_before(self):
        """The moment after the period's last one, aware: the bound to stay below."""
        return local_midnight(self.end + timedelta(days=1))

    def moment_range(self):
        """Bounds for a ``__gte`` / ``__lt`` pair of lookups on a date-time field."""
        return self.starts_at, self.ends_before

    @property
    def label(self):
        """ "du 1 janvier 2026 au 31 décembre 2026"."""
        return _("du %(start)s au %(end)s") % {
            "start": formats.date_format(self.start, "j F Y"),
            "end": formats.date_format(self.end, "j F Y"),
        }


def local_midnight(day):
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
