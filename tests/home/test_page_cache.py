"""The page cache and the page shell's fragments (home/cache.py): what public pages cost cold
and repeated, what renews them, and what is never kept."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from home import cache as page_cache
from home.models import ContentPage, PortalSettings, TestimonialPage
from intake.models import Closure, OpeningRule
from intake.models.booking import PARIS
from intake.workdays import is_working_day
from tests import factories
from tests.demo_urls import DEMO_PUBLIC_URLS

# A public page rendered while the shell's fragments are warm (any running server after its
# first request): routing (page, then its specific row with its related rows) and the
# page's own content; listings add their rows (with their count) and card renditions.
COLD_MAX_QUERIES = 6


@pytest.fixture
def grown_site(demo_site):
    """The demo site with many more menu items, pages and testimonials than it ships."""
    index = Page.objects.get(slug="temoignages").specific
    climat = factories.theme("Climat")
    for number in range(8):
        page = factories.content_page(demo_site, title=f"Rubrique {number}", show_in_menus=True)
        factories.content_page(page)
        factories.testimonial(index, themes=[climat])
    return demo_site


def forget_pages():
    """Drops every kept page, and keeps the shell's fragments."""
    cache.delete(page_cache.PAGES)


def cold_then_repeat(client, url, assert_max, assert_exactly):
    client.get(url)  # the shell's fragments, the renditions and the process's caches
    forget_pages()
    with assert_max(COLD_MAX_QUERIES):
        cold = client.get(url)
    with assert_exactly(0):
        repeat = client.get(url)
    assert cold.status_code == repeat.status_code == 200, url
    return cold, repeat


def test_every_public_page_costs_six_queries_cold_and_none_repeated(
    client, grown_site, django_assert_max_num_queries, django_assert_num_queries
):
    for url in DEMO_PUBLIC_URLS:
        cold, repeat = cold_then_repeat(
            client, url, django_assert_max_num_queries, django_assert_num_queries
        )
        assert repeat.content == cold.content
        for response in (cold, repeat):
            assert response["Cache-Control"] == "public, max-age=60"
            assert "Cookie" in response["Vary"]
            assert "Set-Cookie" not in response


@pytest.mark.parametrize("url", ["/", "/temoignages/", "/plan-du-site/", "/la-cellule/"])
def test_cold_queries_do_not_grow_with_pages_testimonials_and_menu_items(client, demo_site, url):
    def cold():
        client.get(url)
        forget_pages()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    index = Page.objects.get(slug="temoignages").specific
    factories.testimonial(index)  # a card with an image: its renditions are read from now on
    few = cold()
    for number in range(4):
        factories.content_page(demo_site, title=f"Rubrique {number}", show_in_menus=True)
        factories.testimonial(index)
    assert cold() == few


def test_a_repeat_view_replays_the_page_and_its_headers(client, demo_site):
    first = client.get("/la-cellule/")
    repeat = client.get("/la-cellule/")
    assert repeat.content == first.content
    assert repeat["Content-Type"] == "text/html; charset=utf-8"
    assert repeat["Content-Language"] == "fr"
    assert repeat["X-Frame-Options"] == "DENY"
    assert repeat.headers["Vary"] == first.headers["Vary"] == "Accept-Language, Cookie"


def test_a_published_change_is_served_at_once(client, demo_site):
    assert "Nouveau titre" not in client.get("/la-cellule/").text
    page = ContentPage.objects.get(slug="la-cellule")
    page.title = "Nouveau titre"
    page.save_revision().publish()
    fresh = client.get("/la-cellule/")
    assert "<h1>Nouveau titre</h1>" in fresh.text
    # The menu and the site map of every other page show it too.
    assert "Nouveau titre" in client.get("/plan-du-site/").text
    assert "Nouveau titre" in client.get("/").text


def test_an_unpublished_or_deleted_page_is_gone_at_once(client, demo_site):
    assert client.get("/la-cellule/").status_code == 200
    assert 'href="/la-cellule/"' in client.get("/mentions-legales/").text
    Page.objects.get(slug="la-cellule").unpublish()
    assert client.get("/la-cellule/").status_code == 404
    assert 'href="/la-cellule/"' not in client.get("/mentions-legales/").text
    assert client.get("/accessibilite/").status_code == 200
    Page.objects.get(slug="accessibilite").delete()
    assert client.get("/accessibilite/").status_code == 404


