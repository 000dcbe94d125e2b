"""Serving a public page in few queries: the site and the view restrictions from the shell's
fragments in the shared cache, the page and its ancestors in one lookup, the page's own
related rows with it."""

from functools import reduce
from operator import or_

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Q
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
    SiteRootPath,
)

from .cache import fragment, shared

RESTRICTED_PATHS = "restricted-paths"


class SiteMiddleware:
    """Resolves the request's site once, from the shared cache, with its root page's specific
    instance and the root paths Wagtail builds page URLs from, before anything asks for them
    (Wagtail keeps them as ``request._wagtail_site`` and ``_wagtail_cached_site_root_paths``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site, request._wagtail_cached_site_root_paths = fragment(
            request,
            f"site:{request._get_raw_host()}:{request.get_port()}",
            lambda: (_sites_for(request), None),
        )
        return self.get_response(request)


def _sites_for(request):
    """(the request's site, every site's root path), from one query over the sites (a
    handful): Wagtail reads them in two, then its root page's specific row in a third. The
    same query says whether any page carries a view restriction: when none does, the
    restricted paths cost no query of their own."""
    sites = list(
        Site.objects.select_related("root_page__locale", "root_page__homepage")
        .annotate(any_restriction=Exists(PageViewRestriction.objects.all()))
        .order_by("-root_page__url_path", "-is_default_site", "hostname")
    )
    if sites and not sites[0].any_restriction:
        fragment(request, RESTRICTED_PATHS, lambda: ((), None))
    root_paths = [
        SiteRootPath(
            site.id, site.root_page.url_path, site.root_url, site.root_page.locale.language_code
        )
        for site in sites
    ]
    site = _matching_site(sites, split_domain_port(request.get_host())[0], request.get_port())
    if site is not None:
        site.root_page = _specific_root(site.root_page)
    return site, root_paths


def _matching_site(sites, hostname, port):
    """The site Wagtail's Site.find_for_request picks for ``hostname`` and ``port``."""

    def match(site):
        if site.hostname == hostname:
            if site.port == port:
                return MATCH_HOSTNAME_PORT
            if site.is_default_site:
                return MATCH_HOSTNAME_DEFAULT
            return MATCH_HOSTNAME
        return MATCH_DEFAULT

    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site), key=match
    )
    if not candidates:
        return None
    if len(candidates) == 1 or match(candidates[0]) != MATCH_DEFAULT:
        return candidates[0]
    # The default site, unless exactly one other site has the hostname.
    return candidates[len(candidates) == 2]


def _specific_root(root):
    """The root page's specific instance: read with the site for a home page, else a query."""
    try:
        return root.homepage
    except ObjectDoesNotExist:
        return root.specific


def _restricted_paths(request):
    """Tree paths of the pages that carry a view restriction (a short list, for every page)."""
    return fragment(
        request,
        RESTRICTED_PATHS,
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
        chain = _chain_below(request, self, path_components)
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


def top_pages(request):
    """(the site's root page, its live public children), from the shell's fragments: the main
    menu, the call to action towards the request form and the routing share them."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None, []
    root = site.root_page
    return fragment(
        request,
        f"menu:{site.pk}",
        lambda: ((root, list(root.get_children().live().exclude(restricted_q()))), None),
    )


def _chain_below(request, root, components):
    """The pages under ``root`` along ``components``, as far as they exist: a page just
    below the site's root from the menu's fragment, the rest in one query, which is the
    specific page's own when it is the last and its parent takes one type of page only."""
    site_root, children = top_pages(request)
    chain, base, rest = [], root, components
    if site_root is not None and site_root.pk == root.pk:
        first = next(
            (page for page in children if page.url_path == f"{root.url_path}{components[0]}/"), None
        )
        if first is not None:
            chain, base, rest = [first], first, components[1:]
    if not rest:
        return chain
    prefixes = [
        base.url_path + "".join(f"{component}/" for component in rest[:count])
        for count in range(1, len(rest) + 1)
    ]
    below = Page.objects.filter(url_path__in=prefixes, path__startswith=base.path)
    subpage_models = base.specific_class.allowed_subpage_models() if base.specific_class else ()
    if len(subpage_models) == 1 and issubclass(subpage_models[0], PublicPageMixin):
        below = _served_queryset(subpage_models[0]).filter(
            url_path=prefixes[0], depth=base.depth + 1, path__startswith=base.path
        )
    for row in below.order_by("depth"):
        parent = chain[-1] if chain else base
        if row.depth != parent.depth + 1 or not row.path.startswith(parent.path):
            break
        chain.append(row)
    return chain


def _served_queryset(model):
    """The pages of ``model`` with the related rows its type declares."""
    queryset = model._default_manager.all()
    if issubclass(model, PublicPageMixin):
        queryset = queryset.select_related(*model.serve_select_related).prefetch_related(
            *model.serve_prefetch_related()
        )
    return queryset


def _served_instance(row):
    """The specific page of ``row`` with the related rows its type declares, in one query
    (none when it is specific already)."""
    model = row.specific_class
    if model is None or type(row) is model:
        return row
    return _served_queryset(model).filter(pk=row.pk).first() or row


def breadcrumb_ancestors(page):
    """The page's ancestors below the home page: those its routing read, or one query."""
    served = getattr(page, "_served_ancestors", None)
    if served is None:
        return list(page.get_ancestors().filter(depth__gt=2))
    return [ancestor for ancestor in served if ancestor.depth > 2]
