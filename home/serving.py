"""Serving a public page in few queries: the site and the view restrictions from the shell's
fragments in the shared cache, the page and its ancestors in one lookup, the page's own
related rows with it."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404
from wagtail.models import Page, PageViewRestriction, Site

from .cache import fragment, shared


class SiteMiddleware:
    """Resolves the request's site once, from the shared cache, with its root page's specific
    instance, before anything asks for it (Wagtail keeps it as ``request._wagtail_site``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site = fragment(
            request,
            f"site:{request._get_raw_host()}:{request.get_port()}",
            lambda: (_site_with_specific_root(request), None),
        )
        return self.get_response(request)


def _site_with_specific_root(request):
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site


def _restricted_paths(request):
    """Tree paths of the pages that carry a view restriction (a short list, for every page)."""
    return fragment(
        request,
        "restricted-paths",
        lambda: (tuple(PageViewRestriction.objects.values_list("page__path", flat=True)), None),
    )


def restricted_q():
    """The pages under a view restriction, as a filter, without a query when the shell is
    warm (Wagtail's ``public()`` reads the restrictions each time)."""
    return reduce(or_, (Q(path__startswith=path) for path in _restricted_paths(None)), Q(pk__in=[]))


class PublicPageMixin:
    """What the public page types share when they are served: the one-lookup routing below
    them, view restrictions checked without a query when none applies, their related rows
    fetched with them, and their anonymous views kept in the page cache."""

    # Extra related rows fetched with the page when it is served (select, then prefetch).
    serve_select_related = ()

    @classmethod
    def serve_prefetch_related(cls):
        return ()

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        chain = _chain_below(self, path_components)
        if not chain:
            raise Http404
        page = _served_instance(chain[-1])
        page._served_ancestors = [self, *chain[:-1]]
        return page.route(request, path_components[len(chain) :])

    def get_view_restrictions(self):
        restricted = _restricted_paths(None)
        if self.alias_of_id or any(self.path.startswith(path) for path in restricted):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()

    def serve(self, request, *args, **kwargs):
        return shared(super().serve(request, *args, **kwargs))


def _chain_below(root, components):
    """The pages under ``root`` along ``components``, as far as they exist, in one query."""
    prefixes = [
        root.url_path + "".join(f"{component}/" for component in components[:count])
        for count in range(1, len(components) + 1)
    ]
    rows = Page.objects.filter(url_path__in=prefixes, path__startswith=root.path).order_by("depth")
    chain = []
    for row in rows:
        parent = chain[-1] if chain else root
        if row.depth != parent.depth + 1 or not row.path.startswith(parent.path):
            break
        chain.append(row)
    return chain


def _served_instance(row):
    """The specific page of ``row`` with the related rows its type declares, in one query."""
    model = row.specific_class
    if model is None:
        return row
    queryset = model._default_manager.filter(pk=row.pk)
    if issubclass(model, PublicPageMixin):
        queryset = queryset.select_related(*model.serve_select_related).prefetch_related(
            *model.serve_prefetch_related()
        )
    return queryset.first() or row


def breadcrumb_ancestors(page):
    """The page's ancestors below the home page: those its routing read, or one query."""
    served = getattr(page, "_served_ancestors", None)
    if served is None:
        return list(page.get_ancestors().filter(depth__gt=2))
    return [ancestor for ancestor in served if ancestor.depth > 2]
