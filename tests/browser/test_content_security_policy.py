"""The Content-Security-Policy, enforced in Chromium: every public page of the demo and the
admin's key screens load without one refusal (the `page` fixture fails the test on any), and
their scripts still run: DSFR's theme dialog, the form's referential search, Draftail."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from home.models import ContentPage, TestimonialPage
from intake.models import IntakeRequest
from tests.browser.admin import PASSWORD, sign_in
from tests.demo_urls import DEMO_PUBLIC_URLS
from tests.intake.factories import held_session, intake_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLIC_PAGES = [
    *DEMO_PUBLIC_URLS,
    "/demande/",
    "/suivi/",
    "/recherche/?q=participation",
    "/page-qui-n-existe-pas/",
]


def test_every_public_page_runs_under_the_policy(demo_server, page):
    for path in PUBLIC_PAGES:
        response = page.goto(demo_server.url + path)
        assert response.status == (404 if "n-existe-pas" in path else 200), path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_selector('html[data-fr-js="true"]', state="attached")
        page.wait_for_load_state("networkidle")

    # DSFR's script opens the display settings dialog and switches the theme; the dialog's
    # pictures are fetched only then.
    artwork = []
    page.on("request", lambda request: "/artwork/" in request.url and artwork.append(request))
    page.reload(wait_until="networkidle")
    assert artwork == []
    page.get_by_role("button", name="Paramètres d'affichage").first.click()
    dialog = page.locator("dialog#fr-theme-modal")
    expect(dialog).to_be_visible()
    expect(dialog.locator("use[href$='.svg#artwork-major']")).to_have_count(3)
    page.wait_for_load_state("networkidle")
    assert sorted(request.url.rsplit("/", 1)[1] for request in artwork) == [
        "dark.svg",
        "light.svg",
        "system.svg",
    ]
    dialog.locator("label[for='fr-radios-theme-dark']").click()
    expect(page.locator("html")).to_have_attribute("data-fr-theme", "dark")


def test_the_request_form_searches_the_referential(demo_server, page):
    call_command("load_collectivites", stdout=StringIO())
    page.goto(demo_server.url + "/demande/")
    combobox = page.get_by_role("combobox", name="Votre collectivité")
    combobox.fill("Lavaur")
    option = page.get_by_role("option", name=re.compile("Lavaur"))
    expect(option.first).to_be_visible()


def test_the_admin_screens_run_under_the_policy(demo_server, page):
    admin = get_user_model().objects.create_superuser(
        "admin.csp", "admin.csp@example.org", PASSWORD
    )
    ongoing = intake_request(
        collectivite_name="Pamiers",
        status=IntakeRequest.Status.IN_PROGRESS,
        decided_at=timezone.now(),
    )
    held = held_session(ongoing)
    testimonial = TestimonialPage.objects.live().first()
    content = ContentPage.objects.get(slug="la-cellule")
    sign_in(page, demo_server.url, admin)
    for path in ["/admin/", "/admin/images/", "/admin/documents/", "/admin/images/multiple/add/"]:
        response = page.goto(demo_server.url + path)
        assert response.status == 200, path
        assert "'unsafe-eval'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")

    # The request page, then its session's record, whose Draftail editor takes text.
    page.goto(f"{demo_server.url}/admin/demandes/{ongoing.pk}/")
    expect(page.locator("#composer-section")).to_be_visible()
    page.goto(f"{demo_server.url}/admin/demandes/{ongoing.pk}/rendez-vous/{held.pk}/compte-rendu/")
    editor = page.locator(".Draftail-Editor [contenteditable=true]")
    editor.click()
    editor.type("Deux axes retenus.")
    expect(editor).to_contain_text("Deux axes retenus.")

    # The page editor: Draftail in the body, its toolbar, the side panels.
    page.goto(f"{demo_server.url}/admin/pages/{content.pk}/edit/")
    body_editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    body_editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Un mot de plus.")
    expect(body_editor).to_contain_text("Un mot de plus.")
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    # Wagtail swaps in a new frame once the preview is rendered.
    preview = page.frame_locator("#w-preview-iframe").last
    expect(preview.locator("h1")).to_contain_text(content.title, timeout=15000)

    # A testimonial: the date picker and the image chooser's modal.
    page.goto(f"{demo_server.url}/admin/pages/{testimonial.pk}/edit/")
    page.locator("#id_date").click()
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("Choisir une autre image|Choisir une image")).click()
    modal = page.locator(".modal-content")
    expect(modal.get_by_role("heading", name=re.compile("image", re.I)).first).to_be_visible()
    page.wait_for_load_state("networkidle")

    # A public page seen by a signed-in editor carries Wagtail's user bar, under the public policy.
    page.goto(demo_server.url + "/la-cellule/")
    page.locator("wagtail-userbar").get_by_role("button").first.click()
    page.wait_for_load_state("networkidle")
