"""The team's snippets: the labels it sorts requests with, the reply templates it starts its
messages from."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Label, ReplyTemplate


class LabelViewSet(SnippetViewSet):
    model = Label
    icon = "tag"
    menu_label = _("Étiquettes")
    list_display = ["name", Column("get_colour_display", label=_("Couleur"))]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class ReplyTemplateViewSet(SnippetViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    menu_label = _("Modèles de réponse")
    list_display = ["name", Column("get_purpose_display", label=_("Usage")), "subject"]
    list_filter = ["purpose"]
    search_fields = ["name", "subject", "body"]
    search_backend_name = None
