"""Emails read from the team's mailbox: each message once (claimed by its IMAP UID), its raw
bytes kept in the private storage, and what became of it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .attachments import private_storage
from .request import IntakeRequest, RequestMessage

__all__ = ["InboundEmail"]


class InboundEmailQuerySet(models.QuerySet):
    def to_sort(self):
        return self.filter(status=InboundEmail.Status.TO_SORT)


class InboundEmail(models.Model):
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        TO_SORT = "to_sort", _("À trier")
        IMPORTED = "imported", _("Versé à une demande")
        DISCARDED = "discarded", _("Écarté")

    # Where it was read: the folder, its UIDVALIDITY and the message's UID name it for good.
    folder = models.CharField(max_length=200)
    uid_validity = models.PositiveBigIntegerField()
    uid = models.PositiveBigIntegerField()
    message_id_header = models.CharField("Message-ID", max_length=998, blank=True)
    sender = models.CharField(_("expéditeur"), max_length=320, blank=True)
    subject = models.CharField(_("objet"), max_length=998, blank=True)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    # The message as it came, or its headers only when it was too large to be imported.
    raw = models.FileField(storage=private_storage, upload_to="inbound/%Y/%m/")
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.TO_SORT
    )
    note = models.TextField(_("remarque"), blank=True)
    request = models.ForeignKey(
        IntakeRequest,
        verbose_name=_("demande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_emails",
    )
    message = models.OneToOneField(
        RequestMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="email"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # Flagged on the server (once the import committed).
    flagged_at = models.DateTimeField(null=True, blank=True)

    objects = InboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("courriel reçu")
        verbose_name_plural = _("courriels reçus")
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "uid_validity", "uid"], name="inbound_email_once"
            )
        ]

    def __str__(self):
        return self.subject or str(_("(sans objet)"))

    def candidate_requests(self):
        """The requests this email may belong to: the one it names, those of its sender."""
        sender = IntakeRequest.objects.filter(email__iexact=self.sender) if self.sender else None
        named = IntakeRequest.objects.filter(pk=self.request_id)
        both = named | sender if sender is not None else named
        return both.select_related("collectivite").order_by("-created_at")[:10]
