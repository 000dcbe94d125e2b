"""The request viewset: the queue and its saved filters, each request's page, its move and
appointment forms and its history, under /admin/demandes/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import IntakeRequest
from .contacts import ContactView, NewRequestView
from .permissions import request_permission_policy
from .queue import QueueView
from .request_page import (
    AnonymiseView,
    AppointmentView,
    AttachmentView,
    ExportPersonalDataView,
    MoveView,
    RequestPageView,
    ScheduleView,
)
from .saved_filters import DeleteFilterView, SaveFilterView


class RequestHistoryView(HistoryView):
    # Reading the history is reading the request.
    any_permission_required = ["view", "change"]


class IntakeRequestViewSet(ModelViewSet):
    model = IntakeRequest
    name = "intake_requests"
    url_prefix = "demandes"
    permission_policy = request_permission_policy
    icon = "mail"
    menu_label = _("Toutes les demandes")
    index_view_class = QueueView
    export_filename = "demandes"
    list_per_page = 25
    history_view_class = RequestHistoryView
    inspect_view_enabled = False
    copy_view_enabled = False
    add_to_reference_index = False
    # Required by ModelViewSet; requests are never edited through a model form.
    form_fields = ["assignee"]

    def get_urlpatterns(self):
        # Wagtail links an object to its "edit" URL: for a request, that is its page.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("filtres/", SaveFilterView.as_view(), name="save_filter"),
            path("filtres/<int:pk>/supprimer/", DeleteFilterView.as_view(), name="delete_filter"),
            path("nouvelle/", NewRequestView.as_view(), name="new_request"),
            path("<int:pk>/", RequestPageView.as_view(), name="edit"),
            path("<int:pk>/coordonnees/", ContactView.as_view(), name="contact"),
            path(
                "<int:pk>/pieces-jointes/<int:attachment_pk>/",
                AttachmentView.as_view(),
                name="attachment",
            ),
            path("<int:pk>/rendez-vous/nouveau/", ScheduleView.as_view(), name="schedule"),
            path("<int:pk>/donnees/export/", ExportPersonalDataView.as_view(), name="export"),
            path("<int:pk>/donnees/anonymiser/", AnonymiseView.as_view(), name="anonymise"),
            path(
                "<int:pk>/rendez-vous/<int:appointment_pk>/<str:action>/",
                AppointmentView.as_view(),
                name="appointment",
            ),
            path("<int:pk>/<str:move>/", MoveView.as_view(), name="move"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]
