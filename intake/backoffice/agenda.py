"""The team's agenda in the admin: a week of the permanence's slots and of every first
exchange and working session, with the previous and next weeks and today's a click away.

Only whoever may read requests reaches it (the view checks the permission, the selector
filters the appointments by it); the menu item shows to them alone.
"""

from datetime import date

from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet

from .. import agenda
from .permissions import request_permission_policy

WEEK_PARAMETER = "semaine"
# A week asked for outside these years is no week the team plans: the current one shows.
YEARS = range(2000, 2200)


def asked_monday(value, today=None):
    """The Monday of the week holding the day ``value`` names ("2026-12-09"), or of the
    current week when ``value`` names no day of ``YEARS``."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        day = None
    if day is None or day.year not in YEARS:
        day = today or timezone.localdate()
    return agenda.monday_of(day)


class AgendaView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = request_permission_policy
    permission_required = "view"
    template_name = "intake/backoffice/agenda.html"
    page_title = _("Agenda de l'équipe")
    header_icon = "calendar-check"

    @cached_property
    def week(self):
        monday = asked_monday(self.request.GET.get(WEEK_PARAMETER))
        return agenda.week(self.request.user, monday)

    def get_page_subtitle(self):
        return _("Semaine du %(monday)s au %(sunday)s") % {
            "monday": formats.date_format(self.week.monday, "j F Y"),
            "sunday": formats.date_format(self.week.sunday, "j F Y"),
        }

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        index = reverse("agenda:index")
        week = self.week
        return super().get_context_data(
            week=week,
            previous_url=f"{index}?{WEEK_PARAMETER}={week.previous.isoformat()}",
            next_url=f"{index}?{WEEK_PARAMETER}={week.next.isoformat()}",
            current_url=index,
            **kwargs,
        )


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return request_permission_policy.user_has_permission(request.user, "view")


class AgendaViewSet(ViewSet):
    name = "agenda"
    icon = "calendar-check"
    menu_label = _("Agenda")
    menu_order = 160
    add_to_admin_menu = True
    menu_item_class = TeamMenuItem

    def get_urlpatterns(self):
        return [path("", AgendaView.as_view(), name="index")]
