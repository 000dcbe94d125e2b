"""Wagtail admin screens of the intake app: the permanence's opening rules and closures.

Access follows the Django model permissions (``add_``, ``change_``, ``delete_``,
``view_openingrule`` and ``…_closure``) given to the team group.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Closure, OpeningRule


class OpeningRuleViewSet(ModelViewSet):
    model = OpeningRule
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


class ClosureViewSet(ModelViewSet):
    model = Closure
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
    panels = [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Période")),
        FieldPanel("reason"),
    ]


class PermanenceViewSetGroup(ViewSetGroup):
    items = (OpeningRuleViewSet, ClosureViewSet)
    menu_label = _("Permanence")
    menu_icon = "calendar-alt"
