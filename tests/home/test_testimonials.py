"""The testimonial index filters by theme and by kind of collectivité, and paginates."""

import re

import pytest
from wagtail.models import Page

from tests import factories


@pytest.fixture
def catalogue(index):
    climat, risques = factories.theme("Climat"), factories.theme("Gestion des risques")
    factories.testimonial(
        index, collectivite_name="Tarn-Agout", collectivite_kind="epci", themes=[climat]
    )
    factories.testimonial(
        index, collectivite_name="Pamiers", collectivite_kind="commune", themes=[climat]
    )
    factories.testimonial(
        index, collectivite_name="Nouméa", collectivite_kind="outre_mer", themes=[risques]
    )
    return index


def names(response):
    return sorted(page.collectivite_name for page in response.context["testimonials"])


def test_lists_every_live_testimonial(client, catalogue):
    response = client.get(catalogue.url)
    assert names(response) == ["Nouméa", "Pamiers", "Tarn-Agout"]
    assert '<p role="status">3 résultats</p>' in response.content.decode()


@pytest.mark.parametrize(
    "params, count",
    [
        ({"type": "epci"}, "1 résultat"),
        ({"type": "outre_mer", "thematique": "climat"}, "Aucun résultat"),
    ],
)
def test_counts_results_in_french(client, catalogue, params, count):
    html = client.get(catalogue.url, params).content.decode()
    assert f'<p role="status">{count}</p>' in html


def test_filters_by_theme(client, catalogue):
    assert names(client.get(catalogue.url, {"thematique": "climat"})) == ["Pamiers", "Tarn-Agout"]


def test_filters_by_kind(client, catalogue):
    assert names(client.get(catalogue.url, {"type": "epci"})) == ["Tarn-Agout"]


def test_combines_filters_and_keeps_them_selected(client, catalogue):
    response = client.get(catalogue.url, {"thematique": "climat", "type": "commune"})
    assert names(response) == ["Pamiers"]
    html = response.content.decode()
    assert '<option value="climat" selected>' in html
    assert '<option value="commune" selected>' in html


@pytest.mark.parametrize(
    "params",
    [
        {"thematique": "inconnue"},
        {"thematique": "\x00"},
        {"type": "<script>"},
        {"type": "\x00"},
        {"thematique": "inconnue", "type": "inconnu"},
    ],
)
def test_unknown_filters_are_ignored_never_an_error(client, catalogue, params):
    response = client.get(catalogue.url, params)
    assert response.status_code == 200
    assert names(response) == ["Nouméa", "Pamiers", "Tarn-Agout"]
    assert (response.context["selected_theme"], response.context["selected_kind"]) == ("", "")
    assert " selected>" not in response.content.decode()


def test_a_theme_without_live_testimonials_is_not_a_filter(client, catalogue):
    factories.theme("Thème sans témoignage")
    response = client.get(catalogue.url, {"thematique": "theme-sans-temoignage"})
    assert len(names(response)) == 3


def test_offers_only_themes_that_have_live_testimonials(client, catalogue):
    factories.theme("Thème sans témoignage")
    assert client.get(catalogue.url).context["themes"] == [
        ("climat", "Climat"),
        ("gestion-des-risques", "Gestion des risques"),
    ]


def kind_options(response):
    select = response.content.decode().split('id="filter-kind"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_offers_only_kinds_that_have_live_testimonials(client, catalogue):
    factories.testimonial(catalogue, collectivite_kind="region").unpublish()
    assert kind_options(client.get(catalogue.url)) == [
        ("", "Tous les types"),
        ("commune", "Commune"),
        ("epci", "Intercommunalité (EPCI)"),
        ("outre_mer", "Outre-mer"),
    ]


def test_a_kind_without_live_testimonials_is_not_a_filter(client, catalogue):
    response = client.get(catalogue.url, {"type": "region"})
    assert names(response) == ["Nouméa", "Pamiers", "Tarn-Agout"]
    assert response.context["selected_kind"] == ""


def test_hides_unpublished_testimonials(client, catalogue):
    draft = factories.testimonial(catalogue, collectivite_name="Brouillon")
    draft.unpublish()
    assert "Brouillon" not in names(client.get(catalogue.url))


def test_paginates_with_dsfr_and_keeps_filters(client, index):
    climat = factories.theme("Climat")
    for _ in range(index.page_size + 2):
        factories.testimonial(index, themes=[climat])
    first = client.get(index.url, {"thematique": "climat"})
    assert len(first.context["testimonials"]) == index.page_size
    html = first.content.decode()
    assert "fr-pagination" in html
    assert "thematique=climat" in html.split("fr-pagination", 1)[1]
    second = client.get(index.url, {"thematique": "climat", "page": 2})
    assert len(second.context["testimonials"]) == 2


@pytest.mark.parametrize("page", ["0", "999", "abc", "-1", "", "1.5"])
def test_invalid_pages_fall_back_to_an_existing_one(client, catalogue, page):
    response = client.get(catalogue.url, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_a_page_past_the_end_shows_the_last_one(client, index):
    for _ in range(index.page_size + 1):
        factories.testimonial(index)
    response = client.get(index.url, {"page": 999})
    assert response.context["page_obj"].number == 2
    assert len(response.context["testimonials"]) == 1


def test_testimonial_page_shows_collectivite_themes_and_quote(client, index):
    climat = factories.theme("Climat")
    page = factories.testimonial(
        index,
        collectivite_name="Communauté de communes Tarn-Agout",
        collectivite_kind="epci",
        territory="Tarn",
        themes=[climat],
        quote="Nous avons gagné du temps.",
        quote_author="Une élue",
        quote_role="Vice-présidente",
    )
    html = client.get(page.url).content.decode()
    assert "Intercommunalité (EPCI)" in html
    assert '<p class="fr-tag">Climat</p>' in html
    assert "« Nous avons gagné du temps. »" in html
    assert 'class="fr-quote__author">Une élue<' in html


def test_overseas_collectivites_are_labelled_outre_mer(client, catalogue):
    html = client.get(catalogue.url).content.decode()
    assert ">Outre-mer</p>" in html
    assert '<option value="outre_mer">Outre-mer</option>' in html
    assert "Collectivité d&#x27;outre-mer" not in html


def test_testimonial_page_ends_with_a_call_to_the_request_form(client, index):
    page = factories.testimonial(index)
    html = client.get(page.url).content.decode()
    callout = html.split("</article>", 1)[1].split("</main>", 1)[0]
    assert 'class="fr-callout fr-mt-6w"' in callout
    assert '<a class="fr-btn" href="/demande/">Faire une demande d\'accompagnement</a>' in callout


def test_the_call_to_action_follows_the_form_page(client, index):
    page = factories.testimonial(index)
    form_page = Page.objects.get(slug="demande").specific
    form_page.slug = "demander"
    form_page.save_revision().publish()
    assert 'class="fr-btn" href="/demander/"' in client.get(page.url).content.decode()
    form_page.unpublish()
    assert "fr-callout" not in client.get(page.url).content.decode()
