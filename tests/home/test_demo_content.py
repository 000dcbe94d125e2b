"""The demo content command builds the whole public site once, and only once."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision

from home.models import PortalSettings, TestimonialPage, Theme
from tests.demo_urls import DEMO_PUBLIC_URLS


def snapshot():
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
        "revisions": Revision.objects.count(),
        "themes": Theme.objects.count(),
        "users": get_user_model().objects.count(),
        "settings": list(PortalSettings.objects.values_list("permanence_contacts", "team_email")),
    }


def test_every_url_of_the_map_answers_with_dsfr_in_french(client, demo_site):
    for url in DEMO_PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="fr"' in html, url
        assert "fr-header__service-title" in html, url
        assert "Accessibilité : partiellement conforme" in html, url


def test_running_twice_changes_nothing(db, settings):
    settings.DEMO_ADMIN_PASSWORD = "un-mot-de-passe-de-demo"
    call_command("load_demo_content", stdout=StringIO())
    before = snapshot()
    output = StringIO()
    call_command("load_demo_content", stdout=output)
    assert snapshot() == before
    assert output.getvalue() == ""


def test_builds_the_four_testimonials_with_themes(demo_site):
    testimonials = TestimonialPage.objects.live().order_by("-date")
    assert [t.slug for t in testimonials] == [
        "fresnes",
        "tarn-agout",
        "pamiers",
        "nouvelle-caledonie",
    ]
    kinds = {t.slug: t.collectivite_kind for t in testimonials}
    assert kinds == {
        "fresnes": "commune",
        "tarn-agout": "epci",
        "pamiers": "commune",
        "nouvelle-caledonie": "outre_mer",
    }
    assert all(t.themes.exists() for t in testimonials)


def test_the_demo_pages_are_published_by_the_admin(demo_site):
    admin = get_user_model().objects.get(username="admin")
    # Every page it wrote (the request form page comes from a migration, unrevised).
    assert Revision.objects.count() == 11
    assert set(Revision.objects.values_list("user", flat=True)) == {admin.pk}


def test_sets_the_permanence_contacts(demo_site):
    portal = PortalSettings.load()
    phones = [contact.value["phone"] for contact in portal.permanence_contacts]
    assert phones == ["06 83 33 89 38", "06 16 62 09 13"]


def test_admin_password_from_settings(db, settings, monkeypatch):
    settings.DEMO_ADMIN_PASSWORD = "un-mot-de-passe-de-demo"
    # The command reads the settings only, never the environment directly.
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "ignoré-par-la-commande")
    output = StringIO()
    call_command("load_demo_content", stdout=output)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("un-mot-de-passe-de-demo")
    assert "un-mot-de-passe-de-demo" not in output.getvalue()
    assert "DEMO_ADMIN_PASSWORD" in output.getvalue()


def test_generated_admin_password_is_printed_once(db, settings):
    settings.DEMO_ADMIN_PASSWORD = ""
    output = StringIO()
    call_command("load_demo_content", stdout=output)
    password = output.getvalue().split("une seule fois : ")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    again = StringIO()
    call_command("load_demo_content", stdout=again)
    assert password not in again.getvalue()


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "/la-cellule/",
            [
                "pièges à éviter",
                "toutes les 4 à 8 semaines",
                "trois ans",
                "Comment démarrer",
                "Les sujets abordés ensemble",
            ],
        ),
        ("/accessibilite/", ["État de conformité", "Voies de recours", "Défenseur des droits"]),
        ("/donnees-personnelles/", ['id="cookies"', "Gestion des cookies"]),
        ("/plan-du-site/", ["/temoignages/fresnes/", "/mentions-legales/"]),
    ],
)
def test_demo_pages_carry_the_service_text(client, demo_site, url, expected):
    html = client.get(url).content.decode()
    for fragment in expected:
        assert fragment in html, (url, fragment)
