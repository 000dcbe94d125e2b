"""Every page type: where it may live, and that it routes, renders, edits and is created."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import (
    ContentPage,
    HomePage,
    SitemapPage,
    TestimonialIndexPage,
    TestimonialPage,
)
from tests import factories, two_factor


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_content_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})

    def test_testimonials_live_under_their_index(self):
        self.assertAllowedParentPageTypes(TestimonialIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TestimonialIndexPage, {TestimonialPage})
        self.assertAllowedParentPageTypes(TestimonialPage, {TestimonialIndexPage})
        self.assertAllowedSubpageTypes(TestimonialPage, set())

    def test_sitemap_page_is_a_leaf_under_home(self):
        self.assertAllowedParentPageTypes(SitemapPage, {HomePage})
        self.assertAllowedSubpageTypes(SitemapPage, set())

    def test_singletons_cannot_be_created_twice(self):
        home = HomePage.objects.get(depth=2)
        factories.testimonial_index(home)
        factories.publish(home, SitemapPage(title="Plan du site", slug="plan-du-site"))
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
        self.assertFalse(TestimonialIndexPage.can_create_at(home))
        self.assertFalse(SitemapPage.can_create_at(home))


class PageTypeTests(WagtailPageTestCase):
    client_class = two_factor.Client

    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get(depth=2)
        cls.theme = factories.theme("Gestion des risques")
        cls.index = factories.testimonial_index(cls.home, introduction="Des récits.")
        cls.testimonial = factories.testimonial(cls.index, themes=[cls.theme])
        cls.content = factories.content_page(cls.home, title="L'offre", slug="la-cellule")
        cls.sitemap = factories.publish(
            cls.home, SitemapPage(title="Plan du site", slug="plan-du-site")
        )

    def setUp(self):
        self.login()

    def pages(self):
        return [self.home, self.index, self.testimonial, self.content, self.sitemap]

    def edit_data(self, page):
        """What the admin form posts; StreamFields are built by JavaScript, so spelled out."""
        common = {"title": page.title, "slug": page.slug}
        per_type = {
            HomePage: {
                "hero_title": "Bienvenue",
                "hero_text": "",
                "cta_label": "Faire une demande",
                "cta_url": "/demande/",
                "introduction": rich_text("<p>Bonjour.</p>"),
                "highlights_title": "",
                "highlights": streamfield([]),
                "testimonials_title": "Ils nous ont sollicités",
            },
            ContentPage: {"introduction": "Chapô", "body": streamfield([])},
            SitemapPage: {"introduction": ""},
            TestimonialIndexPage: {"introduction": ""},
            TestimonialPage: {
                "collectivite_name": "Commune modifiée",
                "collectivite_kind": "commune",
                "territory": "",
                "date": "13/01/2025",
                "summary": "Résumé modifié.",
                "quote": "",
                "quote_author": "",
                "quote_role": "",
                "image": "",
                "body": streamfield([]),
            },
        }
        return nested_form_data({**common, **per_type[type(page)]})

    def test_every_page_is_routable_renderable_and_editable(self):
        for page in self.pages():
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)
                self.assertPageIsEditable(page, post_data=self.edit_data(page))

    def test_every_page_renders_dsfr_in_french(self):
        for page in self.pages():
            with self.subTest(page=type(page).__name__):
                response = self.client.get(page.url)
                self.assertContains(response, '<html lang="fr"')
                self.assertContains(response, 'class="fr-header"')
                self.assertContains(response, 'class="fr-footer"')
                self.assertContains(response, "<h1")

    def test_content_page_can_be_created_under_home_and_nested(self):
        data = nested_form_data(
            {
                "title": "Mentions légales",
                "introduction": "Qui édite le site.",
                "body": streamfield([("paragraph", rich_text("<p>L'ANCT.</p>"))]),
            }
        )
        self.assertCanCreate(self.home, ContentPage, data)
        self.assertCanCreate(
            self.content,
            ContentPage,
            nested_form_data({"title": "Sous-page", "introduction": "", "body": streamfield([])}),
        )

    def test_testimonial_can_be_created_under_the_index(self):
        data = nested_form_data(
            {
                "title": "Pamiers et ses dispositifs",
                "collectivite_name": "Ville de Pamiers",
                "collectivite_kind": "commune",
                "territory": "Ariège",
                "date": date(2025, 1, 13).strftime("%d/%m/%Y"),
                "summary": "Une charte pour articuler les dispositifs.",
                "quote": "",
                "quote_author": "",
                "quote_role": "",
                "image": "",
                "body": streamfield([]),
            }
        )
        data["themes"] = [self.theme.pk]
        self.assertCanCreate(self.index, TestimonialPage, data)
        created = TestimonialPage.objects.get(slug="pamiers-et-ses-dispositifs")
        self.assertEqual(list(created.themes.all()), [self.theme])

    def test_slugs_made_from_french_titles_are_ascii(self):
        # A page saved without a slug (imports, scripts) gets one made from its title.
        page = factories.publish(self.home, ContentPage(title="Études à Nouméa"))
        self.assertEqual(page.slug, "etudes-a-noumea")
        self.assertEqual(page.url, "/etudes-a-noumea/")
        # The editor's slug field slugifies as ASCII too: the allow-unicode switch is off.
        html = self.client.get(f"/admin/pages/{self.content.pk}/edit/").content.decode()
        slug_input = html.split('data-controller="w-slug"', 1)[1].split(">", 1)[0]
        self.assertNotIn("allow-unicode", slug_input)

    def test_index_and_sitemap_can_be_created_on_a_fresh_home(self):
        self.index.delete()
        self.sitemap.delete()
        self.assertCanCreate(
            self.home, TestimonialIndexPage, {"title": "Témoignages", "introduction": ""}
        )
        self.assertCanCreate(self.home, SitemapPage, {"title": "Plan du site", "introduction": ""})


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "evil.example",
    ],
)
def test_home_call_to_action_refuses_scripts_and_other_sites(home, url):
    home.cta_url = url
    with pytest.raises(ValidationError) as error:
        home.full_clean()
    assert "cta_url" in error.value.message_dict


@pytest.mark.parametrize(
    "url", ["/demande/", "/", "https://agence-cohesion-territoires.gouv.fr", "mailto:a@b.fr"]
)
def test_home_call_to_action_accepts_paths_web_and_email_addresses(home, url):
    home.cta_url = url
    home.full_clean()
