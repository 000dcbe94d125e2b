"""What the admin accepts as an image or a document (portal/uploads.py): a bounded size and
pixel count, a format read from the content, each refusal said in French at the field, through
the add views and the multiple upload alike, and nothing saved."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

INVALID_IMAGE = (
    "Téléversez une image valide. Le fichier que vous avez transféré n’est pas une image ou "
    "bien est corrompu."
)
TOO_MANY_PIXELS = "Ce fichier a un trop grand nombre de pixels. Nombre maximum de pixels 25000000."


def png_declaring(width, height):
    """A tiny PNG whose header declares ``width`` × ``height`` pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def admin_client(client, django_user_model, home):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x" * 12))
    return client


def upload_image(client, name, content, content_type="image/png"):
    response = client.post(
        "/admin/images/add/",
        {"title": "Une image", "file": SimpleUploadedFile(name, content, content_type)},
    )
    return response


def field_errors(response):
    return response.context["form"].errors["file"]


def test_a_real_image_is_accepted(admin_client):
    image = get_test_image_file()
    response = upload_image(admin_client, "photo.png", image.file.getvalue())
    assert response.status_code == 302
    assert Image.objects.get().title == "Une image"


def test_an_oversized_image_is_refused(admin_client):
    content = png_declaring(100, 100) + b"\x00" * (10 * 1024 * 1024)
    response = upload_image(admin_client, "photo.png", content)
    assert response.status_code == 200
    assert field_errors(response) == [
        "Ce fichier est trop gros (10,0\xa0Mio). La taille de fichier maximale est de 10,0\xa0Mio."
    ]
    assert not Image.objects.exists()


def test_an_executable_renamed_as_an_image_is_refused(admin_client):
    response = upload_image(admin_client, "photo.png", b"MZ\x90\x00" + b"\x00" * 200)
    assert response.status_code == 200
    assert field_errors(response) == [INVALID_IMAGE]

    assert not Image.objects.exists()


def test_a_header_declaring_billions_of_pixels_is_refused_at_the_field(admin_client):
    response = upload_image(admin_client, "bombe.png", png_declaring(100_000, 100_000))
    assert response.status_code == 200
    assert field_errors(response) == [TOO_MANY_PIXELS]
    assert not Image.objects.exists()


def test_a_header_just_past_what_pillow_decodes_without_warning_is_refused(admin_client):
    # Pillow warns between its limit (about 89 million pixels) and twice that.
    response = upload_image(admin_client, "bombe.png", png_declaring(10_000, 10_000))
    assert field_errors(response) == [TOO_MANY_PIXELS]
    assert not Image.objects.exists()


def test_an_image_past_the_portals_pixel_count_is_refused(admin_client):
    buffer = io.BytesIO()
    PillowImage.new("1", (6_000, 5_000)).save(buffer, "PNG")  # one bit a pixel: 4 MB to decode
    response = upload_image(admin_client, "grande.png", buffer.getvalue())
    assert field_errors(response) == [
        "Ce fichier a un trop grand nombre de pixels (30000000). Nombre maximum de pixels 25000000."
    ]
    assert not Image.objects.exists()


def test_a_truncated_image_is_refused(admin_client):
    content = get_test_image_file().file.getvalue()
    response = upload_image(admin_client, "coupee.png", content[:60])
    assert field_errors(response) == [INVALID_IMAGE]
    assert not Image.objects.exists()


def test_the_multiple_upload_refuses_a_bomb_with_the_same_words(admin_client):
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("bombe.png", png_declaring(100_000, 100_000), "image/png")},
    )
    assert response.status_code == 200
    assert response.json() == {"success": False, "error_message": TOO_MANY_PIXELS}
    assert not Image.objects.exists()


# Documents


def office_document(mimetype=None, parts=()):
    """A ZIP archive as OpenDocument (its ``mimetype`` entry first) or Office Open XML
    ([Content_Types].xml and its ``parts``) write them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<document/>")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = office_document(parts=["word/document.xml"])
ODT = office_document("application/vnd.oasis.opendocument.text")
EXECUTABLE = b"MZ\x90\x00" + b"\x00" * 200


def upload_document(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {"title": "Un document", "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("rapport.pdf", PDF),
        ("compte-rendu.docx", DOCX),
        ("compte-rendu.odt", ODT),
        ("tableau.xlsx", office_document(parts=["xl/workbook.xml"])),
        ("diaporama.odp", office_document("application/vnd.oasis.opendocument.presentation")),
        ("liste.csv", b"commune;population\nFresnes;27000\n"),
        ("notes.txt", "Première séance : les axes de travail.\n".encode()),
    ],
)
def test_a_document_whose_content_matches_its_extension_is_accepted(admin_client, name, content):
    response = upload_document(admin_client, name, content)
    assert response.status_code == 302
    assert Document.objects.get().title == "Un document"


@pytest.mark.parametrize(
    "name, content, extension",
    [
        ("rapport.pdf", EXECUTABLE, "pdf"),
        ("rapport.pdf", DOCX, "pdf"),
        ("compte-rendu.docx", PDF, "docx"),
        ("compte-rendu.docx", ODT, "docx"),
        ("compte-rendu.odt", office_document(), "odt"),
        ("tableau.xlsx", DOCX, "xlsx"),
        ("liste.csv", EXECUTABLE, "csv"),
        ("notes.txt", PDF, "txt"),
    ],
)
def test_a_document_whose_content_is_not_its_extension_is_refused(
    admin_client, name, content, extension
):
    response = upload_document(admin_client, name, content)
    assert response.status_code == 200
    assert field_errors(response) == [
        f"Le contenu de ce fichier ne correspond pas à son extension « .{extension} »."
    ]
    assert not Document.objects.exists()


def test_a_document_of_an_extension_not_allowed_is_refused(admin_client):
    response = upload_document(admin_client, "outil.exe", EXECUTABLE)
    assert response.status_code == 200
    assert field_errors(response) == [
        "L'extension de fichier «\xa0exe\xa0» n’est pas autorisée. Les extensions autorisées "
        "sont\xa0:  csv, docx, odp, ods, odt, pdf, pptx, txt, xlsx."
    ]
    assert not Document.objects.exists()


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_an_oversized_document_is_refused(admin_client):
    response = upload_document(admin_client, "rapport.pdf", PDF + b"0" * 1024)
    assert response.status_code == 200
    assert field_errors(response) == [
        "Ce fichier est trop gros (1,0\xa0Kio). La taille de fichier maximale est de 1,0\xa0Kio."
    ]
    assert not Document.objects.exists()


def test_the_multiple_document_upload_checks_the_content_too(admin_client):
    response = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("rapport.pdf", EXECUTABLE)},
    )
    assert response.status_code == 200
    assert response.json() == {
        "success": False,
        "error_message": "Le contenu de ce fichier ne correspond pas à son extension « .pdf ».",
    }
    assert not Document.objects.exists()
    accepted = admin_client.post(
        "/admin/documents/multiple/add/", {"files[]": SimpleUploadedFile("rapport.pdf", PDF)}
    )
    assert accepted.json()["success"] is True
    assert Document.objects.get().file.read() == PDF
