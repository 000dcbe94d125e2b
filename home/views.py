"""Public views that are not pages: search, robots.txt, health check."""

import unicodedata

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Page
from wagtail.search.query import PlainText

from .cache import shared

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200
# Quotes delimit the terms the full-text backends build (SQLite's FTS5 fails on an unpaired
# one); control characters, NUL first, are refused by PostgreSQL.
SEARCH_DROPPED_CHARACTERS = {'"'}


def search_terms(query):
    """The words of a typed query, as plain text: no search syntax, nothing a backend refuses."""
    kept = (
        " " if char in SEARCH_DROPPED_CHARACTERS or unicodedata.category(char) == "Cc" else char
        for char in query
    )
    return " ".join("".join(kept).split())


@require_safe
def search(request):
    query = search_terms(request.GET.get("q", ""))[:SEARCH_QUERY_MAX_LENGTH]
    page_obj = None
    title = _("Rechercher")
    if query:
        results = Page.objects.live().public().specific().search(PlainText(query))
        page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        title = _("Rechercher « %(query)s »") % {"query": query}
        if page_obj.number > 1:
            title = _("%(title)s — page %(number)s") % {"title": title, "number": page_obj.number}
    return shared(
        TemplateResponse(
            request,
            "home/search.html",
            {
                "search_query": query,
                "page_obj": page_obj,
                "title": title,
                "breadcrumb_data": {"links": [], "current": _("Rechercher")},
            },
        )
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /suivi/",
        "Disallow: /recherche/",
        f"Sitemap: {settings.BASE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
