"""The reports' figures in a template: `{% bar_chart … %}` and `{% france_map … %}`, whose
keyword options are those of `intake.reports.charts.bar_chart` and
`intake.reports.france_map.france_map` (the page links `css/reports.css`, which colours
them), `report_value`, a figure's value in French numbers or a dash for none (an unknown
code too), and `public_statistics`, the figures of the public statistics page."""

from datetime import timedelta

from django import template
from django.utils import timezone

from home.cache import fragment
from intake.reports import charts
from intake.reports import france_map as maps
from intake.reports.periods import Period, local_midnight
from intake.reports.public import public_figures

register = template.Library()


@register.filter
def report_value(value):
    return "—" if value is None or value == "" else charts.format_value(value)


@register.inclusion_tag("intake/reports/bar_chart.html")
def bar_chart(title, description, data, with_table=True, **options):
    """A bar chart and its data table (unless the page shows the figures in one of its own);
    `data` is a list of (label, value)."""
    chart = charts.bar_chart(title=title, description=description, data=data, **options)
    return {"chart": chart, "with_table": with_table}


@register.inclusion_tag("intake/reports/france_map.html")
def france_map(title, description, values, **options):
    """The map of France by département and its data table; `values` is {INSEE code: count}."""
    return {"map": maps.france_map(title=title, description=description, values=values, **options)}


@register.simple_tag(takes_context=True)
def public_statistics(context):
    """The public figures of the twelve months before this one, counted once a day in the
    shared cache (a fragment of home/cache.py): the page that shows them is kept no longer."""
    today = timezone.localdate()
    return fragment(
        context.get("request"),
        f"public-statistics:{today.isoformat()}",
        lambda: (
            public_figures(Period.past_12_months(today)),
            local_midnight(today + timedelta(days=1)),
        ),
    )
