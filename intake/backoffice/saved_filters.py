"""Each team member's saved searches of the queue: a name and the query string of the search and
filters, saved and deleted from the queue, listed to their owner only."""

from django import forms
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..models import SavedQueueFilter
from .permissions import request_permission_policy

INDEX_URL_NAME = "intake_requests:index"
# What a saved link never carries: the page number, an export, Wagtail's fragment markers.
UNSAVED_KEYS = ("p", "export", "_w_filter_fragment")


class SavedFilterForm(forms.ModelForm):
    class Meta:
        model = SavedQueueFilter
        fields = ["name", "querystring"]
        labels = {"name": gettext_lazy("Nom du filtre")}
        widgets = {"querystring": forms.HiddenInput}
        error_messages = {
            "name": {"required": gettext_lazy("Donnez un nom au filtre.")},
            "querystring": {
                "max_length": gettext_lazy("Ces filtres sont trop longs pour être enregistrés.")
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = user
        self.fields["querystring"].required = False

    @staticmethod
    def clean_query(querystring):
        query = QueryDict(querystring, mutable=True)
        for key in UNSAVED_KEYS:
            query.pop(key, None)
        return query.urlencode()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if SavedQueueFilter.objects.of(self.instance.user).filter(name=name).exists():
            raise forms.ValidationError(_("Vous avez déjà un filtre de ce nom."))
        return name

    def clean_querystring(self):
        return self.clean_query(self.cleaned_data["querystring"])


class SavedFilterMixin(PermissionCheckedMixin):
    permission_policy = request_permission_policy
    permission_required = "view"
    http_method_names = ["post"]


class SaveFilterView(SavedFilterMixin, WagtailAdminTemplateMixin, FormView):
    """Save the queue's current search and filters; a refused name comes back with its error."""

    form_class = SavedFilterForm
    template_name = "intake/backoffice/save_filter.html"
    page_title = gettext_lazy("Enregistrer le filtre")
    header_icon = "filter"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX_URL_NAME), "label": _("Demandes")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        saved = form.save()
        messages.success(self.request, _("Filtre « %(name)s » enregistré.") % {"name": saved.name})
        return redirect(f"{reverse(INDEX_URL_NAME)}?{saved.querystring}")

    def get_context_data(self, **kwargs):
        querystring = self.request.POST.get("querystring", "")
        cancel_url = f"{reverse(INDEX_URL_NAME)}?{SavedFilterForm.clean_query(querystring)}"
        return super().get_context_data(cancel_url=cancel_url, **kwargs)


class DeleteFilterView(SavedFilterMixin, View):
    """Delete one of one's own saved filters; anyone else's is not found."""

    def post(self, request, pk):
        saved = get_object_or_404(SavedQueueFilter.objects.of(request.user), pk=pk)
        saved.delete()
        messages.success(request, _("Filtre « %(name)s » supprimé.") % {"name": saved.name})
        return redirect(reverse(INDEX_URL_NAME))
