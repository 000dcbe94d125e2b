"""The official referential of collectivités (Etalab découpage administratif)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from home.models import CollectiviteKind

from ..text import normalise

__all__ = ["Collectivite", "CollectiviteKind"]


class Collectivite(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=CollectiviteKind.choices)
    code = models.CharField(
        _("code"), max_length=12, help_text=_("Code officiel géographique, ou SIREN d'un EPCI/EPT.")
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    departement_code = models.CharField(_("code du département"), max_length=3, blank=True)
    departement_name = models.CharField(_("département"), max_length=100, blank=True)
    region_code = models.CharField(_("code de la région"), max_length=3, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    epci = models.ForeignKey(
        "self",
        verbose_name=_("EPCI"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="unique_collectivite_kind_code")
        ]

    def __str__(self):
        if self.kind == CollectiviteKind.COMMUNE and self.departement_name:
            return f"{self.name} ({self.departement_name})"
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        self.search_name = normalise(self.name)
        if update_fields is not None and "name" in update_fields:
            update_fields = {*update_fields, "search_name"}
        super().save(*args, update_fields=update_fields, **kwargs)
