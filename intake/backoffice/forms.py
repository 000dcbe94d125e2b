"""The team's forms: one per move, and those of the request page (assignment, labels, notes,
messages, appointments). They only bind and clean; the lifecycle decides."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from home.models import Partner

from .. import booking, selectors
from ..forms import NewSlotForm, slot_choices, slot_value
from ..models import Appointment, IntakeRequest, Label, ReplyTemplate
from ..replies import draft, team_member_name

MESSAGE_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 3000


class ReplyForm(forms.Form):
    """The email a move sends to the applicant, started from a reply template."""

    purpose = None
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

    def __init__(self, *args, request, user, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].error_messages["required"] = self.message_required_error
        self.intake_request, self.user = request, user
        if not self.is_bound:
            template = template or ReplyTemplate.for_purpose(self.purpose)[0]
            self.initial["subject"], self.initial["message"] = draft(template, request, by=user)

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message or (self.must_be_written and self._is_untouched(message)):
            raise forms.ValidationError(self.message_required_error)
        return message

    def _is_untouched(self, message):
        drafts = (
            draft(template, self.intake_request, by=self.user)[1]
            for template in ReplyTemplate.for_purpose(self.purpose)
        )
        return " ".join(message.split()) in {" ".join(text.split()) for text in drafts}

    def command_kwargs(self):
        return {"message": self.cleaned_data["message"], "subject": self.cleaned_data["subject"]}


class TakeForm(ReplyForm):
    purpose = ReplyTemplate.Purpose.TAKE


class AskForm(ReplyForm):
    purpose = ReplyTemplate.Purpose.ASK
    message_required_error = _("Écrivez la question posée à la collectivité.")
    must_be_written = True


class AcceptForm(ReplyForm):
    purpose = ReplyTemplate.Purpose.ACCEPT


class TeamMemberLabels:
    """Team members by their names, as the thread and the emails name them."""

    def label_from_instance(self, user):
        return team_member_name(user)


class TeamMemberChoiceField(TeamMemberLabels, forms.ModelChoiceField):
    pass


class TeamMemberFilterField(TeamMemberLabels, django_filters.fields.ModelChoiceField):
    def label_from_instance(self, user):
        # The active filter's label is asked of the null value too: "Personne".
        if user == self.null_value:
            return str(self.null_label)
        return super().label_from_instance(user)


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partner):
        parts = [partner.name, partner.get_kind_display()]
        if partner.territory:
            parts.append(partner.territory)
        return " — ".join(parts)


class RedirectForm(ReplyForm):
    purpose = ReplyTemplate.Purpose.REDIRECT
    message_required_error = _("Écrivez le message qui présente le partenaire à la collectivité.")

    partner = PartnerChoiceField(
        label=_("Partenaire"),
        queryset=Partner.objects.none(),
        empty_label=_("Choisissez un partenaire"),
        error_messages={"required": _("Choisissez le partenaire vers lequel orienter la demande.")},
        help_text=_("Les partenaires dont les thématiques et le territoire correspondent d'abord."),
    )

    field_order = ["partner", "subject", "message"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        partners = selectors.partners_for(request)
        self.fields["partner"].queryset = partners
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
    purpose = ReplyTemplate.Purpose.DECLINE

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


class DuplicateForm(ReplyForm):
    purpose = ReplyTemplate.Purpose.DUPLICATE

    original = forms.CharField(
        label=_("Référence de la demande d'origine"),
        max_length=16,
        help_text=_("Par exemple : TE-2026-00012."),
        error_messages={"required": _("Indiquez la demande d'origine.")},
    )
    field_order = ["original", "subject", "message"]

    def clean_original(self):
        reference = self.cleaned_data["original"].strip().upper()
        original = IntakeRequest.objects.filter(reference=reference).first()
        if original is None:
            raise forms.ValidationError(
                _("Aucune demande ne porte la référence « %(reference)s ».")
                % {"reference": reference}
            )
        return original

    def command_kwargs(self):
        return {**super().command_kwargs(), "original": self.cleaned_data["original"]}


class CloseForm(ReplyForm):
    purpose = ReplyTemplate.Purpose.CLOSE

    summary = forms.CharField(
        label=_("Bilan de l'accompagnement"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour l'équipe : ce qui a été fait, ce qui reste à suivre."),
        error_messages={"required": _("Rédigez le bilan de l'accompagnement.")},
    )
    field_order = ["summary", "subject", "message"]

    def command_kwargs(self):
        return {**super().command_kwargs(), "summary": self.cleaned_data["summary"]}


class ReopenForm(ReplyForm):
    purpose = ReplyTemplate.Purpose.REOPEN

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

    def __init__(self, *args, request=None, user=None, template=None, **kwargs):
        super().__init__(*args, **kwargs)

    def command_kwargs(self):
        return {}


class SpamForm(ConfirmMoveForm):
    confirm = forms.BooleanField(
        label=_("Cette demande n'émane pas d'une collectivité : aucun courriel ne sera envoyé"),
        error_messages={"required": _("Cochez la case pour confirmer.")},
    )


MOVE_FORMS = {
    "take": TakeForm,
    "start": ConfirmMoveForm,
    "ask": AskForm,
    "accept": AcceptForm,
    "redirect": RedirectForm,
    "decline": DeclineForm,
    "duplicate": DuplicateForm,
    "spam": SpamForm,
    "close": CloseForm,
    "reopen": ReopenForm,
}


class AssignForm(forms.Form):
    assignee = TeamMemberChoiceField(
        label=_("Chargé·e de la demande"),
        queryset=selectors.team_members(),
        required=False,
        empty_label=_("Personne"),
    )


class LabelCheckboxes(forms.CheckboxSelectMultiple):
    """Each box stays with its label's name, shown in the label's colour."""

    option_template_name = "intake/backoffice/widgets/label_option.html"


class LabelsForm(forms.Form):
    labels = forms.ModelMultipleChoiceField(
        label=_("Étiquettes"),
        queryset=Label.objects.all(),
        required=False,
        widget=LabelCheckboxes,
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note interne"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible de l'équipe seulement : jamais montrée ni envoyée à la collectivité."),
        error_messages={"required": _("Écrivez la note.")},
    )
    pinned = forms.BooleanField(label=_("Épingler en haut de la demande"), required=False)


class TeamMessageForm(ReplyForm):
    purpose = ReplyTemplate.Purpose.MESSAGE
    must_be_written = True


class VideoLinkForm(forms.Form):
    video_link = forms.URLField(
        label=_("Lien de la visioconférence"),
        max_length=200,
        assume_scheme="https",
        help_text=_("Envoyé à la collectivité avec l'invitation mise à jour."),
        error_messages={
            "required": _("Indiquez le lien de la visioconférence."),
            "invalid": _(
                "Saisissez une adresse complète, par exemple https://webconf.numerique.gouv.fr/…"
            ),
        },
    )

    def __init__(self, *args, appointment, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["video_link"] = appointment.video_link


class AppointmentSlotForm(NewSlotForm):
    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)


def appointment_words_field(**kwargs):
    return forms.CharField(
        label=_("Message à la collectivité"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Envoyé avec l'invitation mise à jour et affiché sur la page de suivi."),
        error_messages={"required": _("Écrivez un mot à la collectivité.")},
        **kwargs,
    )


class MoveAppointmentForm(AppointmentSlotForm):
    message = appointment_words_field()


class ClosureAppointmentsForm(forms.Form):
    """What becomes of each appointment a closure falls on (another slot, or cancelled), and
    one word that every applicant receives."""

    CANCEL = "annuler"

    message = appointment_words_field()

    def __init__(self, *args, appointments, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        slots = booking.available_slots() if slots is None else slots
        self._slots = {slot_value(slot): slot for slot in slots}
        choices = [
            ("", _("Choisissez")),
            (self.CANCEL, _("Annuler le rendez-vous")),
            *slot_choices(slots)[1:],
        ]
        self.appointments = {}
        for appointment in appointments:
            name = f"appointment_{appointment.pk}"
            self.appointments[name] = appointment
            self.fields[name] = forms.ChoiceField(
                label=_("%(reference)s — %(collectivite)s, %(when)s")
                % {
                    "reference": appointment.request.reference,
                    "collectivite": appointment.request.collectivite_label,
                    "when": booking.slot_label(appointment.starts_at),
                },
                choices=choices,
                error_messages={
                    "required": _("Choisissez un autre créneau, ou l'annulation."),
                    "invalid_choice": _("Ce créneau n'est plus proposé : choisissez-en un autre."),
                },
            )
        self.order_fields([*self.appointments, "message"])

    def new_starts(self):
        """Each appointment and its new start, or None when it is cancelled."""
        return {
            appointment: None
            if self.cleaned_data[name] == self.CANCEL
            else self._slots[self.cleaned_data[name]].starts_at
            for name, appointment in self.appointments.items()
        }


class CancelAppointmentForm(forms.Form):
    message = appointment_words_field()

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)


class ScheduleForm(AppointmentSlotForm):
    kind = forms.ChoiceField(
        label=_("Nature du rendez-vous"),
        choices=Appointment.Kind.choices,
        initial=Appointment.Kind.WORKING_SESSION,
    )


class OutcomeForm(ConfirmMoveForm):
    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)
