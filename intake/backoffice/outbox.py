"""The outbox as the team checks it: what failed for good (after its last try, or cut off
while sending), with the error, and a button to send it again."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

from ..errors import DomainError
from ..lifecycle import outbox
from ..models import OutgoingEmail
from .permissions import request_permission_policy


class OutboxIndexView(IndexView):
    any_permission_required = ["view"]

    def get_base_queryset(self):
        # The failed ones, unless a status is chosen: they are what the team acts on.
        queryset = super().get_base_queryset().select_related("request")
        if not self.request.GET.get("status"):
            queryset = queryset.failed()
        return queryset


class OutgoingEmailView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = request_permission_policy
    permission_required = "view"
    template_name = "intake/backoffice/outgoing_email.html"
    header_icon = "mail"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.email = get_object_or_404(OutgoingEmail.objects.select_related("request"), **kwargs)

    @cached_property
    def page_title(self):
        return self.email.subject

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("outgoing_emails:index"), "label": _("Courriels sortants")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, retry_form=None, **kwargs):
        email = self.email
        return super().get_context_data(
            email=email,
            can_retry=self.user_has_permission("change")
            and email.status == OutgoingEmail.Status.FAILED,
            retry_form=retry_form or forms.Form(),
            **kwargs,
        )

    def post(self, http_request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        try:
            outbox.retry_email(self.email, by=http_request.user)
        except DomainError as refusal:
            messages.error(http_request, str(refusal))
        else:
            messages.success(http_request, _("Le courriel est renvoyé."))
        return redirect("outgoing_emails:edit", pk=self.email.pk)


class OutgoingEmailViewSet(ModelViewSet):
    model = OutgoingEmail
    name = "outgoing_emails"
    url_prefix = "courriels-sortants"
    icon = "mail"
    menu_label = gettext_lazy("Courriels sortants")
    permission_policy = request_permission_policy
    index_view_class = OutboxIndexView
    list_filter = ["status"]
    search_fields = ["subject"]
    search_backend_name = None
    list_display = [
        TitleColumn("subject", label=gettext_lazy("Objet"), url_name="outgoing_emails:edit"),
        Column("recipients", label=gettext_lazy("Destinataires")),
        DateColumn("created_at", label=gettext_lazy("Créé le")),
        Column("get_status_display", label=gettext_lazy("État")),
        Column("attempts", label=gettext_lazy("Essais")),
    ]
    list_per_page = 50
    inspect_view_enabled = False
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", OutgoingEmailView.as_view(), name="edit"),
        ]