def test_a_moved_page_is_served_at_its_new_address(client, demo_site):
    legal = Page.objects.get(slug="mentions-legales")
    assert client.get("/mentions-legales/").status_code == 200
    legal.move(Page.objects.get(slug="la-cellule"), pos="last-child")
    # Wagtail redirects the old address to the new one.
    assert client.get("/mentions-legales/")["Location"] == "/la-cellule/mentions-legales/"
    assert client.get("/la-cellule/mentions-legales/").status_code == 200


def test_a_view_restriction_applies_at_once(client, demo_site):
    assert client.get("/la-cellule/").status_code == 200
    PageViewRestriction.objects.create(
        page=Page.objects.get(slug="la-cellule"), restriction_type="password", password="x"
    )
    response = client.get("/la-cellule/")
    assert 'name="password"' in response.text
    assert "public" not in response["Cache-Control"]


def test_settings_and_snippets_shown_are_served_fresh(client, demo_site):
    assert "equipe@example.org" not in client.get("/").text
    settings = PortalSettings.load()
    settings.team_email = "equipe@example.org"
    settings.accessibility_status = PortalSettings.AccessibilityStatus.FULL
    settings.save()
    assert "equipe@example.org" in client.get("/").text
    assert "Accessibilité : totalement conforme" in client.get("/la-cellule/").text
    testimonial = TestimonialPage.objects.live().first()
    theme = testimonial.themes.first()
    assert theme.name in client.get(testimonial.url).text
    theme.name = "Thème renommé"
    theme.save()
    assert "Thème renommé" in client.get(testimonial.url).text


def test_opening_rules_and_closures_change_the_home_page_at_once(client, demo_site):
    OpeningRule.objects.all().delete()
    assert "l'équipe vous répond" not in client.get("/").text
    now = datetime.now(PARIS)
    rule = OpeningRule.objects.create(
        weekday=now.weekday(), start_time=time(0, 0), end_time=time(23, 59)
    )
    home = client.get("/").text
    assert "l'équipe vous répond" in home
    assert ("Permanence ouverte" in home) == (now.time() < time(23, 59))
    Closure.objects.create(start_date=now.date(), end_date=now.date(), reason="Séminaire")
    assert "Permanence ouverte" not in client.get("/").text
    rule.delete()
    assert "l'équipe vous répond" not in client.get("/").text


def test_the_home_page_is_kept_only_until_the_permanence_opens_or_closes(
    client, demo_site, settings
):
    # Kept for days unless something says otherwise, so that a later opening still counts.
    settings.PAGE_CACHE_TIMEOUT = 7 * 24 * 3600
    OpeningRule.objects.all().delete()
    now = datetime.now(PARIS)
    opens = (now + timedelta(minutes=30)).replace(second=0, microsecond=0)
    if (
        opens.date() != now.date()
        or opens.time() >= time(23, 0)
        or not is_working_day(opens.date())
    ):
        # Late in the evening, or a public holiday: the next working day's morning.
        day = now.date() + timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
        opens = datetime.combine(day, time(9, 0), tzinfo=PARIS)
    OpeningRule.objects.create(
        weekday=opens.weekday(), start_time=opens.time(), end_time=time(23, 59)
    )
    client.get("/")
    key = next(key for key in _keys() if key.endswith(":/"))
    _content, _headers, expires = cache.get(key)
    assert opens - timedelta(seconds=1) <= expires <= opens
    # A page that shows no permanence is kept the whole timeout.
    client.get("/la-cellule/")
    _content, _headers, expires = cache.get(
        next(key for key in _keys() if key.endswith(":/la-cellule/"))
    )
    assert expires > now + timedelta(minutes=59)


def _keys():
    """The page cache's keys, in the local-memory cache or in Redis (as CI runs it)."""
    store = cache._cache
    if isinstance(store, dict):
        stored = list(store)
    else:
        stored = [key.decode() for key in store.get_client().scan_iter(match="*:public:page:*")]
    return [key.split(":", 2)[2] for key in stored if ":public:page:" in key]


