"""Emails waiting to be sent: stored with the change that caused them, retried until sent."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["OutgoingEmail"]

MAX_ATTEMPTS = 8


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )


class OutgoingEmail(models.Model):
    # Personal data: kept out of Wagtail's reference index (and its background task).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec définitif")

    request = models.ForeignKey(
        "intake.IntakeRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    kind = models.CharField(_("type"), max_length=40)
    to = models.JSONField(_("destinataires"))
    subject = models.CharField(_("objet"), max_length=250)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")

    def __str__(self):
        return f"{self.kind} → {', '.join(self.to)}"

    def mark_sent(self):
        self.status = self.Status.SENT
        self.sent_at = timezone.now()
        self.save(update_fields=["status", "sent_at"])

    def mark_failed_attempt(self, error):
        """Back off exponentially (1, 2, 4… minutes); give up after MAX_ATTEMPTS."""
        self.attempts += 1
        self.last_error = str(error)[:2000]
        if self.attempts >= MAX_ATTEMPTS:
            self.status = self.Status.FAILED
        self.next_attempt_at = timezone.now() + timedelta(minutes=2 ** (self.attempts - 1))
        self.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
