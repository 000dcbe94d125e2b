"""The reports' figures in a template: `{% bar_chart … %}` and `{% france_map … %}`, whose
keyword options are those of `intake.reports.charts.bar_chart` and
`intake.reports.france_map.france_map` (the page links `css/reports.css`, which colours
them), and `report_value`, a figure's value in French numbers or a dash for none."""

from django import template

from intake.reports import charts
from intake.reports import france_map as maps

register = template.Library()


@register.filter
def report_value(value):
    return "—" if value is None else charts.format_value(value)


@register.inclusion_tag("intake/reports/bar_chart.html")
def bar_chart(title, description, data, **options):
    """A bar chart and its data table; `data` is a list of (label, value)."""
    return {"chart": charts.bar_chart(title=title, description=description, data=data, **options)}


@register.inclusion_tag("intake/reports/france_map.html")
def france_map(title, description, values, **options):
    """The map of France by département and its data table; `values` is {INSEE code: count}."""
    return {"map": maps.france_map(title=title, description=description, values=values, **options)}
