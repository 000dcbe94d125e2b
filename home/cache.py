"""The public site in the shared cache: whole anonymous pages, and the fragments of the page
shell (site, menu, footer, view restrictions, the permanence) that every page repeats.

Both are keyed by a generation, a random token held in the shared cache: any change that a
public page may show (a page published, unpublished, moved, saved or deleted; a setting,
snippet, image, opening rule, closure or appointment written; see PAGE_CACHE_INVALIDATED_BY)
draws a new one, so every app server stops reading the old entries at once, and they expire.
A page that shows live data (the permanence's opening) is kept only until that data changes
(``hold_until``).

A page is kept only when its view asked for it (``shared``), for a GET without query string
from a visitor without session or messages cookie, answered 200 without setting a cookie or
using a CSRF token. Everything else (the intake's form and status pages, the admin, previews,
signed-in editors) is served as before, with its own headers.
"""

import secrets
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

PAGES = "public:pages"
SHELL = "public:shell"
SHELL_TIMEOUT = 24 * 3600
# Headers a kept page is replayed with; the middlewares outside this one add their own.
REPLAYED_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options")


def generation(name):
    """The current token of ``name`` (PAGES or SHELL), drawn the first time it is asked for."""
    token = cache.get(name)
    if token is None:
        cache.add(name, secrets.token_hex(8), timeout=None)
        token = cache.get(name)
    return token


# Fields that Wagtail writes while serving (an image's hash when its first rendition is made):
# such a save changes nothing a page shows.
BOOKKEEPING_FIELDS = frozenset({"file_hash", "file_size"})


def invalidate(sender=None, created=False, update_fields=None, **_signal):
    """Draws new generations now, and again once the transaction commits: in between, another
    server could cache what the database still held. Not for the settings row that Wagtail
    creates, with its defaults, the first time a page reads it."""
    if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    if created and isinstance(sender, type) and issubclass(sender, BaseGenericSetting):
        return
    _renew()
    transaction.on_commit(_renew)


def _renew():
    cache.set_many({PAGES: secrets.token_hex(8), SHELL: secrets.token_hex(8)}, timeout=None)


def _invalidate_page(sender, instance, **_signal):
    if isinstance(instance, Page):
        invalidate()


def connect_signals():
    """Every write that renews the generations, connected once from HomeConfig.ready."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"public-cache-{signal}")
    post_save.connect(_invalidate_page, dispatch_uid="public-cache-page-save")
    post_delete.connect(_invalidate_page, dispatch_uid="public-cache-page-delete")
    for label in settings.PAGE_CACHE_INVALIDATED_BY:
        model = apps.get_model(label)
        post_save.connect(invalidate, sender=model, dispatch_uid=f"public-cache-save-{label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"public-cache-del-{label}")


def hold_until(request, moment):
    """The response to ``request`` shows data that holds until ``moment`` (None: no limit)."""
    if request is None or moment is None:
        return
    current = getattr(request, "_public_cache_until", None)
    if current is None or moment < current:
        request._public_cache_until = moment


def fragment(request, name, build):
    """A piece of the page shell, built once per generation in the shared cache and once per
    request. ``build()`` returns (value, valid until or None)."""
    memo = request.__dict__.setdefault("_public_fragments", {}) if request else {}
    if name not in memo:
        key = f"public:fragment:{generation(SHELL)}:{name}"
        entry = cache.get(key)
        now = timezone.now()
        if entry is None or (entry[1] is not None and entry[1] <= now):
            entry = build()
            cache.set(key, entry, _seconds_until(entry[1], now, SHELL_TIMEOUT))
        memo[name] = entry
    value, until = memo[name]
    hold_until(request, until)
    return value


def holding(request, render):
    """(what ``render()`` returns, the earliest moment it held the response until): a
    fragment that shows live data carries its limit to the pages that reuse it."""
    outer = request.__dict__.pop("_public_cache_until", None)
    value = render()
    inner = request.__dict__.pop("_public_cache_until", None)
    hold_until(request, outer)
    return value, inner


def _seconds_until(moment, now, ceiling):
    if moment is None:
        return ceiling
    return max(0, min(ceiling, int((moment - now).total_seconds())))


def shared(response):
    """Marks a public view's response as the same for every anonymous visitor."""
    response.public_cache = True
    return response


class PageCacheMiddleware:
    """Serves and keeps the anonymous views of public pages (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        now = timezone.now()
        entry = cache.get(key) if key is not None else None
        # The entry's own deadline, not only the cache's: the servers' clocks decide when
        # the live data it shows stops holding.
        if entry is not None and entry[2] > now:
            return self._replay(entry, now)
        response = self.get_response(request)
        if key is not None and request.method == "GET" and self._can_keep(request, response):
            until = getattr(request, "_public_cache_until", None)
            timeout = _seconds_until(until, now, settings.PAGE_CACHE_TIMEOUT)
            patch_vary_headers(response, ("Cookie",))
            _announce(response, min(timeout, settings.PAGE_CACHE_MAX_AGE))
            if timeout:
                headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
                expires = now + timedelta(seconds=timeout)
                cache.set(key, (response.content, headers, expires), timeout)
        elif getattr(response, "public_cache", False):
            # What a signed-in editor or a visitor with a session sees is theirs alone.
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @classmethod
    def _key(cls, request):
        if not cls._reads_cache(request):
            return None
        return (
            f"public:page:{generation(PAGES)}:{request.scheme}:{request.get_host()}:{request.path}"
        )

    @staticmethod
    def _reads_cache(request):
        return (
            request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        )

    @staticmethod
    def _can_keep(request, response):
        if not (
            getattr(response, "public_cache", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            return False
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated

    @staticmethod
    def _replay(entry, now):
        content, headers, expires = entry
        response = HttpResponse(content, headers=headers)
        remaining = int((expires - now).total_seconds())
        _announce(response, max(0, min(remaining, settings.PAGE_CACHE_MAX_AGE)))
        return response


def _announce(response, max_age):
    patch_cache_control(response, public=True, max_age=max_age)
