"""What a message may carry: the checks on each file (its type read from its content, never
from its name) and their storage. ``store`` runs inside the lifecycle's commands only."""

import io
import uuid
import zipfile

from django.core.files.base import ContentFile, File
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Attachment

MAX_SIZE = 10 * 1024 * 1024
MAX_PER_MESSAGE = 5

# Each accepted kind is declared once, with its label ("PDF", "Word") as people name it.
# (leading bytes, content type, label) of the files that say what they are at their start.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"GIF87a", "image/gif", "GIF"),
    (b"GIF89a", "image/gif", "GIF"),
)
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office Open XML: the folder of its main part names the kind of document.
_OOXML_PARTS = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    (
        "ppt/",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
    ),
)
# OpenDocument: its first entry, "mimetype", holds its type.
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "OpenDocument texte",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument tableur",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument présentation",
}
# Word, Excel and PowerPoint 97–2003 share one container whose kind is not at its start: the
# name then tells which, among these three only.
_OLE_TYPES = {
    ".doc": ("application/msword", "Word"),
    ".xls": ("application/vnd.ms-excel", "Excel"),
    ".ppt": ("application/vnd.ms-powerpoint", "PowerPoint"),
}
_LABELS = {
    **{content_type: label for _start, content_type, label in _SIGNATURES},
    **{content_type: label for _folder, content_type, label in _OOXML_PARTS},
    **_ODF_TYPES,
    **dict(_OLE_TYPES.values()),
}
# What the file pickers offer; the content decides in the end.
ACCEPT = ",".join(
    [".pdf", ".png", ".jpg", ".jpeg", ".gif", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"]
    + list(_OLE_TYPES)
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


def _zip_type(data):
    """The office document a ZIP archive is, from its entries; None for any other archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for folder, content_type, _label in _OOXML_PARTS:
                    if any(name.startswith(folder) for name in names):
                        return content_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError):
        return None
    return None


def _content_type(name, data):
    for signature, content_type, _label in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data.startswith(_ZIP):
        return _zip_type(data)
    if data.startswith(_OLE):
        extension = "." + name.rpartition(".")[2].lower() if "." in name else ""
        return _OLE_TYPES[extension][0] if extension in _OLE_TYPES else None
    return None


def validate(name, data_or_file):
    """The content type of the file ``name``, read from its content; AttachmentRefused when it
    is too large or not a PDF, an office document or an image."""
    data = _read(data_or_file)
    if len(data) > MAX_SIZE:
        raise AttachmentRefused(
            _("« %(name)s » dépasse 10 Mo : envoyez un fichier plus léger.") % {"name": name}
        )
    content_type = _content_type(name, data)
    if content_type is None:
        raise AttachmentRefused(
            _("« %(name)s » n'est pas un format accepté : PDF, document bureautique ou image.")
            % {"name": name}
        )
    return content_type


def kind_label(content_type):
    """The file's kind as people name it ("PDF", "Word")."""
    return _LABELS.get(content_type, content_type)


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
