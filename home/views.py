"""Public views that are not pages: search, robots.txt, health check."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    page_obj = None
    if query:
        results = Page.objects.live().public().specific().search(query)
        paginator = Paginator(results, SEARCH_PAGE_SIZE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except (EmptyPage, PageNotAnInteger):
            page_obj = paginator.page(1)
    return TemplateResponse(
        request,
        "home/search.html",
        {
            "search_query": query,
            "page_obj": page_obj,
            "title": _("Rechercher"),
            "breadcrumb_data": {"links": [], "current": _("Rechercher")},
        },
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /suivi/",
        "Disallow: /recherche/",
        f"Sitemap: {settings.BASE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
