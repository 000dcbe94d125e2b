"""What the admin accepts as an image: a bounded size and a format read from the content, each
refusal said in French at the field."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file


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
    assert field_errors(response) == [
        "Téléversez une image valide. Le fichier que vous avez transféré n’est pas une image ou "
        "bien est corrompu."
    ]
