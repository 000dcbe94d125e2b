"""What the collectivité says of its accompaniment once it is over: how useful it was, once.
Written by the lifecycle only (``lifecycle/accompaniments.py``)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["SatisfactionAnswer"]


class SatisfactionAnswer(models.Model):
    wagtail_reference_index_ignore = True

    class Score(models.IntegerChoices):
        USELESS = 1, _("1 — Pas du tout utile")
        HARDLY = 2, _("2 — Peu utile")
        FAIRLY = 3, _("3 — Assez utile")
        USEFUL = 4, _("4 — Utile")
        VERY = 5, _("5 — Très utile")

    # One answer per request: the database refuses a second one.
    request = models.OneToOneField(
        "intake.IntakeRequest",
        verbose_name=_("demande"),
        on_delete=models.CASCADE,
        related_name="satisfaction",
    )
    score = models.PositiveSmallIntegerField(
        _("utilité de l'accompagnement"),
        choices=Score.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("commentaire"), blank=True)
    answered_at = models.DateTimeField(_("répondu le"), default=timezone.now)

    class Meta:
        verbose_name = _("avis sur l'accompagnement")
        verbose_name_plural = _("avis sur l'accompagnement")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="intake_satisfaction_score_1_to_5",
                violation_error_message=_("La note va de 1 à 5."),
            ),
        ]

    def __str__(self):
        return f"{self.request_id} — {self.score}/5"
