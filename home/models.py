"""Public content: page types, snippets and site settings."""

from datetime import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import (
    RICH_TEXT_FEATURES,
    BodyBlock,
    ContactBlock,
    SocialLinkBlock,
    validate_link_target,
)
from .pagination import CountedPaginator
from .serving import PublicPageMixin, restricted_q, top_pages

# The one rendition of a card image: listings prefetch it, includes/card.html renders it.
CARD_RENDITION = "fill-600x338"
# A testimonial's own image and its Open Graph image (templates/includes/seo.html).
TESTIMONIAL_RENDITIONS = ("width-1200", "fill-1200x630")


def with_renditions(path, *filter_specs):
    """Prefetches the renditions of the image at ``path`` (selected with its rows) where
    Wagtail's image tags look for them."""
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=filter_specs)
    )
    return Prefetch(f"{path}__renditions", queryset=renditions, to_attr="prefetched_renditions")


class CollectiviteKind(models.TextChoices):
    """Kinds of local authority, shared by testimonials and the intake referential."""

    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    EPT = "ept", _("Établissement public territorial")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    OUTRE_MER = "outre_mer", _("Outre-mer")


class SeoMixin:
    """What the SEO and Open Graph tags of every page read."""

    og_image = None

    @property
    def meta_description(self):
        return self.search_description or self.get_default_description()

    def get_default_description(self):
        return ""


class RequestFormPageMixin:
    """Marks the page type of the request form (intake's), so that the public site links to
    it (main menu, calls to action) without home importing intake."""


# Snippets


