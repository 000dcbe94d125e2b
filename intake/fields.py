"""The fields and form parts several screens share: ids that the database can compare, team
members and partners by their names, the choice of a slot among those offered, and the files
a message carries."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import attachments, booking
from .replies import team_member_name

MAX_PRIMARY_KEY = 2**63 - 1


def is_primary_key(value):
    """A value the database can compare with an id (huge numbers overflow its driver)."""
    try:
        return 0 < int(value) <= MAX_PRIMARY_KEY
    except (TypeError, ValueError):
        return False


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_primary_key(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not is_primary_key(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class SlotField(forms.ChoiceField):
    """Slots listed as grouped choices; whether one is still free is checked by the form,
    which can say so clearly instead of "not a valid choice"."""

    def valid_value(self, value):
        return True


class SlotChoiceMixin:
    """Offers the currently available slots and refuses one that is not (or no longer)."""

    def setup_slots(self, slots):
        self.slots = list(slots if slots is not None else booking.available_slots())
        self.fields["slot"].choices = slot_choices(self.slots)

    def clean_slot(self):
        value = self.cleaned_data["slot"]
        if not value:
            return value
        try:
            datetime.datetime.fromisoformat(value)
        except ValueError as error:
            raise forms.ValidationError(_("Sélectionnez un créneau dans la liste.")) from error
        if value not in {slot_value(slot) for slot in self.slots}:
            raise forms.ValidationError(booking.SlotUnavailable.default_message)
        return value

    @property
    def chosen_slot(self):
        value = self.cleaned_data.get("slot")
        return next((slot for slot in self.slots if slot_value(slot) == value), None)


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


def slot_value(slot):
    return slot.starts_at.astimezone(datetime.UTC).isoformat()


def slot_choices(slots):
    """Slots grouped by day, as <optgroup>s of a select."""
    days = {}
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        day = formats.date_format(local, "l j F Y").capitalize()
        # The whole date in each option: a select shows the chosen option alone.
        days.setdefault(day, []).append((slot_value(slot), booking.slot_label(slot.starts_at)))
    return [("", _("Sélectionnez un créneau"))] + list(days.items())


class NewSlotForm(SlotChoiceMixin, forms.Form):
    """Choose (or change) an appointment among the available slots: the applicant's on the
    status page (in DSFR), the team's in the admin."""

    slot = SlotField(
        label=_("Nouveau créneau (heure de Paris)"),
        error_messages={"required": _("Choisissez un créneau.")},
    )

    def __init__(self, *args, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_slots(slots)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True
    # django-dsfr's field snippet reads the group's class from the widget.
    group_class = "fr-upload-group"

    def __init__(self):
        super().__init__(attrs={"class": "fr-upload", "accept": attachments.ACCEPT})


class AttachmentsField(forms.FileField):
    """Up to five files, each checked from its content: a list of (name, file) pairs."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Pièces jointes"))
        kwargs.setdefault(
            "help_text",
            _(
                "5 fichiers au plus, de 10 Mo chacun au plus. Formats acceptés : "
                "PDF, documents bureautiques (Word, Excel, PowerPoint, OpenDocument), images "
                "(JPEG, PNG, GIF)."
            ),
        )
        super().__init__(required=False, allow_empty_file=False, **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data or []) if file]
        if len(files) > attachments.MAX_PER_MESSAGE:
            raise ValidationError(
                _("Joignez 5 fichiers au plus : vous en avez choisi %(count)s.")
                % {"count": len(files)}
            )
        checked = []
        for file in files:
            super().clean(file, initial)
            try:
                attachments.validate(file.name, file)
            except attachments.AttachmentRefused as refusal:
                raise ValidationError(str(refusal)) from refusal
            checked.append((file.name, file))
        return checked
