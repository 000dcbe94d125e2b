"""An oversized input is refused with the field's French error and a bounded echo: the page
sent back never carries the megabyte it received, and a body beyond what Django reads at all
gets a French 400 page that echoes nothing."""

import re
from html import unescape

import pytest

from intake.models import IntakeRequest, RequestMessage
from tests.intake.factories import intake_request, status_link

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024
TYPED = "Nous voulons associer les habitants. "


def oversized():
    return (TYPED * (MEGABYTE // len(TYPED) + 1))[:MEGABYTE]


def textarea(html, name):
    return unescape(re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)[1])


def test_a_megabyte_of_context_on_the_request_form(client, form_page, valid_data):
    response = client.post(form_page.url, {**valid_data, "context": oversized()})
    assert response.status_code == 400
    html = response.content.decode()
    assert len(html) < 100_000
    assert "Assurez-vous que cette valeur comporte au plus 3000 caractères" in html
    assert textarea(html, "context") == oversized()[:3000]
    assert 'value="camille.martin@example.fr"' in html  # the rest of the form is kept
    assert not IntakeRequest.objects.exists()


def test_a_third_of_a_megabyte_in_every_text_field_of_the_request_form(
    client, form_page, valid_data
):
    text_fields = ("first_name", "last_name", "function", "email", "context", "existing_bodies")
    response = client.post(
        form_page.url, {**valid_data, **dict.fromkeys(text_fields, "x" * (MEGABYTE // 3))}
    )
    assert response.status_code == 400
    assert len(response.content) < 100_000


def test_a_megabyte_message_on_the_status_page(client):
    link = status_link(intake_request())
    response = client.post(link, {"action": "message", "message-body": oversized()})
    assert response.status_code == 400
    html = response.content.decode()
    assert len(html) < 100_000
    assert "Assurez-vous que cette valeur comporte au plus 3000 caractères" in html
    assert textarea(html, "message-body") == oversized()[:3000]
    assert not RequestMessage.objects.exists()


def test_a_body_beyond_what_django_reads_gets_a_french_page_that_echoes_nothing(
    client, form_page, valid_data, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = MEGABYTE // 2
    response = client.post(form_page.url, {**valid_data, "context": oversized()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Requête trop volumineuse ou incorrecte</h1>" in html
    assert TYPED not in html
    assert len(html) < 100_000


def test_a_megabyte_note_in_the_back_office(client, team_member):
    request = intake_request()
    client.force_login(team_member)
    response = client.post(
        f"/admin/demandes/{request.pk}/", {"action": "note", "body": oversized()}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert len(html) < 200_000
    assert "Assurez-vous que cette valeur comporte au plus 3000 caractères" in html
    assert not request.notes.exists()
