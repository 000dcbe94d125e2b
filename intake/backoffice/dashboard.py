"""The team's panels on the Wagtail home page: new requests, new messages, mine, late ones,
this week's appointments, the accompaniments whose next session is to plan or late. Each
counts, lists the first few and links into the queue (or the accompaniments' listing)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .. import selectors
from ..models import IntakeRequest
from .permissions import request_permission_policy

ROWS = 5


class RequestsPanel(Component):
    template_name = "intake/backoffice/dashboard_panel.html"
    heading = ""
    queue_query = ""

    def __init__(self, user):
        self.user = user

    def requests(self):
        raise NotImplementedError

    def get_context_data(self, parent_context):
        intake_requests = self.requests()
        return {
            "panel": self,
            "count": intake_requests.count(),
            "rows": list(intake_requests.select_related("collectivite")[:ROWS]),
            "queue_url": f"{reverse('intake_requests:index')}?{self.queue_query}",
            "today": timezone.localdate(),
        }


class QueueViewPanel(RequestsPanel):
    """A tab of the queue (``view``), its requests in ``ordering``."""

    view = ""
    ordering = ()

    @property
    def queue_query(self):
        return f"vue={self.view}"

    def requests(self):
        visible = IntakeRequest.objects.visible_to(self.user)
        return selectors.in_queue_view(visible, self.view, self.user).order_by(*self.ordering)


class NewRequestsPanel(QueueViewPanel):
    name = "intake_new"
    order = 10
    heading = _("Nouvelles demandes à prendre en charge")
    view = "nouvelles"
    ordering = ("created_at",)


class UnreadMessagesPanel(QueueViewPanel):
    name = "intake_unread"
    order = 15
    heading = _("Nouveaux messages")
    view = "nouveaux-messages"
    ordering = ("unread_since",)


class MyRequestsPanel(QueueViewPanel):
    name = "intake_mine"
    order = 20
    heading = _("Mes demandes en cours")
    view = "miennes"
    ordering = ("response_due_on", "created_at")


class LateRequestsPanel(RequestsPanel):
    name = "intake_late"
    order = 30
    heading = _("Réponses en retard")
    queue_query = "vue=toutes&response=late"

    def requests(self):
        return IntakeRequest.objects.visible_to(self.user).late().order_by("response_due_on")


class CadenceDuePanel(Component):
    """The accompaniments whose next session is to plan or late, the longest overdue first."""

    name = "intake_cadence_due"
    order = 35
    template_name = "intake/backoffice/dashboard_cadence.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        due = (
            IntakeRequest.objects.visible_to(self.user)
            .cadence_due(timezone.localdate())
            .order_by("next_session_until", "pk")
        )
        return {
            "count": due.count(),
            "rows": list(due.select_related("collectivite")[:ROWS]),
            "listing_url": reverse("intake_accompaniments:index"),
        }


class WeekAppointmentsPanel(Component):
    name = "intake_week"
    order = 40
    template_name = "intake/backoffice/dashboard_appointments.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        appointments = list(selectors.appointments_this_week(self.user))
        return {
            "appointments": appointments,
            "count": len(appointments),
            "queue_url": f"{reverse('intake_requests:index')}?vue=toutes&rendez_vous=semaine",
        }


PANELS = [
    NewRequestsPanel,
    UnreadMessagesPanel,
    MyRequestsPanel,
    LateRequestsPanel,
    CadenceDuePanel,
    WeekAppointmentsPanel,
]


def team_panels(user):
    """The panels for ``user``: none for whoever may not read requests."""
    if not request_permission_policy.user_has_permission(user, "view"):
        return []
    return [panel(user) for panel in PANELS]
