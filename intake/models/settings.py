"""The team's own settings: only the team (and superusers) may change them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

__all__ = ["TeamSettings"]


@register_setting(icon="group")
class TeamSettings(BaseGenericSetting):
    notification_email = models.EmailField(
        _("adresse des notifications de l'équipe"),
        blank=True,
        help_text=_(
            "Reçoit les nouvelles demandes, et les messages des collectivités dont la demande "
            "n'est suivie par personne. Vide : l'adresse de la configuration du serveur."
        ),
    )

    panels = [FieldPanel("notification_email")]

    class Meta:
        verbose_name = _("paramètres de l'équipe")

    @property
    def notification_address(self):
        return self.notification_email or settings.TEAM_NOTIFICATION_EMAIL
