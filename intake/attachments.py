"""What a message may carry: the checks on each file (its type read from its content) and
their storage. ``store`` runs inside the lifecycle's commands only."""

from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Attachment

MAX_SIZE = 10 * 1024 * 1024
MAX_PER_MESSAGE = 5

# (leading bytes, content type) of the accepted files. Office documents are ZIP (OOXML,
# OpenDocument) or OLE containers.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
)
_OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_CONTAINERS = {
    "application/zip": {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"},
    "application/x-ole-storage": {".doc", ".xls", ".ppt"},
}


class AttachmentRefused(DomainError):
    """A file a message may not carry."""


def _read(data_or_file):
    if isinstance(data_or_file, bytes):
        return data_or_file
    data_or_file.seek(0)
    data = data_or_file.read()
    data_or_file.seek(0)
    return data


def validate(name, data_or_file):
    """The content type of the file ``name``, read from its first bytes; AttachmentRefused
    when it is too large or not a PDF, an office document or an image."""
    data = _read(data_or_file)
    if len(data) > MAX_SIZE:
        raise AttachmentRefused(
            _("« %(name)s » dépasse 10 Mo : envoyez un fichier plus léger.") % {"name": name}
        )
    extension = "." + name.rpartition(".")[2].lower() if "." in name else ""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            if content_type in _CONTAINERS:
                if extension in _CONTAINERS[content_type]:
                    return _OFFICE_TYPES[extension]
                break
            return content_type
    raise AttachmentRefused(
        _("« %(name)s » n'est pas un format accepté : PDF, document bureautique ou image.")
        % {"name": name}
    )


def store(message, files):
    """Attach ``files`` ((name, bytes or File) pairs) to ``message``, each checked first."""
    if len(files) > MAX_PER_MESSAGE:
        raise AttachmentRefused(_("Un message porte au plus 5 pièces jointes."))
    checked = [(name, data, validate(name, data)) for name, data in files]
    stored = []
    for name, data, content_type in checked:
        content = ContentFile(data) if isinstance(data, bytes) else File(data)
        attachment = Attachment(
            message=message, name=name[:255], content_type=content_type, size=content.size
        )
        attachment.file.save(name, content, save=False)
        attachment.save()
        stored.append(attachment)
    return stored
