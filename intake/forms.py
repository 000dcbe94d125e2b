"""What each move of a request asks the team for: the email it sends, started from a reply
template, and the facts it records. The move registry (``lifecycle/moves.py``) names each
move's form; these only bind and clean, the lifecycle decides."""

from django import forms
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from home.models import Partner

from . import selectors
from .fields import PartnerChoiceField
from .models import AnswerChannel, IntakeRequest, Need, ReplyTemplate
from .models.replies import BLANK_LEFT, has_blank
from .replies import draft

MESSAGE_MAX_LENGTH = 5000


class ReplyForm(forms.Form):
    """The email a move sends to the applicant, started from a reply template."""

    message_required_error = _("Écrivez le message à la collectivité.")
    # The template leaves a blank for the team to fill (a question, a free message).
    must_be_written = False

    subject = forms.CharField(
        label=_("Objet du courriel"),
        max_length=200,
        error_messages={"required": _("Indiquez l'objet du courriel.")},
    )
    message = forms.CharField(
        label=_("Message à la collectivité"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Envoyé par courriel et affiché sur la page de suivi. {lien_suivi} devient le lien "
            "personnel de la collectivité."
        ),
    )

    def __init__(self, *args, intake_request, user, reply, template=None, **kwargs):
        """``reply`` is the move's declared reply (its purpose and default template)."""
        super().__init__(*args, **kwargs)
        self.fields["message"].error_messages["required"] = self.message_required_error
        self.intake_request, self.user, self.reply = intake_request, user, reply
        if not self.is_bound:
            template = template or ReplyTemplate.for_purpose(reply)[0]
            self.initial["subject"], self.initial["message"] = draft(
                template, intake_request, by=user
            )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message or (self.must_be_written and self._is_untouched(message)):
            raise forms.ValidationError(self.message_required_error)
        if has_blank(message):
            raise forms.ValidationError(BLANK_LEFT)
        return message

    def _is_untouched(self, message):
        drafts = (
            draft(template, self.intake_request, by=self.user)[1]
            for template in ReplyTemplate.for_purpose(self.reply)
        )
        return " ".join(message.split()) in {" ".join(text.split()) for text in drafts}

    def command_kwargs(self):
        return {"message": self.cleaned_data["message"], "subject": self.cleaned_data["subject"]}


class AskForm(ReplyForm):
    message_required_error = _("Écrivez la question posée à la collectivité.")
    must_be_written = True


class RedirectForm(ReplyForm):
    message_required_error = _("Écrivez le message qui présente le partenaire à la collectivité.")

    partner = PartnerChoiceField(
        label=_("Partenaire"),
        queryset=Partner.objects.none(),
        empty_label=_("Choisissez un partenaire"),
        error_messages={"required": _("Choisissez le partenaire vers lequel orienter la demande.")},
        help_text=_("Les partenaires dont les thématiques et le territoire correspondent d'abord."),
    )

    field_order = ["partner", "subject", "message"]

    def __init__(self, *args, intake_request, **kwargs):
        super().__init__(*args, intake_request=intake_request, **kwargs)
        partners = selectors.partners_for(intake_request)
        self.fields["partner"].queryset = partners
        if not partners:
            self.fields["partner"].help_text = format_html(
                '{} <a href="{}">{}</a>',
                _("Aucun partenaire n'est encore enregistré."),
                reverse("wagtailsnippets_home_partner:add"),
                _("Ajouter un partenaire (nom, offre, territoire, coordonnées)"),
            )
        matching = [p for p in partners if p.theme_matches or p.territory_matches]
        others = [p for p in partners if not (p.theme_matches or p.territory_matches)]
        label = self.fields["partner"].label_from_instance
        self.fields["partner"].choices = [
            ("", _("Choisissez un partenaire")),
            *(
                [(_("Correspondent à la demande"), [(p.pk, label(p)) for p in matching])]
                if matching
                else []
            ),
            *([(_("Autres partenaires"), [(p.pk, label(p)) for p in others])] if others else []),
        ]

    def command_kwargs(self):
        return {**super().command_kwargs(), "partner": self.cleaned_data["partner"]}


class DeclineForm(ReplyForm):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pour l'équipe ; le message à la collectivité l'explique avec ses mots."),
        error_messages={"required": _("Indiquez le motif du refus.")},
    )
    field_order = ["reason", "subject", "message"]

    def command_kwargs(self):
        return {**super().command_kwargs(), "reason": self.cleaned_data["reason"]}


class OriginalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, original):
        return _("%(reference)s — reçue le %(day)s, %(status)s") % {
            "reference": original.reference,
            "day": formats.date_format(timezone.localtime(original.created_at), "j F Y"),
            "status": original.get_status_display().lower(),
        }


