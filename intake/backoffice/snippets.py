"""The team's snippets: the labels it sorts requests with, the reply templates it starts its
messages from (their purposes are the moves that email the applicant, and the free message).
Only the team reaches any of their screens, the choosers included (Wagtail
opens a snippet's chooser to anyone who may enter the admin)."""

from functools import wraps

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..lifecycle.moves import REPLIES
from ..models import TRIAGE_PERMISSION, Label, ReplyTemplate
from .wording import LABEL_WORDING, REPLY_TEMPLATE_WORDING, WordedViewSetMixin


def reply_purposes():
    return [(reply.purpose, reply.label) for reply in REPLIES]


def purpose_label(template):
    return dict(reply_purposes()).get(template.purpose, template.purpose)


def team_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(TRIAGE_PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


class TeamOnlyMixin:
    """Every view the viewset builds answers the team only."""

    def construct_view(self, view_class, **kwargs):
        return team_only(super().construct_view(view_class, **kwargs))


class TeamChooserViewSet(TeamOnlyMixin, SnippetChooserViewSet):
    pass


class TeamSnippetViewSet(TeamOnlyMixin, WordedViewSetMixin, SnippetViewSet):
    chooser_viewset_class = TeamChooserViewSet
    create_template_name = "intake/backoffice/snippets/create.html"
    edit_template_name = "intake/backoffice/snippets/edit.html"


class LabelViewSet(TeamSnippetViewSet):
    model = Label
    wording = LABEL_WORDING
    icon = "tag"
    menu_label = _("Étiquettes")
    list_display = ["name", Column("get_colour_display", label=_("Couleur"))]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class ReplyTemplateForm(WagtailAdminModelForm):
    purpose = forms.ChoiceField(label=_("Usage"), choices=reply_purposes)


class ReplyTemplateFilterSet(WagtailFilterSet):
    purpose = django_filters.ChoiceFilter(label=_("Usage"), choices=reply_purposes)

    class Meta:
        model = ReplyTemplate
        fields = ["purpose"]


class ReplyTemplateViewSet(TeamSnippetViewSet):
    model = ReplyTemplate
    wording = REPLY_TEMPLATE_WORDING
    icon = "doc-full"
    menu_label = _("Modèles de réponse")
    list_display = ["name", Column("purpose", label=_("Usage"), accessor=purpose_label), "subject"]
    filterset_class = ReplyTemplateFilterSet
    search_fields = ["name", "subject", "body"]
    search_backend_name = None
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("purpose"), FieldPanel("subject"), FieldPanel("body")],
        base_form_class=ReplyTemplateForm,
    )