def test_fragments_of_the_shell_cost_no_query_on_another_page(
    client, demo_site, django_assert_max_num_queries
):
    client.get("/la-cellule/")
    # The site, the menu, the footer and the view restrictions come from the shared cache:
    # a content page is then its routing alone.
    with django_assert_max_num_queries(2):
        client.get("/mentions-legales/")


def test_query_strings_are_served_but_never_kept(client, demo_site):
    client.get("/temoignages/?page=1")
    response = client.get("/temoignages/?page=1")
    assert response["Cache-Control"] == "private, no-cache"
    assert not [key for key in _keys() if "?" in key]


def test_a_signed_in_editor_is_never_served_a_kept_page_nor_leaves_one(client, demo_site, editor):
    anonymous = client.get("/la-cellule/").text
    client.force_login(editor)
    response = client.get("/la-cellule/")
    assert response.text != anonymous  # Wagtail's user bar
    assert response["Cache-Control"] == "private, no-cache"
    client.logout()
    assert client.get("/la-cellule/").text == anonymous


def test_a_visitor_with_a_message_is_served_afresh(client, demo_site):
    client.get("/la-cellule/")
    request = HttpRequest()
    storage = CookieStorage(request)
    cookie = storage._encode([Message(constants.SUCCESS, "Votre demande est envoyée.")])
    client.cookies["messages"] = cookie
    response = client.get("/la-cellule/")
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/demande/", "/suivi/", "/admin/login/"])
def test_forms_the_status_pages_and_the_admin_are_never_kept(client, demo_site, url):
    first = client.get(url)
    assert first.status_code == 200, url
    assert not _keys()
    second = client.get(url)
    assert "public" not in second.get("Cache-Control", "")


def test_a_page_that_sets_a_cookie_is_never_kept(client, demo_site):
    """A page that uses the CSRF token (a password-protected page's form) is not kept."""
    PageViewRestriction.objects.create(
        page=Page.objects.get(slug="la-cellule"), restriction_type="password", password="x"
    )
    first = client.get("/la-cellule/")
    assert "csrftoken" in first.cookies
    assert not _keys()


# The pages of the brief's budget on a wholly empty cache (no page, no fragment of the shell,
# no rendition or root path of Wagtail's): the site, its root page and the view restrictions
# (one query), the menu, the page (its specific row, read with its routing below the top
# level), the portal settings, and the page's own content.
EMPTY_CACHE_URLS = [
    "/",
    "/la-cellule/",
    "/temoignages/",
    "/temoignages/fresnes/",
    "/plan-du-site/",
    "/donnees-personnelles/",
]


def queries_on_an_empty_cache(client, url):
    client.get(url)  # the process's own caches (templates, content types), as on a server
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(site, first, last):
    index = Page.objects.get(slug="temoignages").specific
    climat = factories.theme(f"Climat {first}")
    for number in range(first, last):
        page = factories.content_page(site, title=f"Rubrique {number}", show_in_menus=True)
        factories.content_page(page)
        factories.testimonial(index, themes=[climat], image=factories.image(f"Image {number}"))


def test_every_public_page_costs_six_queries_on_an_empty_cache_however_big_the_site(
    client, demo_site
):
    grow(demo_site, 0, 1)
    few = {url: queries_on_an_empty_cache(client, url) for url in EMPTY_CACHE_URLS}
    grow(demo_site, 1, 6)
    many = {url: queries_on_an_empty_cache(client, url) for url in EMPTY_CACHE_URLS}
    assert many == few
    # The testimonial index is one over the budget: its filters, rows and renditions come on
    # top of the site, menu, page and settings.
    budgets = dict.fromkeys(EMPTY_CACHE_URLS, COLD_MAX_QUERIES) | {"/temoignages/": 7}
    assert {url: count for url, count in many.items() if count > budgets[url]} == {}


def test_the_site_map_of_five_thousand_pages_costs_what_the_demos_does(client, demo_site):
    few = queries_on_an_empty_cache(client, "/plan-du-site/")
    assert factories.content_page_tree(demo_site, 50, 100) == 5000
    many = queries_on_an_empty_cache(client, "/plan-du-site/")
    response = client.get("/plan-du-site/")
    text = response.content.decode()
    assert text.count('href="/p-49/p-98/"') == 1
    assert "Rubrique 49.98" in text
    assert many == few <= COLD_MAX_QUERIES
