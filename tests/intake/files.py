"""Real files of each kind a message may carry, and some that only pretend, built in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# The container of Word, Excel and PowerPoint 97–2003 (its header, then a sector of nothing).
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def image(format):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, format=format)
    return buffer.getvalue()


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content, compression in entries:
            # A fixed date: the same file built twice is the same bytes.
            entry = zipfile.ZipInfo(name, date_time=(2026, 1, 5, 10, 0, 0))
            archive.writestr(entry, content, compress_type=compression)
    return buffer.getvalue()


def office_open_xml(folder, part):
    """A .docx, .xlsx or .pptx: its content types, its relations and its main part."""
    deflated = zipfile.ZIP_DEFLATED
    return _zip(
        [
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>', deflated),
            ("_rels/.rels", '<?xml version="1.0"?><Relationships/>', deflated),
            (f"{folder}/{part}", '<?xml version="1.0"?><document/>', deflated),
        ]
    )


def opendocument(mimetype):
    """An .odt, .ods or .odp: its type first and uncompressed, as the format requires."""
    return _zip(
        [
            ("mimetype", mimetype, zipfile.ZIP_STORED),
            (
                "content.xml",
                '<?xml version="1.0"?><office:document-content/>',
                zipfile.ZIP_DEFLATED,
            ),
        ]
    )


def plain_zip():
    return _zip([("notes.txt", "Rien d'un document bureautique.", zipfile.ZIP_DEFLATED)])


def upload(name, content, content_type="application/octet-stream"):
    """A file as a browser posts it (the type it claims is the browser's guess, never read)."""
    return SimpleUploadedFile(name, content, content_type=content_type)
