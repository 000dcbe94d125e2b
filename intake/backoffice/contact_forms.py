"""The team's forms for what the applicant tells about themselves: a request received by phone
or email, typed in with the public form's fields, and the contact's corrected details."""

import copy

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..lifecycle.contacts import CONTACT_FIELDS
from ..lifecycle.submission import read_submission_token
from ..models import ConsentChannel, FirstExchange
from ..views.forms import RequestForm

# The public form's words, addressed to the team about the applicant: (label, required error).
TEAM_WORDING = {
    "collectivite_search": (
        _("Collectivité"),
        _("Indiquez la collectivité, ou cochez « La collectivité n'est pas dans la liste »."),
    ),
    "collectivite_choice": (
        _("Plusieurs collectivités correspondent : laquelle ?"),
        _("Choisissez la collectivité dans la liste."),
    ),
    "not_listed": (_("La collectivité n'est pas dans la liste"), None),
    "other_name": (_("Nom de la collectivité"), _("Saisissez le nom de la collectivité.")),
    "other_kind": (_("Type de collectivité"), _("Choisissez le type de la collectivité.")),
    "first_name": (_("Prénom"), _("Saisissez le prénom du contact.")),
    "last_name": (_("Nom"), _("Saisissez le nom du contact.")),
    "function": (_("Fonction"), _("Indiquez la fonction du contact.")),
    "role": (_("Le contact est"), _("Indiquez si le contact est élu·e ou agent·e.")),
    "email": (_("Adresse électronique"), _("Saisissez l'adresse électronique du contact.")),
    "phone": (_("Téléphone"), _("Saisissez le numéro de téléphone du contact.")),
    "needs": (
        _("Sur quoi la collectivité souhaite-t-elle être accompagnée ?"),
        _("Cochez au moins un sujet d'accompagnement."),
    ),
    "context": (
        _("Contexte et questions"),
        _("Décrivez le contexte et les questions de la collectivité."),
    ),
}
EMAIL_HELP = _(
    "L'accusé de réception, avec le lien personnel de suivi, est envoyé à cette adresse."
)


FIRST_EXCHANGES = [
    (FirstExchange.SLOT, _("Réserver un créneau de la permanence")),
    (FirstExchange.NO_SLOT, _("Pas de créneau pour l'instant")),
]


class TeamRequestForm(RequestForm):
    """The public form's fields and rules (the collectivité from the referential, the contact,
    the needs, the first exchange), without the anti-spam (its honeypot stays, never shown:
    empty, it passes), and the consent as the applicant gave it to the team: orally or in
    writing, on a date."""

    consent = None

    first_exchange = forms.ChoiceField(
        label=_("Premier échange"),
        choices=FIRST_EXCHANGES,
        initial=FirstExchange.NO_SLOT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez comment organiser le premier échange.")},
    )
    consent_channel = forms.ChoiceField(
        label=_("La collectivité a donné son consentement"),
        choices=[
            (ConsentChannel.ORAL, ConsentChannel.ORAL.label),
            (ConsentChannel.WRITTEN, ConsentChannel.WRITTEN.label),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Au traitement de ses données pour répondre à la demande, comme le décrit la notice "
            "sur les données personnelles."
        ),
        error_messages={
            "required": _("Indiquez comment la collectivité a donné son consentement.")
        },
    )
    consent_on = forms.DateField(
        label=_("Date du consentement"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date du consentement."),
            "invalid": _("Saisissez une date valide, par exemple 02/12/2026."),
        },
    )

    field_order = [*RequestForm.base_fields, "consent_channel", "consent_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # django-dsfr's __init__ built the bound fields with the applicant's words: rebuilt
        # below with the team's, the permanence's hours kept under the slots.
        slot_help = self["slot"].help_text
        self._bound_fields_cache.clear()
        for name, (label, required_error) in TEAM_WORDING.items():
            self.fields[name].label = label
            if required_error:
                self.fields[name].error_messages["required"] = required_error
        self.fields["email"].help_text = EMAIL_HELP
        self.fields["first_exchange"].choices = [
            choice for choice in FIRST_EXCHANGES if self.slots or choice[0] != FirstExchange.SLOT
        ]
        self["slot"].help_text = slot_help
        if not self.is_bound:
            self.initial["consent_on"] = timezone.localdate()
            # Asked for only when they apply: not marked as required before they do.
            for name in ("other_name", "other_kind", "slot"):
                self.fields[name].required = False

    def clean_submission(self):
        """The signed key of this form instance: a double click stores one request."""
        try:
            return read_submission_token(self.cleaned_data["submission"])[0]
        except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
            raise forms.ValidationError(
                _("Le formulaire a expiré ou est invalide : rechargez la page.")
            ) from error

    def clean_consent_on(self):
        consent_on = self.cleaned_data["consent_on"]
        if consent_on > timezone.localdate():
            raise forms.ValidationError(
                _("La date du consentement ne peut pas être dans le futur.")
            )
        return consent_on

    @property
    def team_collectivite_fields(self):
        names = ["collectivite_search"]
        if self.collectivite_candidates:
            names.append("collectivite_choice")
        names += ["not_listed", "other_name", "other_kind", "other_departement"]
        return [self[name] for name in names]

    @property
    def exchange_fields(self):
        return [self["first_exchange"], self["slot"]] if self.slots else [self["first_exchange"]]

    @property
    def consent_fields(self):
        return [self["consent_channel"], self["consent_on"]]

    def command_kwargs(self):
        return {
            "submission_key": self.cleaned_data["submission"],
            "consent_channel": self.cleaned_data["consent_channel"],
            "consent_on": self.cleaned_data["consent_on"],
            "slot": self.chosen_slot,
        }


class ContactForm(forms.Form):
    """The applicant's contact details as the team corrects them: the public form's fields and
    rules (the phone number's included: its field cleans it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CONTACT_FIELDS:
            self.fields[name] = copy.deepcopy(RequestForm.base_fields[name])
            label, required_error = TEAM_WORDING[name]
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = required_error
        self.fields["email"].help_text = _(
            "Une adresse corrigée reçoit un nouveau lien de suivi ; les liens envoyés à "
            "l'ancienne ne fonctionnent plus."
        )

    def command_kwargs(self):
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}
