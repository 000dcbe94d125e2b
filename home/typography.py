"""French typography for the site's texts: hours as the French write them."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def french_hour(value):
    """14:00 → "14 h", 14:30 → "14 h 30", with non-breaking spaces (French typography)."""
    if not value:
        return ""
    if value.minute:
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour}\u00a0h"


def _local(value):
    """An aware datetime in the site's time zone; dates and times are left as they are."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def french_time(value):
    """A datetime's hour on the Paris clock, as ``french_hour`` writes it."""
    return french_hour(_local(value)) if value else ""


def french_when(value, date_format="j F Y"):
    """ "7 décembre 2026 à 14 h 30": a moment in French text (the date in ``date_format``)."""
    if not value:
        return ""
    local = _local(value)
    return _("%(day)s à %(hour)s") % {
        "day": formats.date_format(local, date_format),
        "hour": french_hour(local),
    }
