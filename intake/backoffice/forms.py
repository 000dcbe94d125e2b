"""The forms of the request page and its appointments: assignment, labels, notes, messages,
video link, slots, outcomes. They only bind and clean; the lifecycle decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import booking, selectors
from ..fields import AttachmentsField, NewSlotForm, TeamMemberChoiceField, slot_choices, slot_value
from ..forms import MESSAGE_MAX_LENGTH, ConfirmMoveForm, ReplyForm
from ..lifecycle.moves import MESSAGE
from ..models import Appointment, Label

NOTE_MAX_LENGTH = 3000


class PageForm(forms.Form):
    """A form of the request page: every one is built from the request and the team member."""

    def __init__(self, *args, intake_request, user, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.intake_request = intake_request


class AssignForm(PageForm):
    assignee = TeamMemberChoiceField(
        label=_("Chargé·e de la demande"),
        queryset=selectors.team_members(),
        required=False,
        empty_label=_("Personne"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["assignee"] = self.intake_request.assignee


class LabelCheckboxes(forms.CheckboxSelectMultiple):
    """Each box stays with its label's name, shown in the label's colour."""

    option_template_name = "intake/backoffice/widgets/label_option.html"


class LabelsForm(PageForm):
    labels = forms.ModelMultipleChoiceField(
        label=_("Étiquettes"),
        queryset=Label.objects.all(),
        required=False,
        widget=LabelCheckboxes,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["labels"] = list(self.intake_request.labels.all())


class NoteForm(PageForm):
    body = forms.CharField(
        label=_("Note interne"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible de l'équipe seulement : jamais montrée ni envoyée à la collectivité."),
        error_messages={"required": _("Écrivez la note.")},
    )
    pinned = forms.BooleanField(label=_("Épingler en haut de la demande"), required=False)


class TeamMessageForm(ReplyForm):
    """The team's free message, from the composer of the request page."""

    must_be_written = True
    files = AttachmentsField(
        help_text=_(
            "5 fichiers au plus, de 10 Mo chacun au plus : PDF, documents bureautiques, images. "
            "La collectivité les télécharge depuis sa page de suivi."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, reply=MESSAGE, **kwargs)


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
