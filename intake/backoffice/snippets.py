"""The team's snippets: the labels it sorts requests with, the reply templates it starts its
messages from. Only the team reaches any of their screens, the choosers included (Wagtail
opens a snippet's chooser to anyone who may enter the admin)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import TRIAGE_PERMISSION, Label, ReplyTemplate
from .wording import LABEL_WORDING, REPLY_TEMPLATE_WORDING, WordedViewSetMixin


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


class ReplyTemplateViewSet(TeamSnippetViewSet):
    model = ReplyTemplate
    wording = REPLY_TEMPLATE_WORDING
    icon = "doc-full"
    menu_label = _("Modèles de réponse")
    list_display = ["name", Column("get_purpose_display", label=_("Usage")), "subject"]
    list_filter = ["purpose"]
    search_fields = ["name", "subject", "body"]
    search_backend_name = None
