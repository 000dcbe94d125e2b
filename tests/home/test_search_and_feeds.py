"""Site search, sitemap.xml and robots.txt."""

import pytest
from django.db import connection

from tests import factories


@pytest.fixture
def pages(home, index):
    factories.content_page(home, title="Mentions légales", slug="mentions-legales")
    factories.testimonial(
        index, title="Tarn-Agout et son plan climat", summary="Un plan climat partagé."
    )
    return home


def test_search_finds_pages_by_their_words(client, pages):
    response = client.get("/recherche/", {"q": "climat"})
    assert response.status_code == 200
    titles = [page.title for page in response.context["page_obj"].object_list]
    assert titles == ["Tarn-Agout et son plan climat"]
    assert "1 résultat pour « climat »" in response.content.decode()


def status(response):
    return response.content.decode().split('<p role="status">', 1)[1].split("</p>", 1)[0]


def test_search_counts_results_in_french(client, pages, home):
    assert status(client.get("/recherche/", {"q": "introuvable"})) == (
        "Aucun résultat pour « introuvable »"
    )
    assert status(client.get("/recherche/", {"q": "climat"})) == "1 résultat pour « climat »"
    factories.content_page(home, title="Un autre plan climat", slug="autre-plan-climat")
    assert status(client.get("/recherche/", {"q": "climat"})) == "2 résultats pour « climat »"


def test_search_ignores_unpublished_pages(client, home):
    draft = factories.content_page(home, title="Brouillon climatique", slug="brouillon")
    draft.unpublish()
    response = client.get("/recherche/", {"q": "climatique"})
    assert list(response.context["page_obj"].object_list) == []


def test_search_without_query_shows_the_form_only(client, pages):
    response = client.get("/recherche/")
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert 'id="search-page-input"' in response.content.decode()


ODD_INPUTS = [
    "x" * 5000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "&&&|!",
    '"',
    'plan "climat',
    "\x00",
    "climat\x00",
    "'",
    "*",
    "(",
    "climat)",
    "NEAR",
    "NEAR(climat plan)",
    "climat AND NOT plan",
    "%",
    "\\",
    "-climat",
    "climat:plan",
    "^climat",
]


@pytest.mark.parametrize("query", ODD_INPUTS)
def test_search_survives_odd_queries(client, pages, query):
    response = client.get("/recherche/", {"q": query, "page": "abc"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("value", ODD_INPUTS)
def test_testimonial_filters_survive_odd_values(client, pages, value):
    for params in ({"thematique": value}, {"type": value}, {"page": value}):
        response = client.get("/temoignages/", params)
        assert response.status_code == 200, params
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_still_finds_words_around_odd_characters(client, pages):
    response = client.get("/recherche/", {"q": '"plan\x00 climat"'})
    titles = [page.title for page in response.context["page_obj"].object_list]
    assert titles == ["Tarn-Agout et son plan climat"]


def test_search_uses_french_full_text_on_postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the french configuration is specific to PostgreSQL")
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    assert backend.config == "french"


def test_search_rejects_post(client, db):
    assert client.post("/recherche/", {"q": "x"}).status_code == 405


@pytest.mark.parametrize("url", ["/recherche/?q=climat", "/robots.txt", "/healthz"])
def test_head_is_answered_like_get(client, pages, url):
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


def test_search_title_names_the_query_and_the_page(client, home):
    for number in range(12):
        factories.content_page(home, title=f"Climat {number}", slug=f"climat-{number}")
    html = client.get("/recherche/", {"q": "climat"}).content.decode()
    assert "<title>Rechercher « climat » — Territoires d'engagement — ANCT</title>" in html
    html = client.get("/recherche/", {"q": "climat", "page": 2}).content.decode()
    assert "<title>Rechercher « climat » — page 2 — Territoires d'engagement — ANCT</title>" in html
    html = client.get("/recherche/").content.decode()
    assert "<title>Rechercher — Territoires d'engagement — ANCT</title>" in html


def test_sitemap_lists_live_pages_with_absolute_urls(client, pages):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    assert "/mentions-legales/</loc>" in xml
    assert "/temoignages/" in xml
    assert "<loc>http" in xml


def test_robots_points_to_the_sitemap_and_hides_private_areas(client, settings, db):
    settings.BASE_URL = "https://territoires-engagement.example"
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in body
    assert "Disallow: /suivi/" in body
    assert "Sitemap: https://territoires-engagement.example/sitemap.xml" in body
