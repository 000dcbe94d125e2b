"""The daily digest's switch on a team member's account page (the "Notifications" tab of
Wagtail's account settings): the form reads their choice and saves it through the lifecycle."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from ..digest import receives_daily_digest
from ..lifecycle import digest
from ..models import TRIAGE_PERMISSION


class DigestPreferenceForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=_("Recevoir le récapitulatif quotidien"),
        required=False,
        help_text=_(
            "Chaque jour ouvré au matin : les nouvelles demandes, les premières réponses "
            "attendues ou en retard, les rendez-vous du jour et les actions arrivées à échéance."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        initial = {"daily_digest": receives_daily_digest(user)}
        super().__init__(*args, initial=initial, **kwargs)

    def save(self):
        digest.set_daily_digest(self.user, enabled=self.cleaned_data["daily_digest"])


class DigestPreferencePanel(BaseSettingsPanel):
    name = "daily_digest"
    title = _("Récapitulatif quotidien")
    tab = notifications_tab
    order = 300
    form_class = DigestPreferenceForm

    def is_active(self):
        return self.user.is_active and self.user.has_perm(TRIAGE_PERMISSION)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, user=self.user, prefix=self.name)
