"""The permanence's screens: opening rules, closures, and the appointments a new closure
falls on, which the team moves or cancels together, with one word to the applicants.

Access follows the Django model permissions (``add_``, ``change_``, ``delete_``,
``view_openingrule`` and ``…_closure``) given to the team group.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .. import selectors
from ..errors import DomainError
from ..lifecycle import commands
from ..models import Closure, OpeningRule
from .forms import ClosureAppointmentsForm
from .permissions import request_permission_policy
from .wording import CLOSURE_WORDING, OPENING_RULE_WORDING, WordedViewSetMixin


class OpeningRuleViewSet(WordedViewSetMixin, ModelViewSet):
    model = OpeningRule
    wording = OPENING_RULE_WORDING
    name = "opening_rules"
    url_prefix = "permanence/regles"
    icon = "calendar"
    menu_label = _("Règles d'ouverture")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = [
        "__str__",
        Column("get_weekday_display", label=_("Jour"), sort_key="weekday"),
        Column("slot_minutes", label=_("Durée d'un créneau (min)")),
        Column("seats", label=_("Places")),
        Column("min_days_ahead", label=_("Délai minimal (jours)")),
        Column("max_days_ahead", label=_("Délai maximal (jours)")),
        BooleanColumn("active", label=_("Active")),
    ]
    list_filter = ["weekday", "active"]
    ordering = ["weekday", "start_time"]
    panels = [
        FieldPanel("label"),
        FieldRowPanel(
            [FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("end_time")],
            heading=_("Plage horaire"),
        ),
        FieldRowPanel(
            [FieldPanel("slot_minutes"), FieldPanel("seats")],
            heading=_("Créneaux"),
        ),
        MultiFieldPanel(
            [FieldPanel("min_days_ahead"), FieldPanel("max_days_ahead")],
            heading=_("Fenêtre de réservation"),
        ),
        FieldPanel("active"),
    ]


class ClosureSavedMixin:
    """After saving a closure, the appointments it falls on, if any, to move or cancel."""

    def get_success_url(self):
        if selectors.appointments_during(self.object).exists():
            return reverse("closures:appointments", args=[self.object.pk])
        return super().get_success_url()


class ClosureCreateView(ClosureSavedMixin, CreateView):
    pass


class ClosureEditView(ClosureSavedMixin, EditView):
    pass


class ClosureAppointmentsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    permission_policy = request_permission_policy
    permission_required = "change"
    template_name = "intake/backoffice/closure_appointments.html"
    form_class = ClosureAppointmentsForm
    page_title = _("Rendez-vous pendant la fermeture")
    header_icon = "calendar"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.closure = get_object_or_404(Closure, pk=kwargs["pk"])
        self.appointments = list(selectors.appointments_during(self.closure))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "appointments": self.appointments}

    def form_valid(self, form):
        try:
            count = commands.resolve_closure(
                self.closure,
                by=self.request.user,
                message=form.cleaned_data["message"],
                new_starts=form.new_starts(),
            )
        except DomainError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(count)s rendez-vous modifiés ; chaque collectivité en est informée.")
            % {"count": count},
        )
        return redirect("closures:index")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_page_subtitle(self):
        return str(self.closure)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("closures:index"), "label": _("Fermetures")},
            {"url": reverse("closures:edit", args=[self.closure.pk]), "label": str(self.closure)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            closure=self.closure, appointments=self.appointments, **kwargs
        )


class ClosureViewSet(WordedViewSetMixin, ModelViewSet):
    model = Closure
    wording = CLOSURE_WORDING
    name = "closures"
    url_prefix = "permanence/fermetures"
    icon = "calendar"
    menu_label = _("Fermetures")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = [
        "__str__",
        Column("start_date", label=_("Premier jour"), sort_key="start_date"),
        Column("end_date", label=_("Dernier jour"), sort_key="end_date"),
    ]
    search_fields = ["reason"]
    ordering = ["-start_date"]
    add_view_class = ClosureCreateView
    edit_view_class = ClosureEditView
    panels = [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")], heading=_("Début")),
        FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")], heading=_("Fin")),
        FieldPanel("reason"),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("rendez-vous/<int:pk>/", ClosureAppointmentsView.as_view(), name="appointments"),
        ]


class PermanenceViewSetGroup(ViewSetGroup):
    items = (OpeningRuleViewSet, ClosureViewSet)
    menu_label = _("Permanence")
    menu_icon = "calendar-alt"
