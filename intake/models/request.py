"""A collectivité's request for support, its reference numbers and its message thread."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ContactRole",
    "FirstExchange",
    "IntakeRequest",
    "Need",
    "ReferenceCounter",
    "RequestMessage",
    "Rhythm",
    "hash_token",
]

TOKEN_LIFETIME_AFTER_END = timedelta(days=30)


class Need(models.TextChoices):
    """The five working axes of the offer."""

    STRATEGY = "strategy", _("Vos axes stratégiques en matière de démocratie participative")
    OPPORTUNITIES = "opportunities", _("Les opportunités à explorer et les pièges à éviter")
    COHERENCE = "coherence", _("L'articulation et la cohérence des initiatives locales")
    EXPERTS = "experts", _("L'orientation vers des prestataires et experts de confiance")
    FUNDING = "funding", _("Les pistes de financement")


class Rhythm(models.TextChoices):
    ONE_OFF = "one_off", _("Un échange ponctuel")
    REGULAR = "regular", _("Un accompagnement régulier (toutes les 4 à 8 semaines)")


class ContactRole(models.TextChoices):
    ELECTED = "elected", _("Élu ou élue")
    STAFF = "staff", _("Agent ou agente")


class FirstExchange(models.TextChoices):
    SLOT = "slot", _("Je choisis un créneau")
    CALL_BACK = "call_back", _("Je préfère être rappelé·e")
    NO_SLOT = "no_slot", _("Aucun créneau ne me convient")


class ReferenceCounter(models.Model):
    """Last reference number given in a year; its row lock serialises concurrent requests."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_reference(cls, year):
        """TE-YYYY-NNNNN, sequential within the year. Must run inside a transaction."""
        assert transaction.get_connection().in_atomic_block
        cls.objects.get_or_create(year=year)
        cls.objects.filter(year=year).update(last_number=F("last_number") + 1)
        number = cls.objects.select_for_update().get(year=year).last_number
        return f"TE-{year}-{number:05d}"


class IntakeRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Requests hold personal data: only the team (view permission) sees any."""
        if user.is_active and user.has_perm("intake.view_personal_data"):
            return self
        return self.none()

    def open(self):
        return self.filter(status__in=IntakeRequest.OPEN_STATUSES)

    def for_collectivite(self, collectivite):
        return self.filter(collectivite=collectivite)

    def with_token(self, token):
        """The request a status-page token opens, unless it expired."""
        now = timezone.now()
        return self.filter(access_token_hash=hash_token(token)).exclude(
            ended_at__lt=now - TOKEN_LIFETIME_AFTER_END
        )


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class IntakeRequest(models.Model):
    # Personal data: kept out of Wagtail's reference index (and its background task).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Reçue")
        IN_REVIEW = "in_review", _("En cours d'examen")
        AWAITING_APPLICANT = "awaiting_applicant", _("En attente de votre réponse")
        ACCEPTED = "accepted", _("Acceptée")
        IN_PROGRESS = "in_progress", _("Accompagnement en cours")
        CLOSED = "closed", _("Clôturée")
        REDIRECTED = "redirected", _("Orientée vers un partenaire")
        DECLINED = "declined", _("Déclinée")
        DUPLICATE = "duplicate", _("Doublon")
        SPAM = "spam", _("Indésirable")
        WITHDRAWN = "withdrawn", _("Retirée")

    # What the applicant tells about themselves and the need, as the form collects it.
    APPLICANT_FIELDS = (
        "first_name",
        "last_name",
        "function",
        "role",
        "email",
        "phone",
        "needs",
        "themes",
        "rhythm",
        "context",
        "existing_bodies",
        "first_exchange",
    )

    OPEN_STATUSES = [
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.AWAITING_APPLICANT,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
    ]

    reference = models.CharField(_("référence"), max_length=16, unique=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submission_key = models.UUIDField(
        _("clé de soumission"),
        unique=True,
        editable=False,
        help_text=_("Identifie un envoi du formulaire : un double envoi ne crée qu'une demande."),
    )

    collectivite = models.ForeignKey(
        "intake.Collectivite",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    collectivite_name = models.CharField(
        _("collectivité (hors référentiel)"), max_length=200, blank=True
    )
    collectivite_kind = models.CharField(
        _("type de collectivité (hors référentiel)"), max_length=30, blank=True
    )

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    function = models.CharField(_("fonction"), max_length=200)
    role = models.CharField(_("élu·e ou agent·e"), max_length=10, choices=ContactRole.choices)
    email = models.EmailField(_("courriel"))
    phone = models.CharField(_("téléphone"), max_length=20)

    needs = models.JSONField(_("besoins"), default=list)
    themes = models.ManyToManyField("home.Theme", verbose_name=_("thématiques"), blank=True)
    rhythm = models.CharField(_("rythme souhaité"), max_length=10, choices=Rhythm.choices)
    context = models.TextField(_("contexte"))
    existing_bodies = models.TextField(_("instances participatives existantes"), blank=True)
    first_exchange = models.CharField(
        _("premier échange"), max_length=10, choices=FirstExchange.choices
    )
    consent_at = models.DateTimeField(_("consentement recueilli le"))

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chargé·e de la demande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner = models.ForeignKey(
        "home.Partner",
        verbose_name=_("partenaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("motif de la décision"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("doublon de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    related_open_request = models.ForeignKey(
        "self",
        verbose_name=_("autre demande ouverte de la collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    access_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, db_index=True)
    taken_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = IntakeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")
        permissions = [("view_personal_data", _("Peut voir les données personnelles"))]

    def __str__(self):
        return f"{self.reference} — {self.collectivite_label}"

    @property
    def collectivite_label(self):
        return str(self.collectivite) if self.collectivite_id else self.collectivite_name

    @property
    def booked_appointment(self):
        """The appointment currently booked, if any (the next one first)."""
        return self.appointments.booked().order_by("starts_at").first()

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def issue_access_token(self):
        """A new random token for the status page; only its hash is kept."""
        token = secrets.token_urlsafe(32)
        self.access_token_hash = hash_token(token)
        return token


class RequestMessage(models.Model):
    wagtail_reference_index_ignore = True

    class Author(models.TextChoices):
        APPLICANT = "applicant", _("Collectivité")
        TEAM = "team", _("Équipe")

    request = models.ForeignKey(IntakeRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("auteur"), max_length=10, choices=Author.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.request.reference} — {self.get_author_display()}"
