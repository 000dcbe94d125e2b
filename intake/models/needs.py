"""The five working axes of the offer: what a request asks for and what a session discusses."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Need"]


class Need(models.TextChoices):
    """The five working axes of the offer."""

    STRATEGY = "strategy", _("Vos axes stratégiques en matière de démocratie participative")
    OPPORTUNITIES = "opportunities", _("Les opportunités à explorer et les pièges à éviter")
    COHERENCE = "coherence", _("L'articulation et la cohérence des initiatives locales")
    EXPERTS = "experts", _("L'orientation vers des prestataires et experts de confiance")
    FUNDING = "funding", _("Les pistes de financement")
