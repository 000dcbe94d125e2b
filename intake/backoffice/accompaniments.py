"""The ongoing accompaniments, for the team: each one's collectivité, assignee, last session
held, next session (or the window it is due in), open action items and state against its
rhythm, sortable by each and filtered by state and assignee. Every figure comes from the one
query of ``IntakeRequest.objects.with_cadence()``: the page costs the same whatever the number
of sessions."""

import django_filters
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet

from .. import selectors
from ..models import CadenceState, IntakeRequest
from ..replies import team_member_name
from .permissions import TeamMenuItem, request_permission_policy
from .queue import AssigneeFilter, TemplateColumn, _cell


class AccompanimentFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("État"), choices=CadenceState.choices, field_name="cadence_state"
    )
    assignee = AssigneeFilter(
        label=_("Chargé·e"),
        queryset=selectors.team_members(),
        null_label=_("Personne"),
        null_value="aucun",
    )

    class Meta:
        model = IntakeRequest
        fields = []


class AccompanimentsView(IndexView):
    model = IntakeRequest
    permission_policy = request_permission_policy
    permission_required = "view"
    any_permission_required = None
    page_title = _("Accompagnements en cours")
    header_icon = "calendar-check"
    template_name = "intake/backoffice/accompaniments.html"
    results_template_name = "intake/backoffice/accompaniments_results.html"
    filterset_class = AccompanimentFilterSet
    index_url_name = "intake_accompaniments:index"
    index_results_url_name = "intake_accompaniments:index_results"
    edit_url_name = "intake_requests:edit"
    # The most pressing first: late, to plan, planned, on time, suspended.
    default_ordering = "cadence_rank"
    paginate_by = 25

    def get_base_queryset(self):
        return (
            IntakeRequest.objects.visible_to(self.request.user)
            .accompaniments()
            .with_cadence()
            .annotate(collectivite_sort=Coalesce("collectivite__name", "collectivite_name"))
            .select_related("collectivite", "assignee")
        )

    def order_queryset(self, queryset):
        """Empty values last, whichever the direction, on every database; rows alike keep one
        order from page to page, the soonest due first (by the stored window: sorting 6,000
        rows by their next booked session would look each one up)."""
        name = self.ordering
        field = F(name.removeprefix("-"))
        first = field.desc(nulls_last=True) if name.startswith("-") else field.asc(nulls_last=True)
        return queryset.order_by(first, F("next_session_until").asc(nulls_last=True), "pk")

    def paginate_queryset(self, queryset, page_size):
        """The page's rows are chosen by their keys alone, then read whole: the database works
        out each row's next session and open items for the page, not for every row it skips."""
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        keys = list(rows.values_list("pk", flat=True))
        page.object_list = list(queryset.filter(pk__in=keys))
        return paginator, page, page.object_list, is_paginated

    def filter_queryset(self, queryset):
        """The valid filters apply even when another is not (a former member as assignee)."""
        if self.filters is not None:
            self.filters.is_valid()
            queryset = self.filters.filter_queryset(queryset)
        return queryset

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "reference",
                label=_("Référence"),
                url_name=self.edit_url_name,
                sort_key="reference",
                get_title_id=lambda intake_request: f"accompaniment_{intake_request.pk}_title",
            ),
            TemplateColumn(
                "collectivite",
                _cell("collectivite"),
                label=_("Collectivité"),
                sort_key="collectivite_sort",
            ),
            Column(
                "assignee",
                label=_("Chargé·e"),
                accessor=lambda intake_request: (
                    team_member_name(intake_request.assignee) if intake_request.assignee_id else ""
                ),
                sort_key="assignee__last_name",
            ),
            TemplateColumn(
                "last_session_on",
                _cell("last_session"),
                label=_("Dernière séance"),
                sort_key="last_session_on",
            ),
            TemplateColumn(
                "next",
                _cell("cadence_next"),
                label=_("Prochaine séance"),
                sort_key="next_on",
            ),
            Column(
                "open_action_items",
                label=_("Actions ouvertes"),
                sort_key="open_action_items",
            ),
            TemplateColumn(
                "cadence_state", _cell("cadence_state"), label=_("État"), sort_key="cadence_rank"
            ),
        ]


class AccompanimentViewSet(ViewSet):
    name = "intake_accompaniments"
    url_prefix = "accompagnements"
    icon = "calendar-check"
    menu_label = _("Accompagnements en cours")
    menu_item_class = TeamMenuItem

    def get_urlpatterns(self):
        index = self.construct_view(AccompanimentsView)
        results = self.construct_view(AccompanimentsView, results_only=True)
        return [
            path("", index, name="index"),
            path("results/", results, name="index_results"),
        ]
