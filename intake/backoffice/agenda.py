"""The team's agenda in the admin: a week of the permanence's slots and of every first
exchange and working session, with the previous and next weeks and today's a click away.

Only whoever may read requests reaches it (the view checks the permission, the selector
filters the appointments by it); the menu item shows to them alone.
"""

from dataclasses import dataclass
from datetime import date

from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet

from home.typography import french_time

from .. import agenda
from ..models import Appointment
from ..replies import team_member_name
from .permissions import TeamMenuItem, request_permission_policy

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


@dataclass(frozen=True)
class AgendaRow:
    """An appointment as a row of the agenda, its texts already in French: a week can hold a
    few hundred, and translating each label in each row would cost the page most of its time."""

    time: str
    length: str
    nature: str
    request_url: str
    request_label: str
    team: str
    video_link: str
    video_context: str
    status: str


class RowWriter:
    """Writes the rows of one page, each label translated once for all of them."""

    def __init__(self):
        self.kinds = {kind: str(label) for kind, label in Appointment.Kind.choices}
        self.statuses = {status: str(label) for status, label in Appointment.Status.choices}
        self.places = {True: gettext("permanence"), False: gettext("hors permanence")}
        self.length = gettext("%(minutes)s min")
        self.assignee = gettext("Chargé·e : %(name)s")
        self.nobody = gettext("personne")
        self.video = gettext("la visioconférence de %(reference)s")
        # A request's page is its pk under the queue's address (see requests.py): one reverse
        # for the page rather than one per row, which a busy week would feel.
        self.requests_url = reverse("intake_requests:index")

    def team(self, entry):
        if entry.hosts:
            return ", ".join(entry.hosts)
        assignee = entry.appointment.request.assignee
        if assignee:
            return self.assignee % {"name": team_member_name(assignee)}
        return self.nobody

    def row(self, entry):
        appointment = entry.appointment
        intake_request = appointment.request
        return AgendaRow(
            time=f"{french_time(appointment.starts_at)}–{french_time(appointment.ends_at)}",
            length=self.length % {"minutes": appointment.minutes},
            nature=f"{self.kinds[appointment.kind]} · {self.places[appointment.in_permanence]}",
            request_url=f"{self.requests_url}{intake_request.pk}/",
            request_label=f"{intake_request.collectivite_label} — {intake_request.reference}",
            team=self.team(entry),
            video_link=appointment.video_link,
            video_context=self.video % {"reference": intake_request.reference},
            status=self.statuses[appointment.status],
        )


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
        writer = RowWriter()
        return super().get_context_data(
            week=week,
            days=[(day, [writer.row(entry) for entry in day.entries]) for day in week.days],
            previous_url=f"{index}?{WEEK_PARAMETER}={week.previous.isoformat()}",
            next_url=f"{index}?{WEEK_PARAMETER}={week.next.isoformat()}",
            current_url=index,
            **kwargs,
        )


class AgendaViewSet(ViewSet):
    name = "agenda"
    icon = "calendar-check"
    menu_label = _("Agenda")
    menu_order = 160
    add_to_admin_menu = True
    menu_item_class = TeamMenuItem

    def get_urlpatterns(self):
        return [path("", AgendaView.as_view(), name="index")]
