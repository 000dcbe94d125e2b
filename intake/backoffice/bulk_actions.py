"""Bulk actions of the queue: assign (all in one command), add a label, mark as spam (each
request through its command)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.views.bulk_action import BulkAction

from .. import selectors
from ..errors import DomainError
from ..fields import TeamMemberChoiceField, is_primary_key
from ..lifecycle import assignments, commands
from ..models import IntakeRequest, Label
from .permissions import request_permission_policy


class RequestBulkAction(BulkAction):
    models = [IntakeRequest]
    template_name = "intake/backoffice/bulk_action.html"

    def get_all_objects_in_listing_query(self, parent_id):
        return []  # "all" is not offered (queue.html); posted anyway, it selects nothing

    @classmethod
    def get_queryset(cls, model, object_ids):
        # The requests ticked on the page, never "all": the queue's filters do not reach this
        # view, and "all" would mean every request there is. Whatever is no id is ignored.
        return IntakeRequest.objects.filter(pk__in=[pk for pk in object_ids if is_primary_key(pk)])

    def dispatch(self, request, *args, **kwargs):
        # Outsiders get nothing, not even the list of what they may not touch.
        if not request_permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        return True

    def get_execution_context(self):
        return {"user": self.request.user, **(self.cleaned_form.cleaned_data)}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done = 0
        for intake_request in objects:
            try:
                cls.run(intake_request, user, **kwargs)
            except DomainError:
                continue  # a request that moved meanwhile is left as it is
            done += 1
        return done, 0

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self, **kwargs)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success_message % {"count": num_parent_objects}


class BulkAssignForm(forms.Form):
    assignee = TeamMemberChoiceField(
        label=_("Confier à"), queryset=selectors.team_members(), empty_label=_("Personne")
    )


class AssignBulkAction(RequestBulkAction):
    display_name = _("Confier")
    action_type = "assign"
    aria_label = _("Confier les demandes choisies")
    form_class = BulkAssignForm
    action_priority = 10

    success_message = ngettext_lazy(
        "%(count)d demande confiée.", "%(count)d demandes confiées.", "count"
    )

    @classmethod
    def execute_action(cls, objects, user=None, assignee=None, **kwargs):
        """All in one go: the assignee gets one email listing the requests."""
        try:
            assignments.assign_many(objects, by=user, assignee=assignee)
        except DomainError:
            return 0, 0
        return len(objects), 0


class BulkLabelForm(forms.Form):
    label = forms.ModelChoiceField(label=_("Étiquette"), queryset=Label.objects.all())


class LabelBulkAction(RequestBulkAction):
    display_name = _("Étiqueter")
    action_type = "label"
    aria_label = _("Ajouter une étiquette aux demandes choisies")
    form_class = BulkLabelForm
    action_priority = 20

    success_message = ngettext_lazy(
        "%(count)d demande étiquetée.", "%(count)d demandes étiquetées.", "count"
    )

    @staticmethod
    def run(intake_request, user, label):
        commands.add_label(intake_request, by=user, label=label)


class SpamBulkAction(RequestBulkAction):
    display_name = _("Indésirables")
    action_type = "spam"
    aria_label = _("Marquer les demandes choisies comme indésirables")
    classes = {"serious"}
    action_priority = 30

    success_message = ngettext_lazy(
        "%(count)d demande marquée comme indésirable.",
        "%(count)d demandes marquées comme indésirables.",
        "count",
    )

    @staticmethod
    def run(intake_request, user):
        commands.mark_spam(intake_request, by=user)


BULK_ACTIONS = [AssignBulkAction, LabelBulkAction, SpamBulkAction]
