"""How the reports screen writes a figure's value: French numbers, a dash for none."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def report_value(value):
    if value is None:
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return value
