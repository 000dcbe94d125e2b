"""The team's queue: a Wagtail listing of requests with tabs, search, filters, sorting, a
readable spreadsheet export and bulk actions."""

import codecs
import csv
import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import (
    BaseColumn,
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import Echo

from home.models import Theme

from .. import selectors
from ..models import CollectiviteKind, IntakeRequest, Label, Need, ResponseClock
from ..replies import team_member_name
from ..text import normalise
from .forms import TeamMemberFilterField

Status = IntakeRequest.Status
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        label=_("Type de collectivité"), choices=CollectiviteKind.choices, method="by_kind"
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
    rendez_vous = django_filters.ChoiceFilter(
        label=_("Rendez-vous"), choices=[("semaine", _("Cette semaine"))], method="by_appointment"
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

    def by_view(self, queryset, name, value):
        return selectors.in_queue_view(queryset, value, self.request.user)

    def by_appointment(self, queryset, name, value):
        return queryset.with_appointment_between(*selectors.week_bounds())

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


class QueueView(IndexView):
    results_template_name = "intake/backoffice/queue_results.html"
    template_name = "intake/backoffice/queue.html"
    filterset_class = QueueFilterSet
    # Searched as typed; the collectivité's names are also searched normalised (accents, case,
    # hyphens), as the referential compares them.
    search_fields = ["reference", "collectivite_name", "first_name", "last_name", "email"]
    normalised_search_fields = ["collectivite__search_name", "collectivite_search_name"]
    search_backend_name = None
    default_ordering = "-created_at"
    list_export = [
        "reference",
        "created_at",
        "status",
        "collectivite",
        "kind",
        "departement",
        "contact",
        "function",
        "role",
        "email",
        "phone",
        "needs",
        "rhythm",
        "first_exchange",
        "assignee",
        "response",
        "next_appointment",
        "labels",
    ]
    export_headings = {
        "reference": _("Référence"),
        "created_at": _("Reçue le"),
        "status": _("Statut"),
        "collectivite": _("Collectivité"),
        "kind": _("Type"),
        "departement": _("Département"),
        "contact": _("Contact"),
        "function": _("Fonction"),
        "role": _("Élu·e ou agent·e"),
        "email": _("Courriel"),
        "phone": _("Téléphone"),
        "needs": _("Besoins"),
        "rhythm": _("Rythme souhaité"),
        "first_exchange": _("Premier échange"),
        "assignee": _("Chargé·e"),
        "response": _("Délai de réponse"),
        "next_appointment": _("Prochain rendez-vous"),
        "labels": _("Étiquettes"),
    }

    def get_base_queryset(self):
        return IntakeRequest.objects.visible_to(self.request.user).for_queue()

    def search_queryset(self, queryset):
        """Every word must be found, in any of the search fields ("camille martin")."""
        for word in self.search_query.split():
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            normalised = normalise(word)
            if normalised:
                for field in self.normalised_search_fields:
                    match |= Q(**{f"{field}__contains": normalised})
            queryset = queryset.filter(match)
        return queryset

    def filter_queryset(self, queryset):
        """The valid filters apply even when another is not (a label deleted since, say):
        Wagtail would otherwise drop them all and list every request under the tab."""
        if self.filters is not None:
            self.filters.is_valid()
            queryset = self.filters.filter_queryset(queryset)
        return queryset

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
            TitleColumn(
                "reference",
                label=_("Référence"),
                url_name=self.edit_url_name,
                sort_key="reference",
                get_title_id=lambda request: f"request_{request.pk}_title",
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
                accessor=lambda request: (
                    team_member_name(request.assignee) if request.assignee_id else ""
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
        return context

    def stream_csv(self, queryset):
        """The CSV as French spreadsheet software opens it: a byte-order mark that says
        UTF-8, then columns separated by semicolons (the comma is the decimal mark)."""
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=";")
        headings = {field: self.get_heading(queryset, field) for field in self.list_export}
        yield codecs.BOM_UTF8 + writer.writerow(headings)
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def preprocess_field_value(self, field, value, export_format):
        if export_format != self.FORMAT_CSV:
            return super().preprocess_field_value(field, value, export_format)
        if isinstance(value, datetime.datetime):
            return formats.date_format(value, "d/m/Y H:i")
        value = str(value)
        # What the applicant typed stays text: a cell starting like a formula is not one.
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value

    def to_row_dict(self, item):
        """Readable French values, local times: what the team reads in a spreadsheet."""
        clock = item.response_clock()
        appointment = item.next_appointment
        values = {
            "reference": item.reference,
            "created_at": timezone.localtime(item.created_at).replace(tzinfo=None),
            "status": item.get_status_display(),
            "collectivite": item.collectivite_label,
            "kind": item.kind_display,
            "departement": item.departement_display,
            "contact": item.contact_name,
            "function": item.function,
            "role": item.get_role_display(),
            "email": item.email,
            "phone": item.phone,
            "needs": ", ".join(str(label) for label in item.need_labels),
            "rhythm": item.get_rhythm_display(),
            "first_exchange": item.get_first_exchange_display(),
            "assignee": team_member_name(item.assignee) if item.assignee_id else "",
            # How long the answer took stays in the export; a withdrawal owes none.
            "response": clock.label
            if clock.state == ResponseClock.WITHDRAWN
            else f"{clock.label} ({clock.age}/{clock.target})",
            "next_appointment": timezone.localtime(appointment.starts_at).replace(tzinfo=None)
            if appointment
            else "",
            "labels": ", ".join(label.name for label in item.labels.all()),
        }
        return {field: values[field] for field in self.list_export}
