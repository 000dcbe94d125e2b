"""What every page carries: navigation, breadcrumb, footer links, SEO tags, error pages."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error
from wagtail.models import Page

from home.models import PortalSettings
from intake.views.public import CONFIRMATION_SESSION_KEY
from tests import factories


@pytest.fixture
def site(home, index):
    offer = factories.content_page(home, title="L'offre", slug="la-cellule", show_in_menus=True)
    legal = factories.content_page(home, title="Mentions légales", slug="mentions-legales")
    index.show_in_menus = True
    index.save_revision().publish()
    return {"offer": offer, "legal": legal, "index": index}


def menu_links(html):
    nav = html.split('id="navigation"', 1)[1].split("</nav>", 1)[0]
    return re.findall(
        r'<a class="fr-nav__link" href="([^"]*)" ?(?:aria-current="(\w+)")?>([^<]*)</a>', nav
    )


def test_main_menu_lists_pages_shown_in_menus_then_the_request_form(client, site):
    # The legal page is not shown in menus.
    assert menu_links(client.get("/").content.decode()) == [
        ("/", "page", "Accueil"),
        ("/temoignages/", "", "Témoignages"),
        ("/la-cellule/", "", "L&#x27;offre"),
        ("/demande/", "", "Faire une demande"),
    ]


def test_request_form_entry_is_current_on_the_form_and_below_it(client, site):
    assert menu_links(client.get("/demande/").content.decode())[-1] == (
        "/demande/",
        "page",
        "Faire une demande",
    )
    session = client.session
    session[CONFIRMATION_SESSION_KEY] = {"reference": "TE-2026-00001", "token": None}
    session.save()
    response = client.get("/demande/merci/")
    assert response.status_code == 200
    assert menu_links(response.content.decode())[-1] == ("/demande/", "true", "Faire une demande")


def test_request_form_entry_follows_the_form_page(client, site):
    form_page = Page.objects.get(slug="demande").specific
    form_page.slug = "demander"
    form_page.show_in_menus = True
    form_page.save_revision().publish()
    # Its new address, once, although the page is now shown in menus.
    assert menu_links(client.get("/").content.decode()) == [
        ("/", "page", "Accueil"),
        ("/temoignages/", "", "Témoignages"),
        ("/la-cellule/", "", "L&#x27;offre"),
        ("/demander/", "", "Faire une demande"),
    ]
    form_page.unpublish()
    assert [label for _href, _current, label in menu_links(client.get("/").content.decode())] == [
        "Accueil",
        "Témoignages",
        "L&#x27;offre",
    ]


def test_menu_marks_the_current_section(client, site):
    testimonial = factories.testimonial(site["index"])
    html = client.get(testimonial.url).content.decode()
    assert f'href="{site["index"].url}" aria-current="true"' in html
    html = client.get(site["index"].url).content.decode()
    assert f'href="{site["index"].url}" aria-current="page"' in html


def test_breadcrumb_lists_ancestors_below_home(client, site):
    testimonial = factories.testimonial(site["index"], title="Pamiers")
    html = client.get(testimonial.url).content.decode()
    breadcrumb = html.split('class="fr-breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/">Accueil' in breadcrumb
    assert f'href="{site["index"].url}">Témoignages' in breadcrumb
    assert 'aria-current="page">Pamiers' in breadcrumb


def test_skip_links_and_landmarks(client, site):
    html = client.get(site["offer"].url).content.decode()
    for target in ("#contenu", "#navigation", "#header-search-input", "#footer"):
        assert f'href="{target}"' in html
    assert '<main id="contenu" role="main"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html


def test_footer_has_the_mandatory_links_and_editable_accessibility_status(client, site):
    html = client.get("/").content.decode()
    for href, label in [
        ("/accessibilite/", "Accessibilité : partiellement conforme"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/donnees-personnelles/#cookies", "Gestion des cookies"),
        ("/plan-du-site/", "Plan du site"),
    ]:
        assert f'href="{href}">{label}</a>' in html
    assert 'aria-controls="fr-theme-modal"' in html
    assert 'id="fr-theme-modal"' in html

    portal = PortalSettings.load()
    portal.accessibility_status = PortalSettings.AccessibilityStatus.FULL
    portal.save()
    assert "Accessibilité : totalement conforme" in client.get("/").content.decode()


def test_no_external_script_font_or_stylesheet(client, site):
    html = client.get("/").content.decode()
    for tag in ("<script", "<link"):
        for chunk in html.split(tag)[1:]:
            attributes = chunk.split(">", 1)[0]
            if 'rel="canonical"' in attributes:
                continue
            assert "http://" not in attributes and "https://" not in attributes, attributes


def test_seo_and_open_graph_tags(client, site):
    offer = site["offer"]
    offer.seo_title = "L'offre de la cellule"
    offer.search_description = "Des sessions de travail à distance."
    offer.save_revision().publish()
    html = client.get(offer.url).content.decode()
    assert "<title>L&#x27;offre de la cellule — Territoires d'engagement — ANCT</title>" in html
    assert '<meta name="description" content="Des sessions de travail à distance.">' in html
    assert '<meta property="og:title" content="L&#x27;offre de la cellule">' in html
    assert f'<meta property="og:url" content="{offer.full_url}">' in html
    assert '<meta property="og:locale" content="fr_FR">' in html


def test_description_falls_back_to_the_page_introduction(client, site):
    testimonial = factories.testimonial(site["index"], summary="Une charte commune.")
    html = client.get(testimonial.url).content.decode()
    assert '<meta name="description" content="Une charte commune.">' in html
    assert '<meta property="og:description" content="Une charte commune.">' in html


def test_not_found_page_is_dsfr_and_french(client, home):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "<title>Page non trouvée — Territoires d'engagement — ANCT</title>" in html
    assert "<h1>Page non trouvée</h1>" in html
    assert "fr-footer" in html


def test_home_page_title_does_not_repeat_the_site_name(client, home):
    assert home.title == "Territoires d'engagement"
    html = client.get("/").content.decode()
    assert "<title>Territoires d'engagement — ANCT</title>" in html
    assert '<meta property="og:title" content="Territoires d\'engagement">' in html


def test_home_page_seo_title_comes_first(client, home):
    home.seo_title = "Accueil"
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert "<title>Accueil — Territoires d'engagement — ANCT</title>" in html


def test_the_server_error_page_names_the_error_in_its_title():
    html = render_to_string("500.html")
    assert "<title>Erreur inattendue — Territoires d'engagement — ANCT</title>" in html
    assert "<h1>Erreur inattendue</h1>" in html


def test_server_error_page_renders_without_database_or_context(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html
    assert "Accessibilité : partiellement conforme" in html


def test_sitemap_page_lists_the_tree(client, site):
    from home.models import SitemapPage

    sitemap = factories.publish(
        site["offer"].get_parent(), SitemapPage(title="Plan du site", slug="plan-du-site")
    )
    child = factories.content_page(site["offer"], title="Sous-page de l'offre", slug="sous-page")
    html = client.get(sitemap.url).content.decode()
    tree = html.split('aria-labelledby="sitemap-title"', 1)[1]
    offer_item = tree.split(f'href="{site["offer"].url}"', 1)[1].split("</li>", 1)[0]
    assert child.url in offer_item
