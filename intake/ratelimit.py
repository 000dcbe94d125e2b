"""Per-client limits on public POSTs, counted in the shared cache so every server agrees."""

import functools
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def client_address(request):
    """The client's address; behind trusted proxies, the address they saw."""
    if settings.RATELIMIT_TRUSTED_PROXY_COUNT:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= settings.RATELIMIT_TRUSTED_PROXY_COUNT:
            return forwarded[-settings.RATELIMIT_TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request):
    """One key per client: an IPv6 client owns its whole /64, so it counts as one."""
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def is_limited(scope, key, limit, window):
    """Count one hit; True once more than `limit` hits fell in the current window."""
    cache_key = f"ratelimit:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        hits = 1
    return hits > limit


def limit_posts(scope):
    """Answer 429 with a DSFR page when a client POSTs more than RATELIMIT_FORM_POSTS times
    per RATELIMIT_WINDOW seconds (read at each request, so settings can change)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            limit, window = settings.RATELIMIT_FORM_POSTS, settings.RATELIMIT_WINDOW
            if request.method == "POST" and is_limited(scope, client_key(request), limit, window):
                response = TemplateResponse(
                    request, "429.html", {"title": _("Trop de demandes")}, status=429
                )
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
