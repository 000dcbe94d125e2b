"""The intake's public pages, whose text editors write: /demande/, whose form the intake
views serve, and /statistiques/, which shows the cell's activity in figures.

The form's views are reached through the ``serve_intake_form_page`` hook (registered in
``intake/wagtail_hooks.py``), so that models never import views.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from home.blocks import RICH_TEXT_FEATURES
from home.models import RequestFormPageMixin, SeoMixin
from home.serving import PublicPageMixin

__all__ = ["IntakeFormPage", "StatisticsPage"]


class IntakeFormPage(SeoMixin, RequestFormPageMixin, Page):
    FORM, CONFIRMATION = "form", "confirmation"
    CONFIRMATION_SLUG = "merci"

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

    def route(self, request, path_components):
        if path_components == [self.CONFIRMATION_SLUG]:
            if not self.live:
                raise Http404
            return RouteResult(self, kwargs={"step": self.CONFIRMATION})
        return super().route(request, path_components)

    def serve(self, request, *args, step=FORM, **kwargs):
        [view] = hooks.get_hooks("serve_intake_form_page")
        return view(request, self, step)

    @property
    def confirmation_url(self):
        return f"{self.url}{self.CONFIRMATION_SLUG}/"


class StatisticsPage(PublicPageMixin, SeoMixin, Page):
    """The cell's activity over the twelve past months, as State digital services publish
    it: the team report's figures for the same dates, none small enough to single anyone
    out. Its template reads them (``public_statistics`` of ``report_tags``)."""

    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("statistiques publiques")

    def get_default_description(self):
        return _("Les chiffres de l'activité de la cellule, mois par mois, sur douze mois.")
