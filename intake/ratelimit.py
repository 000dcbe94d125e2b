"""What a client may spend on the public forms, counted in the shared cache so every server
agrees. A form spends when its answer costs (a request stored, emails sent, a spammer caught),
never when it only shows errors: a person correcting a form never runs out."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


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


def _cache_key(scope, key):
    return f"ratelimit:{scope}:{key}"


def spent(scope, key):
    return cache.get(_cache_key(scope, key), 0)


def spend(scope, key, window):
    """Count one costly answer for ``key`` in the current window."""
    cache_key = _cache_key(scope, key)
    cache.add(cache_key, 0, timeout=window)
    try:
        cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)


def client_exhausted(request, scope):
    """Whether this client already spent RATELIMIT_FORM_POSTS answers in the window (the
    settings are read at each request, so they can change)."""
    return spent(scope, client_key(request)) >= settings.RATELIMIT_FORM_POSTS


def client_spends(request, scope):
    spend(scope, client_key(request), settings.RATELIMIT_WINDOW)


def address_key(email):
    """A status-link request's address, hashed: the cache never holds the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def address_exhausted(email):
    return spent("status-links", address_key(email)) >= settings.RATELIMIT_LINKS_PER_ADDRESS


def address_spends(email):
    spend("status-links", address_key(email), settings.RATELIMIT_WINDOW)


def limited(response):
    """The limited answer of a form: shown again with what was typed, status 429."""
    response.status_code = 429
    response["Retry-After"] = str(settings.RATELIMIT_WINDOW)
    return response
