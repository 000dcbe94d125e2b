"""The permanence as the public pages describe it, read from the opening rules that drive
the booking: one owner for the day and hours."""

from django import template

from intake.booking import describe_permanence, permanence_is_open
from intake.models import OpeningRule

register = template.Library()


@register.simple_tag
def permanence():
    """The active opening rules, their hours in words, and whether the permanence runs now."""
    rules = list(OpeningRule.objects.active())
    return {
        "rules": rules,
        "hours": describe_permanence(rules),
        "is_open": permanence_is_open(rules),
    }
