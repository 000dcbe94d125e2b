"""What the team writes to applicants: editable reply templates with a few variables, and the
labels the team sorts its requests with."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

__all__ = [
    "BLANK",
    "REPLY_VARIABLES",
    "STATUS_LINK",
    "Label",
    "ReplyTemplate",
    "fill_variables",
    "holds_variable",
]

# {name} → what it stands for; anything else between braces is left as typed.
REPLY_VARIABLES = {
    "collectivite": _("la collectivité, avec son article : « le Gers », « la CA du Pays de Gex »"),
    "de_collectivite": _("la collectivité après « de » : « du Gers », « de la CA du Pays de Gex »"),
    "contact": _("le prénom et le nom de votre contact"),
    "reference": _("la référence de la demande"),
    "lien_suivi": _("le lien personnel vers la page de suivi"),
    "rendez_vous": _("la date et l'heure du rendez-vous"),
    "partenaire": _("le partenaire vers lequel la demande est orientée"),
    "agent": _("votre prénom et votre nom"),
}
_VARIABLE = re.compile(r"\{([a-z_]+)\}")
# Marks where a template expects the team to write (a question, a reason): a message still
# holding it is never sent. "[...]" typed with three dots counts too.
BLANK = "[…]"
_BLANK = re.compile(r"\[(…|\.\.\.)\]")
BLANK_LEFT = _(
    "Le message contient encore « […] » : remplacez-le par ce que la collectivité doit lire."
)
# The variables that open with a lowercase article, capitalised where they open a sentence.
_NAMES_WITH_ARTICLE = {"collectivite", "de_collectivite"}
_SENTENCE_END = re.compile(r"(?:^|[.!?]|\n)\s*$")
# Stands for the applicant's status link in every stored email: each email gets its own link
# when it leaves, so that the database never holds one.
STATUS_LINK = "{lien_suivi}"


def fill_variables(text, values):
    """Replace the known ``{variables}`` that ``values`` holds; leave everything else as is."""

    def replace(match):
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = str(values[name])
        if name in _NAMES_WITH_ARTICLE and _SENTENCE_END.search(text, 0, match.start()):
            return value[:1].upper() + value[1:]
        return value

    return _VARIABLE.sub(replace, text)


def holds_variable(text):
    return _VARIABLE.search(str(text)) is not None


def has_blank(text):
    """Whether ``text`` still holds a blank the team was to fill."""
    return bool(_BLANK.search(text))


def unknown_variables(text):
    return sorted({name for name in _VARIABLE.findall(text) if name not in REPLY_VARIABLES})


class ReplyTemplate(index.Indexed, models.Model):
    """The starting point of a message to an applicant: one or more per move of the request.

    A move's declaration (``lifecycle/moves.py``) gives the built-in default of its purpose."""

    name = models.CharField(_("nom"), max_length=100)
    # The name of the move whose email the template starts, or "message": the move registry
    # (lifecycle/moves.py) declares them, and the admin offers them as choices.
    purpose = models.CharField(_("usage"), max_length=20)
    subject = models.CharField(_("objet du courriel"), max_length=200)
    body = models.TextField(
        _("texte"),
        help_text=_(
            "Variables possibles : {collectivite} (avec son article : « le Gers »), "
            "{de_collectivite} (« du Gers »), {contact}, {reference}, {lien_suivi}, "
            "{rendez_vous}, {partenaire}, {agent}. Écrivez […] là où l'équipe doit compléter "
            "le message (une question, un motif) : tant qu'il en reste un, le message ne part "
            "pas."
        ),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["purpose", "name"]
        verbose_name = _("modèle de réponse")
        verbose_name_plural = _("modèles de réponse")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "name"],
                name="intake_replytemplate_unique_name",
                violation_error_message=_("Un modèle de ce nom existe déjà pour cet usage."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        for field in ("subject", "body"):
            unknown = unknown_variables(getattr(self, field) or "")
            if unknown:
                errors[field] = _(
                    "Variable inconnue : %(names)s. Variables possibles : %(known)s."
                ) % {
                    "names": ", ".join(f"{{{name}}}" for name in unknown),
                    "known": ", ".join(f"{{{name}}}" for name in REPLY_VARIABLES),
                }
        if errors:
            raise ValidationError(errors)

    @classmethod
    def for_purpose(cls, reply):
        """The templates of a move's declared ``reply``, or its built-in default when the team
        deleted them all."""
        templates = list(cls.objects.filter(purpose=reply.purpose))
        return templates or [
            cls(purpose=reply.purpose, name=reply.name, subject=reply.subject, body=reply.body)
        ]


class Label(models.Model):
    """A coloured tag the team puts on requests to sort and find them."""

    class Colour(models.TextChoices):
        BLUE = "blue", _("Bleu")
        GREEN = "green", _("Vert")
        YELLOW = "yellow", _("Jaune")
        ORANGE = "orange", _("Orange")
        RED = "red", _("Rouge")
        PURPLE = "purple", _("Violet")
        GREY = "grey", _("Gris")

    name = models.CharField(_("nom"), max_length=50, unique=True)
    colour = models.CharField(_("couleur"), max_length=10, choices=Colour.choices, default="blue")

    panels = [FieldPanel("name"), FieldPanel("colour")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")

    def __str__(self):
        return self.name
