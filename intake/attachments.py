"""What a message may carry: the checks on each file (its type read from its content, never
from its name) and their storage. ``store`` runs inside the lifecycle's commands only."""

import uuid

from django.core.files.base import ContentFile, File
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from portal import filetypes
from portal.filetypes import LABELS, OLE_TYPES

from .errors import DomainError
from .models import Attachment

MAX_SIZE = 10 * 1024 * 1024
MAX_PER_MESSAGE = 5

# What the file pickers offer; the content decides in the end.
ACCEPT = ",".join(
    [".pdf", ".png", ".jpg", ".jpeg", ".gif", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"]
    + list(OLE_TYPES)
)


class AttachmentRefused(DomainError):
    """A file a message may not carry."""


def _read(data_or_file):
    if isinstance(data_or_file, bytes):
        return data_or_file
    data_or_file.seek(0)
    data = data_or_file.read(MAX_SIZE + 1)
    data_or_file.seek(0)
    return data


def validate(name, data_or_file):
    """The content type of the file ``name``, read from its content; AttachmentRefused when it
    is too large or not a PDF, an office document or an image."""
    data = _read(data_or_file)
    if len(data) > MAX_SIZE:
        raise AttachmentRefused(
            _("« %(name)s » dépasse 10 Mo : envoyez un fichier plus léger.") % {"name": name}
        )
    content_type = filetypes.content_type(name, data)
    if content_type is None:
        raise AttachmentRefused(
            _("« %(name)s » n'est pas un format accepté : PDF, document bureautique ou image.")
            % {"name": name}
        )
    return content_type


def kind_label(content_type):
    """The file's kind as people name it ("PDF", "Word")."""
    return LABELS.get(content_type, content_type)


def store(message, files):
    """Attach ``files`` ((name, bytes or File) pairs) to ``message``, each checked first."""
    if len(files) > MAX_PER_MESSAGE:
        raise AttachmentRefused(_("Un message porte au plus 5 pièces jointes."))
    checked = [(name, data, validate(name, data)) for name, data in files]
    stored = []
    for name, data, content_type in checked:
        content = ContentFile(data) if isinstance(data, bytes) else File(data)
        attachment = Attachment(
            message=message, name=_display_name(name), content_type=content_type, size=content.size
        )
        # The stored name is the portal's: the applicant's name is kept only for display.
        attachment.file.save(uuid.uuid4().hex, content, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _display_name(name):
    """The file's own name, without any folder a browser or a mail client sent with it."""
    name = name.replace("\\", "/").rpartition("/")[2].strip() or _("pièce jointe")
    return name[:255]


def download(attachment):
    """The file as a download with its own name: never shown inline, where a document would
    run in the portal's origin, and never kept by a cache."""
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        content, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
