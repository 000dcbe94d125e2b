"""The /demande/ page: editors write its text, the intake views serve its form."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.blocks import RICH_TEXT_FEATURES
from home.models import RequestFormPageMixin, SeoMixin

__all__ = ["IntakeFormPage"]


class IntakeFormPage(SeoMixin, RequestFormPageMixin, RoutablePageMixin, Page):
    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    confirmation_text = RichTextField(
        _("texte de confirmation"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Affiché après l'envoi, sous la référence de la demande."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("confirmation_text"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("formulaire de demande")

    def get_default_description(self):
        return _("Demandez l'accompagnement de la cellule et réservez votre premier échange.")

    @path("")
    def form(self, request):
        from intake.views.public import request_form

        return request_form(request, self)

    @path("merci/")
    def confirmation(self, request):
        from intake.views.public import confirmation

        return confirmation(request, self)
