"""The team's queue: a Wagtail listing of requests with tabs, search, filters, sorting, a
readable spreadsheet export and bulk actions."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import (
    BaseColumn,
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import ExcelDateFormatter
from wagtail.admin.widgets.button import HeaderButton

from home.models import Theme

from .. import selectors
from ..fields import TeamMemberFilterField
from ..models import (
    FirstExchange,
    IntakeRequest,
    Label,
    Need,
    ResponseClock,
    SavedQueueFilter,
)
from ..models.collectivite import KIND_CHOICES
from ..replies import team_member_name
from . import spreadsheets
from .permissions import request_permission_policy
from .saved_filters import SavedFilterForm

Status = IntakeRequest.Status


class ResponseFilter(django_filters.ChoiceFilter):
    STATES = [ResponseClock.ON_TIME, ResponseClock.DUE_TODAY, ResponseClock.LATE]

    def __init__(self, **kwargs):
        choices = [(state, ResponseClock.LABELS[state]) for state in self.STATES]
        super().__init__(choices=choices, method=self.by_clock, **kwargs)

    @staticmethod
    def by_clock(queryset, name, value):
        today = timezone.localdate()
        return {
            "on_time": queryset.on_time(today),
            "due_today": queryset.due_on(today),
            "late": queryset.late(today),
        }[value]


class AssigneeFilter(django_filters.ModelChoiceFilter):
    field_class = TeamMemberFilterField


class QueueFilterSet(WagtailFilterSet):
    vue = django_filters.ChoiceFilter(
        label=_("Vue"),
        choices=[(key, label) for key, (label, _condition) in selectors.QUEUE_VIEWS.items()],
        empty_label=None,
        method="by_view",
        widget=forms.RadioSelect,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Statut"),
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    assignee = AssigneeFilter(
        label=_("Chargé·e"),
        queryset=selectors.team_members(),
        null_label=_("Personne"),
        null_value="aucun",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type de collectivité"), choices=KIND_CHOICES, method="by_kind"
    )
    # The referential's régions and départements, as (code, name) choices read from the
    # shared cache: a select of a hundred model instances costs a page a fifth of its time.
    region = django_filters.ChoiceFilter(
        label=_("Région"), choices=selectors.region_choices, method="by_region"
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"), choices=selectors.departement_choices, method="by_departement"
    )
    need = django_filters.ChoiceFilter(label=_("Besoin"), choices=Need.choices, method="by_need")
    # One theme or label at a time: a request matches once, no DISTINCT needed.
    theme = django_filters.ModelChoiceFilter(
        label=_("Thématique"), queryset=Theme.objects.all(), field_name="themes", distinct=False
    )
    label = django_filters.ModelChoiceFilter(
        label=_("Étiquette"), queryset=Label.objects.all(), field_name="labels", distinct=False
    )
    received = django_filters.DateFromToRangeFilter(
        label=_("Reçue entre"), field_name="created_at__date", widget=DateRangePickerWidget
    )
    response = ResponseFilter(label=_("Délai de réponse"))
    premier_echange = django_filters.ChoiceFilter(
        label=_("Premier échange"),
        choices=[
            (FirstExchange.SLOT, _("Créneau choisi")),
            (FirstExchange.CALL_BACK, _("À rappeler")),
            (FirstExchange.NO_SLOT, _("Aucun créneau ne convenait")),
        ],
        field_name="first_exchange",
    )
    rendez_vous = django_filters.ChoiceFilter(
        label=_("Rendez-vous"),
        choices=[
            ("aucun", _("Aucun rendez-vous")),
            ("semaine", _("Cette semaine")),
            ("semaine-prochaine", _("La semaine prochaine")),
        ],
        method="by_appointment",
    )
    indesirables = django_filters.BooleanFilter(
        label=_("Inclure les indésirables"),
        widget=forms.CheckboxInput,
        method="with_spam",
    )

    class Meta:
        model = IntakeRequest
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("vue"):
            data = data.copy()
            data["vue"] = selectors.DEFAULT_QUEUE_VIEW
        super().__init__(data, *args, **kwargs)
        self.form.fields["vue"].initial = selectors.DEFAULT_QUEUE_VIEW
        # An unticked box is the default, not a filter.
        self.form.fields["indesirables"].initial = False

    def by_view(self, queryset, name, value):
        cleaned = self.form.cleaned_data
        # Asked for by the option, or by the status filter.
        include_spam = cleaned.get("indesirables") or Status.SPAM in cleaned.get("status", [])
        return selectors.in_queue_view(
            queryset, value, self.request.user, include_spam=bool(include_spam)
        )

    def with_spam(self, queryset, name, value):
        """The option only tells by_view() to keep the spam in "Toutes"."""
        return queryset

    def by_appointment(self, queryset, name, value):
        if value == "aucun":
            return queryset.without_booked_appointment()
        today = timezone.localdate()
        if value == "semaine-prochaine":
            today += datetime.timedelta(days=7)
        return queryset.with_appointment_between(*selectors.week_bounds(today))

    def by_kind(self, queryset, name, value):
        typed = Q(collectivite__isnull=True, collectivite_kind=value)
        return queryset.filter(Q(collectivite__kind=value) | typed)

    def by_region(self, queryset, name, value):
        typed = Q(
            collectivite__isnull=True,
            collectivite_departement__in=selectors.departements_of(value),
        )
        return queryset.filter(Q(collectivite__region_code=value) | typed)

    def by_departement(self, queryset, name, value):
        typed = Q(collectivite__isnull=True, collectivite_departement=value)
        return queryset.filter(Q(collectivite__departement_code=value) | typed)

    def by_need(self, queryset, name, value):
        # A JSON list of codes: its text holds "code" with its quotes (SQLite and PostgreSQL).
        return queryset.filter(needs__icontains=f'"{value}"')


class TemplateColumn(BaseColumn):
    """A column whose cell template reads the row's request itself."""

    def __init__(self, name, template_name, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template_name


def _cell(name):
    return f"intake/backoffice/cells/{name}.html"


# The exported columns: field, heading, width in the spreadsheet (in characters).
EXPORT_COLUMNS = [
    ("reference", _("Référence"), 16),
    ("created_at", _("Reçue le"), 17),
    ("status", _("Statut"), 24),
    ("collectivite", _("Collectivité"), 36),
    ("kind", _("Type"), 24),
    ("departement", _("Département"), 22),
    ("region", _("Région"), 26),
    ("insee", _("Code INSEE"), 11),
    ("siren", _("SIREN"), 11),
    ("population", _("Population"), 12),
    ("contact", _("Contact"), 24),
    ("function", _("Fonction"), 28),
    ("role", _("Élu·e ou agent·e"), 16),
    ("email", _("Courriel"), 30),
    ("phone", _("Téléphone"), 16),
    ("needs", _("Besoins"), 40),
    ("themes", _("Thématiques"), 30),
    ("rhythm", _("Rythme souhaité"), 30),
    ("first_exchange", _("Premier échange"), 26),
    ("assignee", _("Chargé·e"), 22),
    ("response", _("Délai de réponse"), 22),
    ("next_appointment", _("Prochain rendez-vous"), 20),
    ("labels", _("Étiquettes"), 24),
    ("partner", _("Partenaire"), 28),
    ("decided_at", _("Décision le"), 17),
    ("ended_at", _("Terminée le"), 17),
]


def _local(moment):
    """A time as the team reads it in a spreadsheet: local, without a zone; empty if none."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else ""


class SearchPaginator(WagtailPaginator):
    """A search's matches counted up to a ceiling: a common word would otherwise count every
    row it is found in (a tenth of 100,000 requests takes half a second), and past a thousand
    the team narrows its search rather than turns pages."""

    ceiling = 1000

    @cached_property
    def count(self):
        return self.object_list[: self.ceiling + 1].count()

    @cached_property
    def capped(self):
        return self.count > self.ceiling

    @cached_property
    def items_count_label(self):
        if self.capped:
            return gettext("plus de %(ceiling)s demandes") % {
                "ceiling": formats.number_format(self.ceiling, force_grouping=True)
            }
        return super().items_count_label


class QueueView(IndexView):
    results_template_name = "intake/backoffice/queue_results.html"
    template_name = "intake/backoffice/queue.html"
    filterset_class = QueueFilterSet
    # One normalised text per request, which the lifecycle keeps (IntakeRequest.search_text).
    search_fields = ["search_text"]
    search_backend_name = None
    default_ordering = "-created_at"
    list_export = [field for field, _heading, _width in EXPORT_COLUMNS]
    export_headings = {field: heading for field, heading, _width in EXPORT_COLUMNS}

    def get_base_queryset(self):
        intake_requests = IntakeRequest.objects.visible_to(self.request.user).for_queue()
        if self.is_export:
            intake_requests = intake_requests.select_related("partner").prefetch_related("themes")
        return intake_requests

    def search_queryset(self, queryset):
        return queryset.matching(self.search_query)

    def get_paginator(self, *args, **kwargs):
        if self.is_searching:
            return SearchPaginator(*args, **kwargs)
        return super().get_paginator(*args, **kwargs)

    def filter_queryset(self, queryset):
        """The valid filters apply even when another is not (a label deleted since, say):
        Wagtail would otherwise drop them all and list every request under the tab."""
        if self.filters is not None:
            self.filters.is_valid()
            queryset = self.filters.filter_queryset(queryset)
        return queryset

    @cached_property
    def header_buttons(self):
        """A request received by phone or email is typed in from here, by the team."""
        if not request_permission_policy.user_has_permission(self.request.user, "change"):
            return []
        return [
            HeaderButton(
                _("Nouvelle demande"),
                url=reverse("intake_requests:new_request"),
                icon_name="plus",
            )
        ]

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
            TitleColumn(
                "reference",
                label=_("Référence"),
                url_name=self.edit_url_name,
                sort_key="reference",
                get_title_id=lambda intake_request: f"request_{intake_request.pk}_title",
            ),
            TemplateColumn(
                "collectivite",
                _cell("collectivite"),
                label=_("Collectivité"),
                sort_key="collectivite__name",
            ),
            TemplateColumn("status", _cell("status"), label=_("Statut"), sort_key="status"),
            Column(
                "assignee",
                label=_("Chargé·e"),
                accessor=lambda intake_request: (
                    team_member_name(intake_request.assignee) if intake_request.assignee_id else ""
                ),
                sort_key="assignee__last_name",
            ),
            TemplateColumn(
                "response",
                _cell("response"),
                label=_("Délai de réponse"),
                sort_key="response_due_on",
            ),
            DateColumn("created_at", label=_("Reçue le"), sort_key="created_at"),
            TemplateColumn("next_appointment", _cell("appointment"), label=_("Rendez-vous")),
            TemplateColumn("labels", _cell("labels"), label=_("Étiquettes")),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts = selectors.queue_counts(self.request.user)
        current = self.filters.form.cleaned_data.get("vue") if self.filters.is_valid() else None
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        tabs = []
        for key, (label, _condition) in selectors.QUEUE_VIEWS.items():
            query["vue"] = key
            tabs.append(
                {
                    "label": label,
                    "count": counts[key],
                    "url": f"{self.index_url}?{query.urlencode()}",
                    "current": key == (current or selectors.DEFAULT_QUEUE_VIEW),
                }
            )
        context["tabs"] = tabs
        context["today"] = timezone.localdate()
        context["saved_filters"] = [
            (saved, f"{self.index_url}?{saved.querystring}")
            for saved in SavedQueueFilter.objects.of(self.request.user)
        ]
        context["save_filter_form"] = SavedFilterForm(
            user=self.request.user, initial={"querystring": self.filter_querystring()}
        )
        context["save_filter_url"] = reverse("intake_requests:save_filter")
        return context

    def filter_querystring(self):
        """The search, filters and ordering of this page, without its page number."""
        return SavedFilterForm.clean_query(self.request.GET.urlencode())

    def stream_csv(self, queryset):
        """The CSV as French spreadsheet software opens it (``spreadsheets``)."""
        writer = spreadsheets.csv_writer(self.list_export)
        headings = {field: self.get_heading(queryset, field) for field in self.list_export}
        yield spreadsheets.csv_heading(writer, headings)
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_xlsx(self, queryset, output):
        """One sheet named "Demandes": its columns as wide as what they hold, its heading row
        frozen and filterable."""
        workbook = spreadsheets.xlsx_workbook()
        widths = [width for _field, _heading, width in EXPORT_COLUMNS]
        sheet = spreadsheets.xlsx_sheet(workbook, gettext("Demandes"), widths)
        sheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        rows = 1
        for item in queryset:
            sheet.append(self.generate_xlsx_row(sheet, self.to_row_dict(item), date_format))
            rows += 1
        spreadsheets.xlsx_filter(sheet, len(self.list_export), rows)
        workbook.save(output)

    def preprocess_field_value(self, field, value, export_format):
        if export_format != self.FORMAT_CSV:
            return super().preprocess_field_value(field, value, export_format)
        return spreadsheets.csv_cell(value)

    def to_row_dict(self, item):
        """Readable French values, local times: what the team reads in a spreadsheet."""
        clock = item.response_clock()
        appointment = item.next_appointment
        collectivite = item.collectivite
        values = {
            "reference": item.reference,
            "created_at": _local(item.created_at),
            "status": item.get_status_display(),
            "collectivite": item.collectivite_label,
            "kind": item.kind_display,
            "insee": collectivite.insee_code if collectivite else "",
            "siren": collectivite.siren if collectivite else "",
            "departement": item.departement_display,
            "region": item.region_display,
            "population": ""
            if collectivite is None or collectivite.population is None
            else collectivite.population,
            "contact": item.contact_name,
            "function": item.function,
            "role": item.get_role_display(),
            "email": item.email,
            "phone": item.phone_display,
            "needs": ", ".join(str(label) for label in item.need_labels),
            "themes": ", ".join(theme.name for theme in item.themes.all()),
            "rhythm": item.get_rhythm_display(),
            "first_exchange": item.get_first_exchange_display(),
            "assignee": team_member_name(item.assignee) if item.assignee_id else "",
            # How long the answer took stays in the export; a withdrawal owes none.
            "response": clock.label
            if clock.state == ResponseClock.WITHDRAWN
            else f"{clock.label} ({clock.age}/{clock.target})",
            "next_appointment": _local(appointment.starts_at if appointment else None),
            "labels": ", ".join(label.name for label in item.labels.all()),
            "partner": item.partner.name if item.partner_id else "",
            "decided_at": _local(item.decided_at),
            "ended_at": _local(item.ended_at),
        }
        return {field: values[field] for field in self.list_export}
