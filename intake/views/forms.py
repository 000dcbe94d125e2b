"""The public forms: the request form, and those of the applicant's status page. They only
bind and clean; the lifecycle decides."""

import time

from django import forms
from django.core import signing
from django.db.models import Case, When
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from home.models import Theme
from portal.forms import BoundedDsfrBoundField

from .. import booking, selectors
from ..fields import (
    AttachmentsField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    NewSlotForm,
    SlotChoiceMixin,
    SlotField,
)
from ..lifecycle.submission import read_submission_token
from ..models import (
    Collectivite,
    CollectiviteKind,
    ContactRole,
    FirstExchange,
    IntakeRequest,
    Need,
    OpeningRule,
    Rhythm,
    SatisfactionAnswer,
)
from ..phone import PhoneField
from ..referential import resolve_collectivite

CONTEXT_MAX_LENGTH = 3000
BODIES_MAX_LENGTH = 2000
MIN_FILL_SECONDS = 3


class CollectiviteChoiceField(ModelChoiceField):
    """The collectivités a typed name matched, offered in the search's order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = {}

    def offer(self, candidates):
        self.found = {candidate.pk: candidate for candidate in candidates}
        self.queryset = Collectivite.objects.filter(pk__in=list(self.found)).order_by(
            Case(*(When(pk=pk, then=rank) for rank, pk in enumerate(self.found)), default=0)
        )

    def label_from_instance(self, obj):
        # The description tells homonyms apart: "Fresnes — Commune · 94 Val-de-Marne · …"; the
        # other name the search matched says why a collectivité is offered: "Valserhône —
        # commune déléguée : Bellegarde-sur-Valserine — Commune · 01 Ain · …".
        return f"{self.found.get(obj.pk, obj).matched_name} — {obj.description}"


class SpamSuspected(Exception):
    """The honeypot was filled: answer as if all went well, store nothing."""


class RequestForm(SlotChoiceMixin, DsfrBaseForm):
    bound_field_class = BoundedDsfrBoundField

    collectivite = ModelChoiceField(
        queryset=Collectivite.objects.all(), required=False, widget=forms.HiddenInput
    )
    collectivite_search = forms.CharField(
        label=_("Votre collectivité"),
        max_length=200,
        error_messages={
            "required": _(
                "Indiquez votre collectivité, ou cochez « Ma collectivité n'est pas dans "
                "la liste »."
            )
        },
        help_text=_(
            "Commencez à saisir son nom, éventuellement suivi du département, ou son code "
            "postal (par exemple : Fresnes 94, Mairie de Fresnes, 94260)."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "data-combobox-url": reverse_lazy("intake:collectivite_search"),
                "data-combobox-target": "id_collectivite",
                "data-combobox-none": _("Aucun résultat"),
                "data-combobox-one": _("1 résultat disponible"),
                "data-combobox-many": _("{count} résultats disponibles"),
            }
        ),
    )
    collectivite_choice = CollectiviteChoiceField(
        label=_("Plusieurs collectivités correspondent : laquelle est la vôtre ?"),
        queryset=Collectivite.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez votre collectivité dans la liste.")},
    )
    not_listed = forms.BooleanField(
        label=_("Ma collectivité n'est pas dans la liste"), required=False
    )
    # Required when the collectivité is not in the referential, and shown only then.
    other_name = forms.CharField(
        label=_("Nom de la collectivité"),
        max_length=200,
        error_messages={"required": _("Saisissez le nom de votre collectivité.")},
    )
    other_kind = forms.ChoiceField(
        label=_("Type de collectivité"),
        choices=[("", _("Sélectionnez un type"))] + CollectiviteKind.choices,
        error_messages={"required": _("Choisissez le type de votre collectivité.")},
    )
    other_departement = forms.ChoiceField(
        label=_("Département"),
        choices=[("", _("Sélectionnez un département"))],
        required=False,
    )

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        error_messages={"required": _("Saisissez votre prénom.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=100,
        error_messages={"required": _("Saisissez votre nom.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    function = forms.CharField(
        label=_("Fonction"),
        max_length=200,
        error_messages={"required": _("Indiquez votre fonction.")},
        help_text=_("Par exemple : adjointe au maire chargée de la participation citoyenne."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    role = forms.ChoiceField(
        label=_("Vous êtes"),
        choices=ContactRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez si vous êtes élu·e ou agent·e.")},
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        error_messages={"required": _("Saisissez votre adresse électronique.")},
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(
        label=_("Téléphone"),
        error_messages={"required": _("Saisissez votre numéro de téléphone.")},
        help_text=_("Format attendu : 01 23 45 67 89, 0262 12 34 56 ou +687 27 12 34"),
    )

    needs = forms.MultipleChoiceField(
        label=_("Sur quoi souhaitez-vous être accompagnés ?"),
        help_text=_("Cochez au moins un sujet."),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un sujet d'accompagnement.")},
    )
    themes = ModelMultipleChoiceField(
        label=_("Thématiques concernées"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rhythm = forms.ChoiceField(
        label=_("Rythme souhaité"),
        choices=Rhythm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le rythme souhaité.")},
    )
    context = forms.CharField(
        label=_("Votre contexte et vos questions"),
        error_messages={"required": _("Décrivez votre contexte et vos questions.")},
        help_text=_(
            "Décrivez votre démarche, où vous en êtes et ce que vous attendez "
            "(3 000 caractères au plus)."
        ),
        max_length=CONTEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    existing_bodies = forms.CharField(
        label=_("Instances participatives existantes"),
        help_text=_("Conseils citoyens, conseils de quartier, budget participatif…"),
        max_length=BODIES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    first_exchange = forms.ChoiceField(
        label=_("Comment souhaitez-vous organiser ce premier échange ?"),
        error_messages={"required": _("Choisissez comment organiser le premier échange.")},
        choices=FirstExchange.choices,
        widget=forms.RadioSelect,
    )
    # Required when "Je choisis un créneau" is chosen, and shown only then.
    slot = SlotField(
        label=_("Créneau de visioconférence (heure de Paris)"),
        error_messages={
            "required": _("Choisissez un créneau, ou une autre option pour le premier échange.")
        },
    )
    consent = forms.BooleanField(
        label=format_html(
            '{} <a href="/donnees-personnelles/">{}</a>.',
            _(
                "J'accepte que mes données soient traitées pour répondre à ma demande, comme le "
                "décrit la"
            ),
            _("notice sur les données personnelles"),
        ),
        error_messages={
            "required": _(
                "Vous devez accepter le traitement de vos données pour envoyer votre demande."
            )
        },
    )

    # Filled only by robots; never shown again (portal/unavailable.py).
    honeypot_fields = ("website",)
    website = forms.CharField(required=False, label=_("Ne pas remplir ce champ"))
    submission = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_slots(slots)
        hours = booking.describe_permanence(OpeningRule.objects.active())
        if hours:
            # On the bound field: django-dsfr's __init__ has already built and cached it.
            self["slot"].help_text = _("Pendant la permanence : %(hours)s.") % {"hours": hours}
        self.fields["other_departement"].choices = [
            ("", _("Sélectionnez un département")),
            *selectors.departement_choices(),
        ]
        if not self.slots:
            self.fields["first_exchange"].choices = [
                choice for choice in FirstExchange.choices if choice[0] != FirstExchange.SLOT
            ]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # Required unless the applicant says the collectivité is not in the referential.
        not_listed = self.is_bound and self.fields["not_listed"].to_python(
            self.data.get("not_listed")
        )
        self.fields["collectivite_search"].required = not not_listed
        # Unbound, the fields of a context read as required: the page shows them in it only.
        for name in ("other_name", "other_kind"):
            self.fields[name].required = not self.is_bound or not_listed
        self.fields["slot"].required = (
            not self.is_bound or self.data.get("first_exchange") == FirstExchange.SLOT
        )
        self.collectivite_candidates = []
        if self.is_bound and not self.data.get("collectivite") and not not_listed:
            # Without JavaScript the typed name is all there is: offer its candidates.
            self._offer_candidates(self.data.get("collectivite_search", ""))

    def _offer_candidates(self, text):
        _match, candidates = resolve_collectivite(text) if text.strip() else (None, [])
        self.collectivite_candidates = candidates
        self.fields["collectivite_choice"].required = bool(candidates)
        self.fields["collectivite_choice"].offer(candidates)

    def clean_context(self):
        return self.cleaned_data["context"].strip()

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise SpamSuspected
        return ""

    def clean_submission(self):
        """The signed key of this form instance, and proof that a human took some time."""
        try:
            key, started = read_submission_token(self.cleaned_data["submission"])
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                _("Le formulaire a expiré : vérifiez vos réponses et envoyez-le de nouveau.")
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("Le formulaire est invalide : rechargez la page.")
            ) from error
        if time.time() - started < MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _(
                    "Le formulaire a été envoyé trop vite : vérifiez vos réponses puis "
                    "envoyez-le de nouveau."
                )
            )
        return key

    def clean(self):
        cleaned = super().clean()
        self._clean_collectivite(cleaned)
        return cleaned

    def _clean_collectivite(self, cleaned):
        if cleaned.get("not_listed"):
            cleaned["collectivite"] = None  # the required name and kind say what is missing
            return
        chosen = cleaned.get("collectivite") or cleaned.get("collectivite_choice")
        if chosen:
            cleaned["collectivite"] = chosen
            return
        text = cleaned.get("collectivite_search", "").strip()
        if not text:
            return  # the field's own "required" error says it
        match, candidates = resolve_collectivite(text)
        if match:
            cleaned["collectivite"] = match
        elif candidates and "collectivite_choice" not in self.errors:
            self.add_error("collectivite_choice", _("Choisissez votre collectivité dans la liste."))
        else:
            self.add_error(
                "collectivite_search",
                _(
                    "Aucune collectivité ne correspond à « %(text)s ». Vérifiez l'orthographe, ou "
                    "cochez « Ma collectivité n'est pas dans la liste »."
                )
                % {"text": text},
            )

    @property
    def contact_fields(self):
        return [
            self[name] for name in ("first_name", "last_name", "function", "role", "email", "phone")
        ]

    @property
    def needs_fields(self):
        return [self[name] for name in ("needs", "themes", "rhythm", "context", "existing_bodies")]

    def request_data(self):
        """The cleaned answers as IntakeRequest fields."""
        data = self.cleaned_data
        not_listed = data["not_listed"]
        return {
            "collectivite": data["collectivite"],
            "collectivite_name": data["other_name"].strip() if not_listed else "",
            "collectivite_kind": data["other_kind"] if not_listed else "",
            "collectivite_departement": data["other_departement"] if not_listed else "",
            **{name: data[name] for name in IntakeRequest.APPLICANT_FIELDS},
        }

    @property
    def chosen_slot(self):
        if self.cleaned_data.get("first_exchange") != FirstExchange.SLOT:
            return None
        return super().chosen_slot


class SlotForm(NewSlotForm, DsfrBaseForm):
    """The applicant's choice of slot, from the status page."""


