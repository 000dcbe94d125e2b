"""The permanence as the public pages describe it, read from the opening rules that drive
the booking: one owner for the day and hours."""

from datetime import timedelta

from django import template
from django.utils import timezone

from intake.booking import describe_permanence, permanence_changes_at, permanence_is_open
from intake.models import Closure, OpeningRule

register = template.Library()


@register.simple_tag
def permanence():
    """The active opening rules, their hours in words, whether the permanence runs now, and
    when that may change (what the page cache keeps the page until)."""
    rules = list(OpeningRule.objects.active())
    today = timezone.localdate()
    closures = Closure.objects.overlapping(today, today + timedelta(days=7)) if rules else []
    return {
        "rules": rules,
        "hours": describe_permanence(rules),
        "is_open": permanence_is_open(rules),
        "changes_at": permanence_changes_at(rules, closures),
    }
