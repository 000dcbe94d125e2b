"""Files attached to a message of a request's thread, kept in the private storage."""

from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .request import RequestMessage

__all__ = ["Attachment", "private_storage"]


def private_storage():
    """Outside the public media (STORAGES["private"]): nothing here is ever served by the web
    server or the object storage, only read through the portal."""
    return storages["private"]


class AttachmentQuerySet(models.QuerySet):
    def of_request(self, intake_request):
        return self.filter(message__request=intake_request)


class Attachment(models.Model):
    wagtail_reference_index_ignore = True

    message = models.ForeignKey(
        RequestMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=private_storage, upload_to="attachments/%Y/%m/")
    name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille"))
    created_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.name
