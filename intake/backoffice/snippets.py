"""The team's snippets: the labels it sorts requests with, the reply templates it starts its
messages from."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Label, ReplyTemplate
from .wording import LABEL_WORDING, REPLY_TEMPLATE_WORDING, WordedViewSetMixin


class TeamSnippetViewSet(WordedViewSetMixin, SnippetViewSet):
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
