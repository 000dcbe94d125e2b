"""Public listings run a fixed number of queries, however many testimonials exist."""

import pytest

from tests import factories

# Stated budgets, measured: site, settings, menu, routing, view restrictions, breadcrumb,
# then the listing with its themes and images prefetched.
HOME_MAX_QUERIES = 12
INDEX_MAX_QUERIES = 15


@pytest.fixture(params=[1, 50], ids=["1-testimonial", "50-testimonials"])
def testimonials(request, home, index):
    themes = [factories.theme("Climat"), factories.theme("Gouvernance")]
    return [factories.testimonial(index, themes=themes) for _ in range(request.param)]


def test_home_page_query_budget(client, testimonials, django_assert_max_num_queries):
    client.get("/")  # warm the site root cache like any running server
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = client.get("/")
    assert len(response.context["latest_testimonials"]) == min(3, len(testimonials))


def test_testimonial_index_query_budget(client, testimonials, django_assert_max_num_queries):
    client.get("/temoignages/")
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        response = client.get("/temoignages/")
    assert len(response.context["testimonials"]) == min(9, len(testimonials))
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        client.get("/temoignages/", {"thematique": "climat", "type": "commune", "page": 2})
