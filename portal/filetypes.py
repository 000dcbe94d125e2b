"""What a file is, read from its content, never from its name: the one sniffer behind the
applicants' attachments (intake/attachments.py) and the admin's documents (portal/uploads.py)."""

import io
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# (leading bytes, content type, label) of the files that say what they are at their start.
_SIGNATURES = (
    (b"%PDF-", PDF, "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"GIF87a", "image/gif", "GIF"),
    (b"GIF89a", "image/gif", "GIF"),
)
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office Open XML: the folder of its main part names the kind of document.
_OOXML_PARTS = (
    ("word/", DOCX, "Word"),
    ("xl/", XLSX, "Excel"),
    ("ppt/", PPTX, "PowerPoint"),
)
# OpenDocument: its first entry, "mimetype", holds its type.
_ODF_TYPES = {
    ODT: "OpenDocument texte",
    ODS: "OpenDocument tableur",
    ODP: "OpenDocument présentation",
}
# Word, Excel and PowerPoint 97–2003 share one container whose kind is not at its start: the
# name then tells which, among these three only.
OLE_TYPES = {
    ".doc": ("application/msword", "Word"),
    ".xls": ("application/vnd.ms-excel", "Excel"),
    ".ppt": ("application/vnd.ms-powerpoint", "PowerPoint"),
}
LABELS = {
    **{content_type: label for _start, content_type, label in _SIGNATURES},
    **{content_type: label for _folder, content_type, label in _OOXML_PARTS},
    **_ODF_TYPES,
    **dict(OLE_TYPES.values()),
}


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


def content_type(name, data):
    """The content type of the file ``name`` holding ``data`` (bytes), when its content is a
    PDF, an image, or an office document; None otherwise."""
    for signature, signed_type, _label in _SIGNATURES:
        if data.startswith(signature):
            return signed_type
    if data.startswith(_ZIP):
        return _zip_type(data)
    if data.startswith(_OLE):
        extension = "." + name.rpartition(".")[2].lower() if "." in name else ""
        return OLE_TYPES[extension][0] if extension in OLE_TYPES else None
    return None


# What a document's extension says its content is; None: plain text.
EXTENSION_TYPES = {
    "pdf": PDF,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "odt": ODT,
    "ods": ODS,
    "odp": ODP,
    **{extension[1:]: declared for extension, (declared, _label) in OLE_TYPES.items()},
    "csv": None,
    "txt": None,
}


def matches_extension(name, data):
    """Whether the content ``data`` is what the extension of ``name`` says (see
    EXTENSION_TYPES); False for an extension the table does not know."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in EXTENSION_TYPES:
        return False
    found = content_type(name, data)
    if EXTENSION_TYPES[extension] is None:
        # Text has no signature: nothing else may hide behind it.
        return found is None and b"\x00" not in data
    return found == EXTENSION_TYPES[extension]
