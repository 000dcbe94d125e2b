"""Every answer carries an enforced Content-Security-Policy: the public site's (no inline script
or style, no nonce unless a template asks for one), or the Wagtail admin's (inline scripts and
styles that Wagtail writes itself, no inline event handlers, framing by itself for previews)."""

import pytest
from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import include, path
from wagtail.fields import StreamField

from intake import booking
from intake.lifecycle import commands
from intake.models import Appointment
from portal.csp import ContentSecurityPolicyMiddleware
from tests import factories
from tests.intake.factories import intake_request, status_link

PUBLIC = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
ADMIN = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'; script-src-attr 'none'; "
    "style-src-attr 'none'"
)


@pytest.mark.parametrize(
    "url, status, content_type",
    [
        ("/", 200, "text/html; charset=utf-8"),
        ("/demande/", 200, "text/html; charset=utf-8"),
        ("/suivi/", 200, "text/html; charset=utf-8"),
        ("/nulle-part/", 404, "text/html; charset=utf-8"),
        ("/healthz", 200, "application/json"),
        ("/robots.txt", 200, "text/plain; charset=utf-8"),
    ],
)
def test_public_answers_carry_the_public_policy(client, home, url, status, content_type):
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (status, content_type)
    assert response["Content-Security-Policy"] == PUBLIC
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.fixture
def booked_link(db):
    """The status page of a request with a booked first exchange."""
    member = factories.user_in_group("Équipe", "camille.agent")
    booked = intake_request()
    commands.team_books(
        booked,
        by=member,
        starts_at=booking.available_slots()[0].starts_at,
        kind=Appointment.Kind.FIRST_EXCHANGE,
    )
    return status_link(booked)


def test_the_calendar_file_carries_the_public_policy(client, booked_link):
    response = client.get(f"{booked_link}rendez-vous.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Security-Policy"] == PUBLIC


def test_a_public_page_has_the_same_header_on_every_request(client, home):
    # No nonce in it: a copy kept by the page cache (or a CDN) stays valid.
    assert {client.get("/")["Content-Security-Policy"] for _ in range(3)} == {PUBLIC}


@pytest.mark.parametrize("url, status", [("/admin/login/", 200), ("/admin/", 302)])
def test_admin_answers_carry_the_admin_policy(client, home, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Security-Policy"] == ADMIN


def test_the_signed_in_admin_carries_the_admin_policy(client, home, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x" * 12))
    for url in ["/admin/", "/admin/pages/", f"/admin/pages/{home.pk}/edit/", "/admin/nulle-part/"]:
        response = client.get(url)
        assert response.status_code == (404 if "nulle-part" in url else 200), url
        assert response["Content-Security-Policy"] == ADMIN, url


def test_a_page_preview_carries_the_admin_policy(client, home, django_user_model):
    # Wagtail renders the preview through the middleware with a dummy request for the public
    # URL; the admin's request around it sets the header, so that the editor can frame it.
    client.force_login(django_user_model.objects.create_superuser("admin", password="x" * 12))
    edit_url = f"/admin/pages/{home.pk}/edit/"
    form = BeautifulSoup(client.get(edit_url).content, "html.parser").find(id="page-edit-form")
    data = {
        field["name"]: field.get("value", field.string or "")
        for field in form.find_all(["input", "textarea"])
        if field.get("name") and field.get("type") not in ("checkbox", "radio", "file")
    }
    # StreamFields write their inputs with JavaScript: an empty one is enough for a preview.
    streams = [f for f in home.specific._meta.fields if isinstance(f, StreamField)]
    data.update({f"{field.name}-count": "0" for field in streams})
    preview_url = edit_url + "preview/"
    assert client.post(preview_url, data).json()["is_valid"] is True
    response = client.get(preview_url + "?in_preview_panel=true")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == ADMIN


def failing_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", failing_view), path("", include("portal.urls"))]


@pytest.mark.urls(__name__)
def test_the_server_error_page_carries_the_public_policy(client, home):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Erreur inattendue" in response.content
    assert response["Content-Security-Policy"] == PUBLIC


def test_static_files_served_by_whitenoise_carry_the_policy(client, settings, tmp_path):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:3],
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *settings.MIDDLEWARE[3:],
    ]
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = tmp_path
    response = client.get("/static/js/combobox.js")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == PUBLIC


def test_a_template_that_uses_the_nonce_gets_it_in_the_header():
    request = RequestFactory().get("/")

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')

    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert len(nonce) == 24
    assert request.csp_nonce.value == nonce
    assert response["Content-Security-Policy"] == PUBLIC.replace(
        "script-src 'self'", f"script-src 'self' 'nonce-{nonce}'"
    )
