"""StreamField blocks rendered with DSFR components; one body block shared by every page."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
ANCHOR_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class HeadingLevelBlock(blocks.ChoiceBlock):
    choices = [
        ("h2", _("Niveau 2")),
        ("h3", _("Niveau 3")),
        ("h4", _("Niveau 4")),
    ]

    def __init__(self, default="h2", **kwargs):
        kwargs.setdefault("label", _("Niveau de titre"))
        kwargs.setdefault("help_text", _("Respectez la hiérarchie des titres de la page."))
        super().__init__(choices=self.choices, default=default, **kwargs)


def validate_link_target(value):
    """A path of this site, a web address or an email address: never a script.

    Browsers drop tabs and line breaks from addresses and read "\\" as "/", so "//host",
    "/\\host" or "/<tab>/host" would all lead to another site.
    """
    is_path = value.startswith("/") and value[1:2] not in ("/", "\\")
    is_address = value.startswith(("https://", "http://", "mailto:"))
    has_control_character = any(unicodedata.category(char) == "Cc" for char in value)
    if has_control_character or not (is_path or is_address):
        raise ValidationError(
            _("Saisissez une adresse commençant par « / », « https:// » ou « mailto: ».")
        )


class LinkValue(blocks.StructValue):
    @property
    def href(self):
        """The address to link to; empty when the chosen page is no longer published."""
        page = self.get("page")
        if page is not None:
            return (page.url or "") if page.live else ""
        return self.get("url") or ""

    @property
    def is_external(self):
        return self.href.startswith("http")


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an address; exactly one of the two.

    `with_label=False` leaves the label out where the surrounding block's title is the link
    text (cards, tiles): editors are not asked for a text nobody would see.
    """

    class Meta:
        icon = "link"
        label = _("Lien")
        value_class = LinkValue

    def __init__(self, local_blocks=None, *, optional=False, with_label=True, **kwargs):
        self.optional = optional
        self.with_label = with_label
        children = [
            ("page", blocks.PageChooserBlock(label=_("Page du site"), required=False)),
            (
                "url",
                blocks.CharBlock(
                    label=_("Adresse"),
                    required=False,
                    validators=[validate_link_target],
                    help_text=_(
                        "Par exemple /demande/ ou https://agence-cohesion-territoires.gouv.fr"
                    ),
                ),
            ),
        ]
        if with_label:
            label = blocks.CharBlock(label=_("Libellé"), max_length=120, required=False)
            children.insert(0, ("label", label))
        super().__init__([*children, *(local_blocks or [])], **kwargs)

    def clean(self, value):
        value = super().clean(value)
        label, page, url = value.get("label"), value.get("page"), value.get("url")
        if self.optional and not (label or page or url):
            return value
        errors = {}
        if self.with_label and not label:
            errors["label"] = ErrorList([_("Saisissez le libellé du lien.")])
        if bool(page) == bool(url):
            message = _("Choisissez soit une page du site, soit une adresse.")
            errors["page"] = ErrorList([message])
            errors["url"] = ErrorList([message])
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titre"), max_length=200)
    level = HeadingLevelBlock()
    anchor = blocks.CharBlock(
        label=_("Ancre"),
        required=False,
        max_length=60,
        help_text=_("Facultatif : identifiant pour un lien direct (minuscules, chiffres, tirets)."),
    )

    class Meta:
        icon = "title"
        label = _("Titre de section")
        template = "blocks/heading.html"

    def clean(self, value):
        value = super().clean(value)
        anchor = value.get("anchor")
        if anchor and not ANCHOR_PATTERN.match(anchor):
            raise StructBlockValidationError(
                block_errors={
                    "anchor": ErrorList(
                        [_("Utilisez uniquement des minuscules, des chiffres et des tirets.")]
                    )
                }
            )
        return value


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, label=_("Texte"), **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=200)
    level = HeadingLevelBlock(default="h3")
    text = blocks.TextBlock(label=_("Texte"))
    link = LinkBlock(optional=True, label=_("Bouton (facultatif)"))

    class Meta:
        icon = "help"
        label = _("Mise en avant")
        template = "blocks/callout.html"


class HighlightBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Texte"))
    size = blocks.ChoiceBlock(
        choices=[("", _("Normale")), ("sm", _("Petite")), ("lg", _("Grande"))],
        default="",
        required=False,
        label=_("Taille du texte"),
    )

    class Meta:
        icon = "openquote"
        label = _("Mise en exergue")
        template = "blocks/highlight.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citation"))
    author = blocks.CharBlock(label=_("Auteur ou autrice"), max_length=120)
    role = blocks.CharBlock(label=_("Fonction"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "blocks/quote.html"


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Question ou intitulé"), max_length=200)
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Contenu"))


class AccordionGroupBlock(blocks.StructBlock):
    level = HeadingLevelBlock(
        default="h3", help_text=_("Niveau de titre de chaque intitulé de l'accordéon.")
    )
    items = blocks.ListBlock(AccordionItemBlock(), min_num=1, label=_("Éléments"))

    class Meta:
        icon = "list-ul"
        label = _("Accordéons (FAQ)")
        template = "blocks/accordion_group.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Étape"), max_length=200)
    text = blocks.TextBlock(label=_("Description"), required=False)


