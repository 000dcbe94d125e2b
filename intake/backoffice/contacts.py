"""The team's screens for a request received by phone or email, typed in for the applicant, and
for the applicant's corrected contact details. Each binds its form and calls one command."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..booking import SlotUnavailable
from ..errors import DomainError
from ..lifecycle import contacts
from ..lifecycle.submission import new_submission_token
from .contact_forms import ContactForm, TeamRequestForm
from .permissions import request_permission_policy
from .request_page import INDEX_URL_NAME, PAGE_URL_NAME, CommandFormView


class NewRequestView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A request received by phone or email, typed in by a team member for the applicant."""

    permission_policy = request_permission_policy
    permission_required = "change"
    template_name = "intake/backoffice/new_request.html"
    form_class = TeamRequestForm
    page_title = gettext_lazy("Nouvelle demande")
    header_icon = "mail"

    def get_initial(self):
        return {"submission": new_submission_token()}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(INDEX_URL_NAME), "label": _("Demandes")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse(INDEX_URL_NAME), **kwargs)

    def form_valid(self, form):
        try:
            submission = contacts.register(
                form.request_data(), by=self.request.user, **form.command_kwargs()
            )
        except SlotUnavailable as refusal:
            # Bound again with the slots left: the taken one is then refused by the form.
            form = self.get_form()
            if form.is_valid() or "slot" not in form.errors:
                form.add_error("slot", str(refusal))
            return self.form_invalid(form)
        except DomainError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        intake_request = submission.intake_request
        messages.success(
            self.request,
            _(
                "La demande %(reference)s est enregistrée ; la collectivité a reçu l'accusé de "
                "réception avec son lien de suivi."
            )
            % {"reference": intake_request.reference},
        )
        return redirect(PAGE_URL_NAME, intake_request.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ContactView(CommandFormView):
    """Correct the applicant's name, function, role, email or phone."""

    form_class = ContactForm
    page_title = gettext_lazy("Modifier les coordonnées du contact")
    submit_label = gettext_lazy("Enregistrer les coordonnées")
    success_message = gettext_lazy("Les coordonnées du contact sont enregistrées.")

    def get_initial(self):
        initial = {name: getattr(self.intake_request, name) for name in contacts.CONTACT_FIELDS}
        return {**initial, "phone": self.intake_request.phone_display}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            allowed=self.intake_request.status != self.intake_request.Status.SPAM, **kwargs
        )

    def run(self, form):
        contacts.correct_contact(self.intake_request, by=self.request.user, **form.command_kwargs())
