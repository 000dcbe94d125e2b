"""Public listings run a fixed number of queries, however many testimonials exist."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from home import cache as page_cache
from home.models import CollectiviteKind
from tests import factories

# Stated budgets of a page rendered afresh (the page cache holds nothing for it), the page
# shell coming from its fragments in the shared cache (home/cache.py), measured on SQLite and
# PostgreSQL alike: the page's specific row (read with its routing below the top level),
# then the listing (its rows with their images and their count, card renditions) and, on the
# index, the themes and kinds of the filters (one query); on a testimonial, its themes and
# renditions.
HOME_MAX_QUERIES = 4
INDEX_MAX_QUERIES = 6
TESTIMONIAL_MAX_QUERIES = 4

INDEX_URLS = [
    "/temoignages/",
    "/temoignages/?thematique=climat&type=commune",
    "/temoignages/?thematique=climat&type=commune&page=2",
]


@pytest.fixture
def grow(home, index):
    """Adds testimonials with their own image each, up to `count` in all."""
    themes = [factories.theme("Climat"), factories.theme("Gouvernance")]
    testimonials = []

    def grow(count):
        while len(testimonials) < count:
            number = len(testimonials)
            image = factories.image(f"Image {number}")
            testimonials.append(factories.testimonial(index, themes=themes, image=image))
        return testimonials

    return grow


def count_queries(client, url):
    client.get(url)  # warm the shell's fragments and the renditions, like any running server
    cache.delete(page_cache.PAGES)  # the page itself is rendered afresh
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def test_home_page_queries_do_not_grow_with_testimonials(client, grow):
    grow(1)
    few, response = count_queries(client, "/")
    assert len(response.context["latest_testimonials"]) == 1
    assert 'class="fr-card__img"' in response.content.decode()
    grow(50)
    many, response = count_queries(client, "/")
    assert len(response.context["latest_testimonials"]) == 3
    assert few == many
    assert many <= HOME_MAX_QUERIES


@pytest.mark.parametrize("url", INDEX_URLS)
def test_testimonial_index_queries_do_not_grow_with_testimonials(client, grow, url):
    # Ten: the second page exists (a page past the end is counted apart, then the last shown).
    grow(10)
    few, response = count_queries(client, url)
    assert len(response.context["testimonials"]) == (1 if "page=2" in url else 9)
    grow(50)
    many, response = count_queries(client, url)
    assert len(response.context["testimonials"]) == 9
    assert response.content.decode().count('class="fr-card__img"') == 9
    assert few == many
    assert many <= INDEX_MAX_QUERIES


def test_testimonial_page_queries_do_not_grow_with_testimonials(client, grow):
    testimonial = grow(1)[0]
    few, _response = count_queries(client, testimonial.url)
    grow(50)
    many, _response = count_queries(client, testimonial.url)
    assert few == many
    assert many <= TESTIMONIAL_MAX_QUERIES


def test_links_to_the_request_form_cost_no_query(client, grow):
    """The menu entry and the testimonial's call to action reuse the menu's query."""
    testimonial = grow(1)[0]
    linked, response = count_queries(client, testimonial.url)
    assert response.content.decode().count('href="/demande/"') == 2
    Page.objects.get(slug="demande").unpublish()
    unlinked, response = count_queries(client, testimonial.url)
    assert 'href="/demande/"' not in response.content.decode()
    assert linked == unlinked


def test_index_filters_are_one_query_whatever_the_kinds_and_themes(client, index):
    factories.testimonial(index, themes=[factories.theme("Climat")])
    few, response = count_queries(client, index.url)
    assert [value for value, _label in response.context["kinds"]] == ["commune"]
    for kind in CollectiviteKind.values:
        factories.testimonial(index, collectivite_kind=kind, themes=[factories.theme(kind)])
    many, response = count_queries(client, index.url)
    assert [value for value, _label in response.context["kinds"]] == CollectiviteKind.values
    assert len(response.context["themes"]) == 1 + len(CollectiviteKind.values)
    assert few == many