class StepsBlock(blocks.StructBlock):
    level = HeadingLevelBlock(default="h3", help_text=_("Niveau de titre de chaque étape."))
    steps = blocks.ListBlock(StepBlock(), min_num=1, label=_("Étapes"))

    class Meta:
        icon = "list-ol"
        label = _("Étapes")
        template = "blocks/steps.html"


class CardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False)
    link = LinkBlock(with_label=False, label=_("Lien"))
    image = ImageChooserBlock(
        label=_("Image décorative"),
        required=False,
        help_text=_("L'image d'une carte est décorative : le titre porte l'information."),
    )


class CardGridBlock(blocks.StructBlock):
    level = HeadingLevelBlock(default="h3", help_text=_("Niveau de titre de chaque carte."))
    cards = blocks.ListBlock(CardBlock(), min_num=1, label=_("Cartes"))

    class Meta:
        icon = "table"
        label = _("Grille de cartes")
        template = "blocks/card_grid.html"


class TileBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False)
    link = LinkBlock(with_label=False, label=_("Lien"))


class TilesBlock(blocks.StructBlock):
    level = HeadingLevelBlock(default="h3", help_text=_("Niveau de titre de chaque tuile."))
    tiles = blocks.ListBlock(TileBlock(), min_num=1, label=_("Tuiles"))

    class Meta:
        icon = "grip"
        label = _("Tuiles")
        template = "blocks/tiles.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    decorative = blocks.BooleanBlock(
        label=_("Image décorative"),
        required=False,
        help_text=_(
            "Cochez si l'image n'apporte aucune information : elle sera ignorée "
            "par les lecteurs d'écran."
        ),
    )
    alt_text = blocks.CharBlock(
        label=_("Texte alternatif"),
        required=False,
        max_length=250,
        help_text=_("Décrivez l'information portée par l'image."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not value.get("alt_text", "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList(
                        [_("Saisissez un texte alternatif ou indiquez que l'image est décorative.")]
                    )
                }
            )
        return value


class ButtonsValue(blocks.StructValue):
    @property
    def live_buttons(self):
        """The buttons that still lead somewhere (a chosen page may have been unpublished)."""
        return [button for button in self.get("buttons") or [] if button.href]


class ButtonsBlock(blocks.StructBlock):
    buttons = blocks.ListBlock(LinkBlock(), min_num=1, max_num=3, label=_("Boutons"))

    class Meta:
        icon = "link-external"
        label = _("Boutons / appel à l'action")
        template = "blocks/buttons.html"
        value_class = ButtonsValue


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Nom"), max_length=120)
    role = blocks.CharBlock(label=_("Fonction"), required=False, max_length=200)
    email = blocks.EmailBlock(label=_("Courriel"), required=False)
    phone = blocks.CharBlock(label=_("Téléphone"), required=False, max_length=30)

    class Meta:
        icon = "user"
        label = _("Contact")
        template = "blocks/contact.html"


class ContactCardsBlock(blocks.StructBlock):
    level = HeadingLevelBlock(default="h3", help_text=_("Niveau de titre de chaque contact."))
    contacts = blocks.ListBlock(ContactBlock(), min_num=1, label=_("Contacts"))

    class Meta:
        icon = "group"
        label = _("Cartes de contact")
        template = "blocks/contact_cards.html"


SOCIAL_NETWORKS = [
    ("linkedin", "LinkedIn"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("youtube", "YouTube"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("twitter-x", "X"),
]


class SocialLinkValue(blocks.StructValue):
    @property
    def network_label(self):
        return dict(SOCIAL_NETWORKS).get(self.get("network"), "")


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(label=_("Réseau"), choices=SOCIAL_NETWORKS)
    url = blocks.URLBlock(label=_("Adresse"))

    class Meta:
        icon = "site"
        label = _("Réseau social")
        value_class = SocialLinkValue


class RetentionPeriodsBlock(blocks.StaticBlock):
    """The retention periods as the settings hold them when the page renders: the privacy
    page says what the portal does, and changes with it."""

    class Meta:
        icon = "time"
        label = _("Durées de conservation")
        admin_text = _(
            "Affiche les durées de conservation des données personnelles réglées par "
            "l'équipe (Paramètres › Durées de conservation)."
        )
        template = "blocks/retention_periods.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    callout = CalloutBlock()
    highlight = HighlightBlock()
    quote = QuoteBlock()
    accordions = AccordionGroupBlock()
    steps = StepsBlock()
    cards = CardGridBlock()
    tiles = TilesBlock()
    image = ImageBlock()
    buttons = ButtonsBlock()
    contacts = ContactCardsBlock()
    retention_periods = RetentionPeriodsBlock()

    class Meta:
        template = "blocks/body.html"