class DuplicateForm(ReplyForm):
    """The original is picked among the other requests of the same collectivité, or, when it
    is not one of them, given by its reference."""

    candidate = OriginalChoiceField(
        label=_("Demande d'origine, parmi celles de la même collectivité"),
        queryset=IntakeRequest.objects.none(),
        required=False,
        empty_label=_("Aucune de celles-ci"),
    )
    original = forms.CharField(
        label=_("Ou la référence de la demande d'origine"),
        max_length=16,
        required=False,
        help_text=_("Par exemple : TE-2026-00012."),
    )
    field_order = ["candidate", "original", "subject", "message"]

    def __init__(self, *args, intake_request, **kwargs):
        super().__init__(*args, intake_request=intake_request, **kwargs)
        candidates = selectors.possible_originals(intake_request)
        self.fields["candidate"].queryset = candidates
        if not candidates:
            del self.fields["candidate"]
            self.fields["original"].label = _("Référence de la demande d'origine")

    def clean_original(self):
        reference = self.cleaned_data["original"].strip().upper()
        if not reference:
            return None
        original = IntakeRequest.objects.filter(reference=reference).first()
        if original is None:
            raise forms.ValidationError(
                _("Aucune demande ne porte la référence « %(reference)s ».")
                % {"reference": reference}
            )
        return original

    def clean(self):
        cleaned = super().clean()
        chosen, typed = cleaned.get("candidate"), cleaned.get("original")
        if "original" in self.errors:
            return cleaned
        if chosen and typed and chosen != typed:
            self.add_error(
                "original",
                _("Choisissez la demande dans la liste ou donnez sa référence, pas les deux."),
            )
        elif not (chosen or typed):
            field = "candidate" if "candidate" in self.fields else "original"
            self.add_error(field, _("Indiquez la demande d'origine."))
        cleaned["original"] = chosen or typed
        return cleaned

    def command_kwargs(self):
        return {**super().command_kwargs(), "original": self.cleaned_data["original"]}


class SuspendForm(ReplyForm):
    reason = forms.CharField(
        label=_("Pourquoi suspendre l'accompagnement ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Pour l'équipe : des élections, un cycle budgétaire… Les séances prévues sont "
            "annulées, et le délai de la prochaine séance ne court plus jusqu'à la reprise."
        ),
        error_messages={"required": _("Indiquez pourquoi l'accompagnement est suspendu.")},
    )
    field_order = ["reason", "subject", "message"]

    def command_kwargs(self):
        return {**super().command_kwargs(), "reason": self.cleaned_data["reason"]}


class CloseForm(ReplyForm):
    """The bilan of the accompaniment: what was achieved, on which subjects."""

    summary = forms.CharField(
        label=_("Ce que l'accompagnement a permis"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour l'équipe : ce qui a été fait, ce qui reste à suivre."),
        error_messages={"required": _("Rédigez le bilan de l'accompagnement.")},
    )
    subjects = forms.MultipleChoiceField(
        label=_("Sujets travaillés"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez tous ceux que l'accompagnement a abordés."),
        error_messages={"required": _("Cochez au moins un sujet travaillé.")},
    )
    field_order = ["summary", "subjects", "subject", "message"]

    def __init__(self, *args, intake_request, **kwargs):
        super().__init__(*args, intake_request=intake_request, **kwargs)
        if not self.is_bound:
            # The subjects the sessions' records name, ready to be ticked off.
            self.initial["subjects"] = selectors.subjects_discussed(intake_request)

    def command_kwargs(self):
        return {
            **super().command_kwargs(),
            "summary": self.cleaned_data["summary"],
            "subjects": self.cleaned_data["subjects"],
        }


class ReopenForm(ReplyForm):
    reason = forms.CharField(
        label=_("Pourquoi rouvrir la demande ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez pourquoi la demande est rouverte.")},
    )
    field_order = ["reason", "subject", "message"]

    def command_kwargs(self):
        return {**super().command_kwargs(), "reason": self.cleaned_data["reason"]}


class ConfirmMoveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme"), error_messages={"required": _("Cochez la case pour confirmer.")}
    )

    def __init__(self, *args, intake_request=None, user=None, reply=None, template=None, **kwargs):
        super().__init__(*args, **kwargs)

    def command_kwargs(self):
        return {}


class SpamForm(ConfirmMoveForm):
    confirm = forms.BooleanField(
        label=_("Cette demande n'émane pas d'une collectivité : aucun courriel ne sera envoyé"),
        error_messages={"required": _("Cochez la case pour confirmer.")},
    )


class ResumeForm(forms.Form):
    """The applicant answered by email, by phone or otherwise: how, and what they said."""

    channel = forms.ChoiceField(
        label=_("Comment la collectivité a-t-elle répondu ?"),
        choices=AnswerChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez comment la collectivité a répondu.")},
    )
    note = forms.CharField(
        label=_("Ce qu'elle a répondu"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour l'équipe : la réponse figure dans le fil de la demande."),
        error_messages={"required": _("Résumez la réponse de la collectivité.")},
    )

    def __init__(self, *args, intake_request=None, user=None, reply=None, template=None, **kwargs):
        super().__init__(*args, **kwargs)

    def command_kwargs(self):
        return {"channel": self.cleaned_data["channel"], "note": self.cleaned_data["note"]}