@register_snippet
class Theme(index.Indexed, models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(
        _("identifiant"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Utilisé dans l'adresse des filtres ; généré à partir du nom si laissé vide."),
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


@register_snippet
class Partner(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Prestataire")
        EXPERT = "expert", _("Expert ou experte")
        FUNDER = "funder", _("Financeur")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    themes = models.ManyToManyField(Theme, verbose_name=_("thématiques"), blank=True)
    territory = models.CharField(
        _("territoire d'intervention"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : national, Occitanie, Val-de-Marne."),
    )
    website = models.URLField(_("site internet"), blank=True)
    contact_name = models.CharField(
        _("personne à contacter"),
        max_length=200,
        blank=True,
        help_text=_("Facultatif : donnée à la collectivité avec les coordonnées."),
    )
    contact_email = models.EmailField(_("courriel"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    description = models.TextField(
        _("ce que propose le partenaire"),
        blank=True,
        help_text=_("Par exemple : formations à la concertation, financement de projets."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("themes"),
        FieldPanel("territory"),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_name"),
            ],
            heading=_("Coordonnées données à la collectivité"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")

    def __str__(self):
        return self.name


# Site settings


@register_setting(icon="cog")
class PortalSettings(BaseGenericSetting):
    class AccessibilityStatus(models.TextChoices):
        FULL = "totalement", _("totalement conforme")
        PARTIAL = "partiellement", _("partiellement conforme")
        NONE = "non", _("non conforme")

    permanence_contacts = StreamField(
        [("contact", ContactBlock())],
        verbose_name=_("contacts de la permanence"),
        blank=True,
    )
    team_email = models.EmailField(
        _("adresse de contact de l'équipe"),
        blank=True,
        help_text=_(
            "Affichée avec la permanence d'accueil, dont l'équipe règle les jours et heures "
            "(Permanence › Règles d'ouverture)."
        ),
    )
    response_delay_days = models.PositiveSmallIntegerField(
        _("délai de réponse visé (jours ouvrés)"), default=5
    )
    accessibility_status = models.CharField(
        _("état de conformité RGAA"),
        max_length=20,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.PARTIAL,
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())],
        verbose_name=_("réseaux sociaux"),
        blank=True,
    )

    panels = [
        MultiFieldPanel([FieldPanel("permanence_contacts")], heading=_("Permanence d'accueil")),
        FieldPanel("team_email"),
        FieldPanel("response_delay_days"),
        FieldPanel("accessibility_status"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("paramètres du portail")


@register_setting(icon="time")
class RetentionSettings(BaseGenericSetting):
    """How long the portal keeps personal data: read by the anonymisation and the purges
    (``intake/lifecycle/retention.py``) and shown on the privacy page (RetentionPeriodsBlock),
    so that the page never says other than what the portal does. Moderators and the team read
    them; only the team changes them."""

    anonymise_after_months = models.PositiveSmallIntegerField(
        _("demandes terminées anonymisées après (mois)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("Comptés depuis la fin de la demande (clôture, refus, retrait…)."),
    )
    spam_deleted_after_days = models.PositiveSmallIntegerField(
        _("demandes indésirables supprimées après (jours)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Ainsi que les courriels reçus que l'équipe a écartés."),
    )
    sent_emails_purged_after_days = models.PositiveSmallIntegerField(
        _("courriels envoyés effacés après (jours)"),
        default=90,
        validators=[MinValueValidator(1)],
    )
    unused_feeds_deleted_after_months = models.PositiveSmallIntegerField(
        _("flux d'agenda inutilisés supprimés après (mois)"),
        default=6,
        validators=[MinValueValidator(1)],
        help_text=_("Le flux d'une personne qui a quitté l'équipe est supprimé aussitôt."),
    )

    panels = [
        FieldPanel("anonymise_after_months"),
        FieldPanel("spam_deleted_after_days"),
        FieldPanel("sent_emails_purged_after_days"),
        FieldPanel("unused_feeds_deleted_after_months"),
    ]

    class Meta:
        verbose_name = _("durées de conservation")
        verbose_name_plural = _("durées de conservation")


# Pages


class HomePage(PublicPageMixin, SeoMixin, Page):
    hero_title = models.CharField(_("titre de la bannière"), max_length=200, blank=True)
    hero_text = models.TextField(_("texte de la bannière"), blank=True)
    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    cta_label = models.CharField(
        _("libellé du bouton principal"),
        max_length=100,
        default="Faire une demande d'accompagnement",
    )
    cta_url = models.CharField(
        _("adresse du bouton principal"),
        max_length=200,
        default="/demande/",
        validators=[validate_link_target],
        help_text=_("Par exemple /demande/ ou https://agence-cohesion-territoires.gouv.fr"),
    )
    highlights_title = models.CharField(
        _("titre des points forts"),
        max_length=200,
        blank=True,
    )
    highlights = StreamField(BodyBlock(), verbose_name=_("points forts de l'offre"), blank=True)
    testimonials_title = models.CharField(
        _("titre des témoignages"),
        max_length=200,
        default="Ils nous ont sollicités",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldRowPanel([FieldPanel("cta_label"), FieldPanel("cta_url")]),
            ],
            heading=_("Bannière"),
        ),
        FieldPanel("introduction"),
        FieldPanel("highlights_title"),
        FieldPanel("highlights"),
        FieldPanel("testimonials_title"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_text"),
        index.SearchField("introduction"),
        index.SearchField("highlights"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def get_default_description(self):
        return self.hero_text

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        _root, children = top_pages(request)
        context["testimonial_index"] = next(
            (page for page in children if page.specific_class is TestimonialIndexPage), None
        )
        context["latest_testimonials"] = TestimonialPage.objects.for_listing()[:3]
        return context


class ContentPage(PublicPageMixin, SeoMixin, Page):
    """The offer, legal pages and any other editorial page."""

    introduction = models.TextField(_("chapô"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    class Meta:
        verbose_name = _("page de contenu")

    def get_default_description(self):
        return self.introduction


class SitemapPage(PublicPageMixin, SeoMixin, Page):
    """The "plan du site", generated from the page tree."""

    introduction = models.TextField(_("chapô"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("plan du site")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_tree"] = self.page_tree(Site.find_for_request(request).root_page)
        return context

    @staticmethod
    def page_tree(root):
        """Nested (page, children) pairs of the live public pages, in one query."""
        pages = list(
            Page.objects.descendant_of(root).live().exclude(restricted_q()).order_by("path")
        )
        nodes = {root.path: (root, [])}
        for page in pages:
            node = (page, [])
            parent = nodes.get(page.path[: -Page.steplen])
            if parent is not None:
                parent[1].append(node)
                nodes[page.path] = node
        return nodes[root.path]


class TestimonialQuerySet(PageQuerySet):
    def public(self):
        return self.exclude(restricted_q())

    def for_listing(self):
        """Live public testimonials, newest first, with what a card shows."""
        return (
            self.live()
            .public()
            .select_related("image")
            .prefetch_related(with_renditions("image", CARD_RENDITION))
            .order_by("-date", "-pk")
        )

    def with_theme(self, slug):
        return self.filter(themes__slug=slug)

    def of_kind(self, kind):
        return self.filter(collectivite_kind=kind)

    def filter_choices(self):
        """The themes and the kinds these testimonials have, as (value, label) choices for
        the index's filters: one query, themes by name, kinds in their declared order."""
        rows = (
            self.order_by("themes__name")
            .values_list("collectivite_kind", "themes__slug", "themes__name")
            .distinct()
        )
        kinds, themes = set(), {}
        for kind, slug, name in rows:
            kinds.add(kind)
            if slug is not None:
                themes[slug] = name
        return (
            list(themes.items()),
            [choice for choice in CollectiviteKind.choices if choice[0] in kinds],
        )


class TestimonialIndexPage(PublicPageMixin, SeoMixin, Page):
    introduction = models.TextField(_("chapô"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.TestimonialPage"]
    max_count = 1
    page_size = 9

    class Meta:
        verbose_name = _("liste des témoignages")

    def get_default_description(self):
        return self.introduction

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        testimonials = TestimonialPage.objects.child_of(self).for_listing()
        themes, kinds = testimonials.filter_choices()
        # Only values the form offers are applied: anything else is ignored, never sent to
        # the database (a NUL character there is an error, not an empty result).
        theme = request.GET.get("thematique", "")
        if theme not in dict(themes):
            theme = ""
        kind = request.GET.get("type", "")
        if kind not in dict(kinds):
            kind = ""
        if theme:
            testimonials = testimonials.with_theme(theme)
        if kind:
            testimonials = testimonials.of_kind(kind)
        page_obj = CountedPaginator(testimonials, self.page_size).get_page(request.GET.get("page"))
        context.update(
            page_obj=page_obj,
            testimonials=page_obj.object_list,
            themes=themes,
            kinds=kinds,
            selected_theme=theme,
            selected_kind=kind,
        )
        return context


class TestimonialPage(PublicPageMixin, SeoMixin, Page):
    collectivite_name = models.CharField(_("collectivité"), max_length=200)
    collectivite_kind = models.CharField(
        _("type de collectivité"), max_length=20, choices=CollectiviteKind.choices
    )
    territory = models.CharField(
        _("territoire"),
        max_length=200,
        blank=True,
        help_text=_("Département, région ou collectivité d'outre-mer."),
    )
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("thématiques"), blank=True, related_name="testimonials"
    )
    date = models.DateField(_("date"), default=datetime.today)
    summary = models.TextField(_("résumé"), max_length=400)
    quote = models.TextField(_("citation"), blank=True)
    quote_author = models.CharField(
        _("auteur ou autrice de la citation"), max_length=120, blank=True
    )
    quote_role = models.CharField(_("fonction"), max_length=200, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Image décorative illustrant le témoignage."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("récit"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("collectivite_name"),
                FieldRowPanel([FieldPanel("collectivite_kind"), FieldPanel("territory")]),
                FieldPanel("themes"),
                FieldPanel("date"),
            ],
            heading=_("Collectivité"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("quote"),
                FieldRowPanel([FieldPanel("quote_author"), FieldPanel("quote_role")]),
            ],
            heading=_("Citation"),
        ),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("collectivite_name"),
        index.SearchField("territory"),
        index.SearchField("summary"),
        index.SearchField("quote"),
        index.SearchField("body"),
        index.FilterField("collectivite_kind"),
    ]

    parent_page_types = ["home.TestimonialIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(TestimonialQuerySet)()
    serve_select_related = ("image",)

    @classmethod
    def serve_prefetch_related(cls):
        return ("themes", with_renditions("image", *TESTIMONIAL_RENDITIONS))

    class Meta:
        verbose_name = _("témoignage")

    def get_default_description(self):
        return self.summary

    @property
    def og_image(self):
        return self.image

    @property
    def quote_value(self):
        return {"text": self.quote, "author": self.quote_author, "role": self.quote_role}

    @property
    def badges(self):
        return [label for label in (self.get_collectivite_kind_display(), self.territory) if label]
