"""The keys of the team's forms already acted on: a second post of one form does nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["UsedFormKey"]


class UsedFormKey(models.Model):
    """One post of one form of the back office, recorded with what it did (same transaction).

    ``key`` is drawn when the page renders the form; ``scope`` tells the forms of one page
    apart (its path and action), since they share the page's key."""

    request = models.ForeignKey("intake.IntakeRequest", on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    scope = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("formulaire traité")
        verbose_name_plural = _("formulaires traités")
        constraints = [
            models.UniqueConstraint(fields=["key", "scope"], name="intake_form_key_used_once")
        ]

    def __str__(self):
        return f"{self.scope} ({self.key})"
