"""What the team writes to applicants: editable reply templates with a few variables, and the
labels the team sorts its requests with."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

__all__ = [
    "DEFAULT_REPLIES",
    "REPLY_VARIABLES",
    "STATUS_LINK",
    "Label",
    "ReplyTemplate",
    "fill_variables",
    "holds_variable",
]

# {name} → what it stands for; anything else between braces is left as typed.
REPLY_VARIABLES = {
    "collectivite": _("le nom de la collectivité"),
    "contact": _("le prénom et le nom de votre contact"),
    "reference": _("la référence de la demande"),
    "lien_suivi": _("le lien personnel vers la page de suivi"),
    "rendez_vous": _("la date et l'heure du rendez-vous"),
    "partenaire": _("le partenaire vers lequel la demande est orientée"),
    "agent": _("votre prénom et votre nom"),
}
_VARIABLE = re.compile(r"\{([a-z_]+)\}")
# Stands for the applicant's status link in every stored email: each email gets its own link
# when it leaves, so that the database never holds one.
STATUS_LINK = "{lien_suivi}"


def fill_variables(text, values):
    """Replace the known ``{variables}`` that ``values`` holds; leave everything else as is."""

    def replace(match):
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return _VARIABLE.sub(replace, text)


def holds_variable(text):
    return _VARIABLE.search(str(text)) is not None


def unknown_variables(text):
    return sorted({name for name in _VARIABLE.findall(text) if name not in REPLY_VARIABLES})


class ReplyTemplate(index.Indexed, models.Model):
    """The starting point of a message to an applicant: one or more per move of the request."""

    class Purpose(models.TextChoices):
        TAKE = "take", _("Prise en charge")
        ASK = "ask", _("Demande de précisions")
        ACCEPT = "accept", _("Acceptation")
        REDIRECT = "redirect", _("Orientation vers un partenaire")
        DECLINE = "decline", _("Refus")
        DUPLICATE = "duplicate", _("Doublon")
        CLOSE = "close", _("Clôture")
        REOPEN = "reopen", _("Réouverture")
        WITHDRAW = "withdraw", _("Retrait par la collectivité")
        MESSAGE = "message", _("Message libre")

    name = models.CharField(_("nom"), max_length=100)
    purpose = models.CharField(_("usage"), max_length=20, choices=Purpose.choices)
    subject = models.CharField(_("objet du courriel"), max_length=200)
    body = models.TextField(
        _("texte"),
        help_text=_(
            "Variables possibles : {collectivite}, {contact}, {reference}, {lien_suivi}, "
            "{rendez_vous}, {partenaire}, {agent}."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("purpose"), FieldPanel("subject"), FieldPanel("body")]
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
        return f"{self.get_purpose_display()} — {self.name}"

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
    def for_purpose(cls, purpose):
        """The templates of a purpose, or the built-in default when the team deleted them all."""
        templates = list(cls.objects.filter(purpose=purpose))
        return templates or [cls(purpose=purpose, **DEFAULT_REPLIES[purpose])]


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


_SIGNATURE = "{agent}, pour l'équipe Territoires d'engagement"
_FOLLOW = "Suivre votre demande et nous écrire : {lien_suivi}"

DEFAULT_REPLIES = {
    "take": {
        "name": "Prise en charge",
        "subject": "Votre demande {reference} est prise en charge",
        "body": (
            "Bonjour {contact},\n\n"
            "Votre demande d'accompagnement pour {collectivite} est désormais suivie par "
            "{agent}, de l'équipe Territoires d'engagement. Nous revenons vers vous très "
            f"vite.\n\n{_FOLLOW}\n\nL'équipe Territoires d'engagement"
        ),
    },
    "ask": {
        "name": "Demande de précisions",
        "subject": "Une question sur votre demande {reference}",
        "body": (
            "Bonjour {contact},\n\n"
            "Pour bien préparer l'accompagnement de {collectivite}, nous avons besoin d'une "
            "précision : \n\n\n"
            "Vous pouvez nous répondre depuis votre page de suivi : {lien_suivi}\n\n"
            f"{_SIGNATURE}"
        ),
    },
    "accept": {
        "name": "Acceptation",
        "subject": "Votre demande {reference} est acceptée",
        "body": (
            "Bonjour {contact},\n\n"
            "Bonne nouvelle : la cellule de conseil et d'orientation accompagnera "
            "{collectivite}. Rendez-vous : {rendez_vous}.\n\n"
            "Nous vous enverrons le lien de la visioconférence avant l'échange.\n\n"
            f"{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    },
    "redirect": {
        "name": "Orientation vers un partenaire",
        "subject": "Votre demande {reference} : un partenaire pour vous accompagner",
        "body": (
            "Bonjour {contact},\n\n"
            "Après examen, nous pensons que {partenaire} est le mieux placé pour accompagner "
            "{collectivite} sur ce sujet. Nous vous invitons à prendre contact avec lui de "
            f"notre part.\n\n{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    },
    "decline": {
        "name": "Refus",
        "subject": "Votre demande {reference}",
        "body": (
            "Bonjour {contact},\n\n"
            "Nous avons étudié avec attention la demande de {collectivite}. Nous ne sommes "
            "malheureusement pas en mesure de l'accompagner : \n\n\n"
            f"N'hésitez pas à revenir vers nous si votre projet évolue.\n\n{_SIGNATURE}"
        ),
    },
    "duplicate": {
        "name": "Doublon",
        "subject": "Votre demande {reference} rejoint une demande en cours",
        "body": (
            "Bonjour {contact},\n\n"
            "{collectivite} nous a déjà adressé une demande que nous suivons : nous "
            "regroupons les deux pour vous répondre d'une seule voix.\n\n"
            f"{_SIGNATURE}"
        ),
    },
    "close": {
        "name": "Clôture",
        "subject": "Fin de l'accompagnement — demande {reference}",
        "body": (
            "Bonjour {contact},\n\n"
            "L'accompagnement de {collectivite} par la cellule de conseil et d'orientation "
            "s'achève. Merci pour ces échanges ; nous restons disponibles si vous avez besoin "
            f"de nous à l'avenir.\n\n{_SIGNATURE}"
        ),
    },
    "reopen": {
        "name": "Réouverture",
        "subject": "Votre demande {reference} est rouverte",
        "body": (
            "Bonjour {contact},\n\n"
            "Nous rouvrons la demande de {collectivite} et revenons vers vous très vite.\n\n"
            f"{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    },
    "withdraw": {
        "name": "Retrait par la collectivité",
        "subject": "Votre demande {reference} est retirée",
        "body": (
            "Bonjour {contact},\n\n"
            "Nous avons bien noté le retrait de la demande de {collectivite}. Vous pouvez en "
            "déposer une nouvelle à tout moment.\n\n"
            "L'équipe Territoires d'engagement"
        ),
    },
    "message": {
        "name": "Message libre",
        "subject": "Message de l'équipe Territoires d'engagement — demande {reference}",
        "body": f"Bonjour {{contact}},\n\n\n\n{_SIGNATURE}\n\n{_FOLLOW}",
    },
}
