"""Emails waiting to be sent: stored with the change that caused them, retried until sent.

A delivery first claims its email (PENDING to SENDING, committed) and only then talks to the
mail server: an email is never handed to it twice, even when a worker dies in the middle. One
still SENDING after SENDING_LEASE was cut off and may have left: it is marked failed for the
team to check and retry, with the same Message-ID (its idempotency key), which mail clients
use to show a copy only once."""

import uuid
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["OutgoingEmail"]

MAX_ATTEMPTS = 8
SENDING_LEASE = timedelta(minutes=10)


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )

    def failed(self):
        return self.filter(status=OutgoingEmail.Status.FAILED)

    def interrupted(self, now=None):
        """Claimed by a delivery that never finished: its worker died while sending."""
        return self.filter(
            status=OutgoingEmail.Status.SENDING,
            sending_started_at__lte=(now or timezone.now()) - SENDING_LEASE,
        )


class OutgoingEmail(models.Model):
    # Personal data: kept out of Wagtail's reference index (and its background task).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENDING = "sending", _("Envoi en cours")
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
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # The email's Message-ID: the same on every try, so that a copy sent twice shows once.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sending_started_at = models.DateTimeField(null=True, blank=True)
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
        return f"{self.kind} → {self.recipients}"

    @property
    def recipients(self):
        return ", ".join(self.to)

    def message_id(self, domain):
        return f"<{self.idempotency_key}@{domain}>"

    def claim(self):
        """Take the email for one delivery; False when it is not waiting (another delivery
        has it, or it left already)."""
        now = timezone.now()
        claimed = OutgoingEmail.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.SENDING, sending_started_at=now
        )
        if claimed:
            self.status, self.sending_started_at = self.Status.SENDING, now
        return bool(claimed)

    def mark_sent(self):
        self.status = self.Status.SENT
        self.sent_at = timezone.now()
        self.save(update_fields=["status", "sent_at"])

    def mark_failed_attempt(self, error):
        """Back off exponentially (1, 2, 4… minutes); give up after MAX_ATTEMPTS."""
        self.attempts += 1
        self.last_error = str(error)[:2000]
        self.status = self.Status.FAILED if self.attempts >= MAX_ATTEMPTS else self.Status.PENDING
        self.next_attempt_at = timezone.now() + timedelta(minutes=2 ** (self.attempts - 1))
        self.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
