"""The team's daily digest: each member's choice to receive it, and the digest of each day,
claimed once per member (its unique row). Written by the lifecycle only
(``lifecycle/digest.py``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["DigestDelivery", "TeamMemberPreference"]


class TeamMemberPreference(models.Model):
    """What a team member chose on their account page; a member without a row gets the
    digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre de l'équipe"),
        on_delete=models.CASCADE,
        related_name="team_preference",
    )
    daily_digest = models.BooleanField(_("récapitulatif quotidien"), default=True)

    class Meta:
        verbose_name = _("préférence d'un membre de l'équipe")
        verbose_name_plural = _("préférences des membres de l'équipe")

    def __str__(self):
        return str(self.user)


class DigestDelivery(models.Model):
    """The digest of one day for one member: its row, unique, is the claim that sends it, so
    two copies of the periodic job never both do. An empty digest keeps its row, unsent: the
    day is done, and the next digest counts its new requests from then."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("récapitulatif quotidien envoyé")
        verbose_name_plural = _("récapitulatifs quotidiens envoyés")
        constraints = [
            models.UniqueConstraint(fields=["member", "day"], name="one_digest_per_member_and_day")
        ]

    def __str__(self):
        return f"{self.member} — {self.day}"
