"""The permanence as the public pages describe it, read from the opening rules that drive
the booking: one owner for the day and hours."""

from datetime import timedelta

from django import template
from django.db.models import Exists
from django.utils import timezone

from intake.booking import describe_permanence, permanence_changes_at, permanence_is_open
from intake.models import Closure, OpeningRule

register = template.Library()


@register.simple_tag
def permanence():
    """The active opening rules, their hours in words, whether the permanence runs now, and
    when that may change (what the page cache keeps the page until)."""
    today = timezone.localdate()
    week = Closure.objects.overlapping(today, today + timedelta(days=7))
    # Whether the week has a closure comes with the rules: most weeks, one query in all.
    rules = list(OpeningRule.objects.active().annotate(week_has_closure=Exists(week)))
    closures = list(week) if rules and rules[0].week_has_closure else []
    return {
        "rules": rules,
        "hours": describe_permanence(rules),
        "is_open": permanence_is_open(rules, closures=closures),
        "changes_at": permanence_changes_at(rules, closures),
    }
