"""The team's activity reports in the admin: a period to choose, each figure as a titled data
table, and each table's export to CSV and XLSX. The figures come from ``intake.reports``;
only whoever may read requests reaches the screen, and its menu item shows to them alone."""

import io

from django import forms
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet

from ..reports.figures import report
from ..reports.periods import Period
from ..reports.tables import report_tables
from . import spreadsheets
from .permissions import TeamMenuItem, request_permission_policy

FIRST_YEAR = 2020
# A longer custom period would be hundreds of months, in every table.
LONGEST_DAYS = 10 * 366
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def years(today=None):
    today = today or timezone.localdate()
    return [(year, str(year)) for year in range(today.year, FIRST_YEAR - 1, -1)]


class PeriodForm(forms.Form):
    periode = forms.ChoiceField(
        label=_("Période"), choices=list(Period.KINDS.items()), initial=Period.LAST_12_MONTHS
    )
    annee = forms.TypedChoiceField(label=_("Année"), coerce=int, choices=years, required=False)
    du = forms.DateField(
        label=_("Du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Pour des dates choisies. Ce jour est inclus."),
    )
    au = forms.DateField(
        label=_("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Pour des dates choisies. Ce jour est inclus."),
    )

    def clean(self):
        data = super().clean()
        kind = data.get("periode")
        if kind == Period.YEAR and not data.get("annee"):
            self.add_error("annee", _("Choisissez l'année."))
        if kind == Period.CUSTOM:
            start, end = data.get("du"), data.get("au")
            if start is None and "du" not in self.errors:
                self.add_error("du", _("Indiquez le premier jour de la période."))
            if end is None and "au" not in self.errors:
                self.add_error("au", _("Indiquez le dernier jour de la période."))
            if start and end and end < start:
                self.add_error("au", _("Le dernier jour doit suivre le premier, ou être le même."))
            elif start and end and (end - start).days > LONGEST_DAYS:
                self.add_error("au", _("Choisissez une période de dix ans au plus."))
        return data

    @property
    def period(self):
        """The period chosen; only once the form is valid."""
        data = self.cleaned_data
        return {
            Period.THIS_MONTH: Period.this_month,
            Period.LAST_12_MONTHS: Period.last_12_months,
            Period.YEAR: lambda: Period.year(data["annee"]),
            Period.CUSTOM: lambda: Period.custom(data["du"], data["au"]),
        }[data["periode"]]()


def period_form(request):
    """The form of the request's query string; without one, the last 12 months."""
    data = request.GET if "periode" in request.GET else {"periode": Period.LAST_12_MONTHS}
    return PeriodForm(data)


class ReportsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = request_permission_policy
    permission_required = "view"
    template_name = "intake/backoffice/reports.html"
    page_title = _("Rapports d'activité")
    header_icon = "table"

    @cached_property
    def form(self):
        return period_form(self.request)

    def get_page_subtitle(self):
        return self.form.period.label if self.form.is_valid() else ""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        tables = report_tables(report(self.form.period)) if self.form.is_valid() else []
        query = self.request.GET.urlencode()
        exports = [
            (
                table,
                {
                    name: f"{reverse('reports:export', args=[table.key, name])}?{query}"
                    for name in FORMATS
                },
            )
            for table in tables
        ]
        return super().get_context_data(form=self.form, exports=exports, **kwargs)


class ExportView(PermissionCheckedMixin, View):
    """One table of the report, for the period of the query string, as CSV or XLSX."""

    permission_policy = request_permission_policy
    permission_required = "view"

    def get(self, request, key, format):
        if format not in FORMATS:
            raise Http404
        form = period_form(request)
        if not form.is_valid():
            return redirect(f"{reverse('reports:index')}?{request.GET.urlencode()}")
        period = form.period
        table = next((t for t in report_tables(report(period)) if t.key == key), None)
        if table is None:
            raise Http404
        if format == "csv":
            response = StreamingHttpResponse(
                spreadsheets.csv_lines(table.headings, table.rows), content_type=FORMATS[format]
            )
        else:
            output = io.BytesIO()
            spreadsheets.xlsx_table(output, table.title, table.headings, table.rows)
            response = HttpResponse(output.getvalue(), content_type=FORMATS[format])
        name = f"{table.key}_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}.{format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ReportsViewSet(ViewSet):
    name = "reports"
    url_prefix = "rapports"
    icon = "table"
    menu_label = _("Rapports")
    menu_order = 170
    add_to_admin_menu = True
    menu_item_class = TeamMenuItem

    def get_urlpatterns(self):
        return [
            path("", ReportsView.as_view(), name="index"),
            path("export/<slug:key>/<str:format>/", ExportView.as_view(), name="export"),
        ]
