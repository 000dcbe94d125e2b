"""The forms of the request page and its appointments: assignment, labels, notes, messages,
video link, slots, outcomes. They only bind and clean; the lifecycle decides."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import get_rich_text_editor_widget

from home.models import Partner

from .. import booking, selectors
from ..fields import (
    AttachmentsField,
    NewSlotForm,
    TeamMemberChoiceField,
    TeamMemberLabels,
    slot_choices,
    slot_value,
)
from ..forms import MESSAGE_MAX_LENGTH, ConfirmMoveForm, ReplyForm
from ..lifecycle.accompaniments import MAX_WEEKS
from ..lifecycle.moves import MESSAGE
from ..models import PARIS, ActionItem, Appointment, Label, Need, Rhythm
from ..models.sessions import REPORT_FEATURES

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


def weeks_field(label):
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_WEEKS,
        error_messages={
            "required": _("Indiquez un nombre de semaines."),
            "invalid": _("Indiquez un nombre entier de semaines."),
            "min_value": _("Comptez au moins 1 semaine."),
            "max_value": _("Comptez au plus %(limit_value)s semaines."),
        },
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_WEEKS}),
    )


class CadenceForm(PageForm):
    """The accompaniment's rhythm: one-off, or regular with its window after the last session."""

    rhythm = forms.ChoiceField(
        label=_("Rythme de l'accompagnement"),
        choices=[
            (Rhythm.ONE_OFF, _("Ponctuel : une séance")),
            (Rhythm.REGULAR, _("Régulier : une séance après l'autre")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le rythme de l'accompagnement.")},
    )
    min_weeks = weeks_field(_("Prochaine séance à planifier à partir de (semaines)"))
    max_weeks = weeks_field(_("Prochaine séance au plus tard après (semaines)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_weeks"].help_text = _("Après la dernière séance tenue, par exemple 4.")
        self.fields["max_weeks"].help_text = _(
            "Passé ce délai sans séance prévue, l'accompagnement est en retard ; par exemple 8."
        )
        intake_request = self.intake_request
        self.initial.update(
            rhythm=intake_request.cadence or intake_request.rhythm,
            min_weeks=intake_request.cadence_min_weeks,
            max_weeks=intake_request.cadence_max_weeks,
        )

    def clean(self):
        data = super().clean()
        low, high = data.get("min_weeks"), data.get("max_weeks")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_weeks",
                _("Le délai au plus tard doit être supérieur ou égal au délai au plus tôt."),
            )
        return data


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


def session_day_field(**kwargs):
    return forms.DateField(
        label=_("Jour"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Indiquez le jour de la séance.")},
        **kwargs,
    )


def session_time_field(**kwargs):
    return forms.TimeField(
        label=_("Heure de début (heure de Paris)"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Indiquez l'heure de début.")},
        **kwargs,
    )


def paris_moment(day, at):
    return datetime.combine(day, at, tzinfo=PARIS)


def refuse_past(form, starts_at):
    """A session is scheduled, or moved, to a moment to come."""
    if starts_at is not None and starts_at <= timezone.now():
        form.add_error("day", _("Choisissez un moment à venir."))


class MoveAppointmentForm(AppointmentSlotForm):
    """Another slot of the permanence, or, for a session held at another time, another day
    and time (its length kept)."""

    message = appointment_words_field()

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.other_time = appointment is not None and not appointment.in_permanence
        if self.other_time:
            del self.fields["slot"]
            local = timezone.localtime(appointment.starts_at, PARIS)
            self.fields["day"] = session_day_field(initial=local.date())
            self.fields["at"] = session_time_field(initial=local.time())
            self.order_fields(["day", "at", "message"])

    def clean(self):
        data = super().clean()
        if self.other_time and data.get("day") and data.get("at"):
            refuse_past(self, paris_moment(data["day"], data["at"]))
        return data

    @property
    def new_starts_at(self):
        if self.other_time:
            return paris_moment(self.cleaned_data["day"], self.cleaned_data["at"])
        return self.chosen_slot.starts_at


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


class TeamMembersField(TeamMemberLabels, forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ScheduleForm(AppointmentSlotForm):
    """A first exchange or a working session: in a slot of the permanence, or (a session
    only) at the day, time and length the team chooses; held by team members."""

    IN_PERMANENCE, OTHER_TIME = "permanence", "autre"

    kind = forms.ChoiceField(
        label=_("Nature du rendez-vous"),
        choices=Appointment.Kind.choices,
        initial=Appointment.Kind.WORKING_SESSION,
    )
    place = forms.ChoiceField(
        label=_("Quand"),
        choices=[
            (IN_PERMANENCE, _("Dans un créneau de la permanence")),
            (OTHER_TIME, _("À un autre moment (séance de travail : ne prend pas de place)")),
        ],
        initial=IN_PERMANENCE,
        widget=forms.RadioSelect,
    )
    day = session_day_field(required=False, help_text=_("Pour un autre moment que la permanence."))
    at = session_time_field(required=False)
    minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        required=False,
        initial=60,
        min_value=15,
        max_value=480,
        error_messages={
            "required": _("Indiquez la durée de la séance."),
            "min_value": _("Une séance dure au moins 15 minutes."),
            "max_value": _("Une séance dure au plus 8 heures (480 minutes)."),
        },
    )
    hosts = TeamMembersField(
        label=_("Tenu par"),
        queryset=selectors.team_members(),
        required=False,
        help_text=_("Chacun reçoit l'invitation dans son agenda."),
    )
    video_link = forms.URLField(
        label=_("Lien de la visioconférence"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": _(
                "Saisissez une adresse complète, par exemple https://webconf.numerique.gouv.fr/…"
            )
        },
    )
    field_order = ["kind", "place", "slot", "day", "at", "minutes", "hosts", "video_link"]

    def __init__(self, *args, user=None, sessions_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sessions_allowed:
            # Before the request is accepted, only its first exchange.
            self.fields["kind"].choices = [
                (Appointment.Kind.FIRST_EXCHANGE, Appointment.Kind.FIRST_EXCHANGE.label)
            ]
            self.fields["kind"].initial = Appointment.Kind.FIRST_EXCHANGE
        self.fields["slot"].required = False
        self.fields["slot"].label = _("Créneau de la permanence (heure de Paris)")
        if user is not None and not self.is_bound:
            self.initial["hosts"] = [user.pk]

    def clean(self):
        data = super().clean()
        working_session = data.get("kind") == Appointment.Kind.WORKING_SESSION
        if working_session and not data.get("hosts"):
            self.add_error("hosts", _("Choisissez qui tient la séance."))
        if data.get("place") == self.OTHER_TIME:
            if not working_session:
                self.add_error(
                    "place", _("Un premier échange se tient dans un créneau de la permanence.")
                )
            # Required at another time only: their own "required" words say what is missing.
            for name in ("day", "at", "minutes"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
            refuse_past(self, self.starts_at)
        elif (
            data.get("place") == self.IN_PERMANENCE
            and not data.get("slot")
            and ("slot" not in self.errors)
        ):
            self.add_error("slot", _("Choisissez un créneau."))
        return data

    @property
    def starts_at(self):
        """The chosen start: the slot's, or the day and time given, on the Paris clock."""
        data = self.cleaned_data
        if data.get("place") == self.IN_PERMANENCE:
            slot = self.chosen_slot
            return slot.starts_at if slot else None
        if data.get("day") is None or data.get("at") is None:
            return None
        return paris_moment(data["day"], data["at"])

    def command_kwargs(self):
        data = self.cleaned_data
        other_time = data["place"] == self.OTHER_TIME
        return {
            "starts_at": self.starts_at,
            "kind": data["kind"],
            "hosts": list(data["hosts"]),
            "minutes": data["minutes"] if other_time else None,
            "video_link": data["video_link"],
        }


class OutcomeForm(ConfirmMoveForm):
    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)


class SessionRecordForm(forms.Form):
    """The record of a held session: subjects, compte-rendu (shared or internal), partners,
    new action items (three rows) and those now done."""

    NEW_ITEMS = 3

    subjects = forms.MultipleChoiceField(
        label=_("Sujets abordés"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        widget=get_rich_text_editor_widget(features=REPORT_FEATURES),
    )
    report_shared = forms.BooleanField(
        label=_("Partager le compte rendu avec la collectivité"),
        required=False,
        help_text=_("Affiché sur sa page de suivi. Sinon, il reste interne à l'équipe."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partenaires et pistes de financement indiqués"),
        queryset=Partner.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, appointment=None, **kwargs):
        record = getattr(appointment, "record", None) if appointment else None
        if record is not None:
            kwargs["initial"] = {
                "subjects": record.subjects,
                "report": record.report,
                "report_shared": record.report_shared,
                "partners": list(record.partners.all()),
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        # Draftail names its editable area by this option, not by the field's <label>.
        self.fields["report"].widget.options["ariaLabel"] = str(self.fields["report"].label)
        open_items = appointment.action_items.open() if appointment else ActionItem.objects.none()
        if open_items.exists():
            self.fields["done"] = forms.ModelMultipleChoiceField(
                label=_("Actions faites"),
                queryset=open_items,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for number in range(1, self.NEW_ITEMS + 1):
            self.fields[f"item_{number}_title"] = forms.CharField(
                label=_("Nouvelle action %(number)s") % {"number": number},
                max_length=300,
                required=False,
            )
            self.fields[f"item_{number}_owner"] = forms.ChoiceField(
                label=_("Qui la mène"),
                choices=[("", _("Choisissez")), *ActionItem.Owner.choices],
                required=False,
            )
            self.fields[f"item_{number}_due_on"] = forms.DateField(
                label=_("Pour le"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def clean(self):
        data = super().clean()
        self.new_items = []
        for number in range(1, self.NEW_ITEMS + 1):
            title = (data.get(f"item_{number}_title") or "").strip()
            owner = data.get(f"item_{number}_owner")
            due_on = data.get(f"item_{number}_due_on")
            if title and not owner:
                self.add_error(f"item_{number}_owner", _("Dites qui mène cette action."))
            elif not title and (owner or due_on):
                self.add_error(f"item_{number}_title", _("Décrivez l'action."))
            elif title:
                self.new_items.append((title, owner, due_on))
        return data

    def command_kwargs(self):
        data = self.cleaned_data
        return {
            "subjects": data["subjects"],
            "report": data["report"],
            "report_shared": data["report_shared"],
            "partners": list(data["partners"]),
            "new_items": self.new_items,
            "done_items": list(data.get("done", [])),
        }


class AnonymiseForm(forms.Form):
    """Why the request is anonymised before its period is over, and the team's confirmation
    that it cannot be undone."""

    reason = forms.CharField(
        label=_("Pourquoi anonymiser la demande maintenant ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Par exemple : demande d'effacement reçue le… Ne citez pas la personne : ce motif "
            "reste dans l'historique."
        ),
        error_messages={"required": _("Indiquez pourquoi la demande est anonymisée.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Je comprends que les noms, coordonnées, textes, messages, notes, comptes rendus, "
            "pièces jointes et courriels de la demande seront effacés définitivement"
        ),
        error_messages={"required": _("Cochez la case pour confirmer.")},
    )
