""" "À trier": the emails of the team's mailbox that landed in no thread. The team reads each
one, attaches it to a request (it becomes the applicant's message there) or discards it."""

from django import forms
from django.conf import settings
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

from .. import inbound
from ..errors import DomainError
from ..lifecycle import mailbox
from ..models import InboundEmail, IntakeRequest
from .permissions import request_permission_policy

Status = InboundEmail.Status


class AttachForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Référence de la demande"),
        max_length=16,
        help_text=gettext_lazy("Par exemple TE-2026-00042."),
        error_messages={"required": gettext_lazy("Indiquez la référence de la demande.")},
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        intake_request = IntakeRequest.objects.filter(reference=reference).first()
        if intake_request is None:
            raise forms.ValidationError(_("Aucune demande ne porte la référence %s.") % reference)
        return intake_request


class DiscardForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif (facultatif)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InboxIndexView(IndexView):
    any_permission_required = ["view"]

    def get_base_queryset(self):
        # Only what is left to sort, unless a status is chosen.
        queryset = super().get_base_queryset()
        if not self.request.GET.get("status"):
            queryset = queryset.to_sort()
        return queryset


class InboundEmailView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One received email: its text and files, and what the team does with it."""

    permission_policy = request_permission_policy
    permission_required = "view"
    template_name = "intake/backoffice/inbound_email.html"
    header_icon = "mail"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.email = get_object_or_404(InboundEmail, pk=kwargs["pk"])

    @cached_property
    def page_title(self):
        return str(self.email)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("inbound_emails:index"), "label": _("Courriels à trier")},
            {"url": "", "label": self.page_title},
        ]

    def content(self):
        """(text, file names) as the team reads them; the text untrimmed, quotes included."""
        email = self.email
        if email.size > settings.INBOUND_EMAIL_MAX_BYTES:
            return "", []
        with email.raw.open("rb") as raw_file:
            message = inbound.parse(raw_file.read())
        return inbound.full_text(message).strip(), inbound.attachment_names(message)

    def get_context_data(self, attach_form=None, discard_form=None, **kwargs):
        email = self.email
        candidates = list(email.candidate_requests())
        initial = {"reference": candidates[0].reference} if len(candidates) == 1 else {}
        if email.request_id:
            initial = {"reference": email.request.reference}
        text, names = self.content()
        return super().get_context_data(
            email=email,
            text=text,
            file_names=names,
            candidates=candidates,
            can_triage=self.user_has_permission("change") and email.status == Status.TO_SORT,
            attach_form=attach_form or AttachForm(initial=initial),
            discard_form=discard_form or DiscardForm(),
            **kwargs,
        )

    def post(self, http_request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        action = http_request.POST.get("action")
        form_class = {"attach": AttachForm, "discard": DiscardForm}.get(action)
        if form_class is None or self.email.status != Status.TO_SORT:
            messages.error(
                http_request,
                _("Ce courriel a déjà été traité.")
                if form_class
                else _("Cette action n'existe pas."),
            )
            return redirect(self.request.path)
        form = form_class(http_request.POST)
        if form.is_valid():
            try:
                done = self.run(action, form.cleaned_data)
            except DomainError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(http_request, done)
                return redirect("inbound_emails:index")
        context = self.get_context_data(**{f"{action}_form": form})
        return self.render_to_response(context, status=400)

    def run(self, action, data):
        user = self.request.user
        if action == "attach":
            intake_request = data["reference"]
            mailbox.attach(self.email, by=user, intake_request=intake_request)
            return _("Le courriel est versé au fil de %s.") % intake_request.reference
        mailbox.discard(self.email, by=user, reason=data["reason"])
        return _("Le courriel est écarté.")


class InboundEmailViewSet(ModelViewSet):
    model = InboundEmail
    name = "inbound_emails"
    url_prefix = "courriels-a-trier"
    icon = "mail"
    menu_label = gettext_lazy("Courriels à trier")
    permission_policy = request_permission_policy
    index_view_class = InboxIndexView
    list_filter = ["status"]
    search_fields = ["sender", "subject", "note"]
    search_backend_name = None
    list_display = [
        TitleColumn("subject", label=gettext_lazy("Objet"), url_name="inbound_emails:edit"),
        Column("sender", label=gettext_lazy("Expéditeur")),
        DateColumn("received_at", label=gettext_lazy("Reçu le")),
        Column("get_status_display", label=gettext_lazy("Statut")),
        Column("note", label=gettext_lazy("Remarque")),
    ]
    list_per_page = 50
    inspect_view_enabled = False
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["note"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", InboundEmailView.as_view(), name="edit"),
        ]