class ConfirmForm(DsfrBaseForm):
    confirm = forms.BooleanField(
        label=_("Je confirme"),
        error_messages={"required": _("Cochez la case pour confirmer.")},
    )


class ActionDoneForm(DsfrBaseForm):
    """The collectivité says it did one of its action items."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class InlineRadioSelect(forms.RadioSelect):
    """Radios side by side (django-dsfr reads ``inline``): a scale of 1 to 5 on one line."""

    inline = True


class SatisfactionForm(DsfrBaseForm):
    """Once the accompaniment is over: how useful it was, 1 to 5, and a comment."""

    bound_field_class = BoundedDsfrBoundField

    score = forms.TypedChoiceField(
        label=_("L'accompagnement vous a-t-il été utile ?"),
        help_text=_("De 1 (pas du tout utile) à 5 (très utile)."),
        choices=SatisfactionAnswer.Score.choices,
        coerce=int,
        widget=InlineRadioSelect,
        error_messages={
            "required": _("Choisissez une note de 1 à 5."),
            "invalid_choice": _("Choisissez une note de 1 à 5."),
        },
    )
    comment = forms.CharField(
        label=_("Votre commentaire"),
        max_length=BODIES_MAX_LENGTH,
        required=False,
        help_text=_("Ce qui vous a servi, ce qui vous a manqué (2 000 caractères au plus)."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MessageForm(DsfrBaseForm):
    bound_field_class = BoundedDsfrBoundField

    body = forms.CharField(
        label=_("Votre message à l'équipe"),
        max_length=CONTEXT_MAX_LENGTH,
        help_text=_("3 000 caractères au plus."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Écrivez votre message.")},
    )
    files = AttachmentsField()


class LostLinkForm(DsfrBaseForm):
    bound_field_class = BoundedDsfrBoundField

    email = forms.EmailField(
        label=_("Adresse électronique utilisée pour la demande"),
        max_length=254,
        help_text=_("Format attendu : nom@domaine.fr"),
        error_messages={
            "required": _("Saisissez l'adresse électronique utilisée pour la demande.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
