"""What a client may spend on the public forms, counted in the shared cache so every server
agrees. A form spends when its answer costs (a request stored, emails sent, a spammer caught,
a wrong password), never when it only shows errors: a person correcting a form never runs out.
Quotas that protect a third party (the emails one address or one account receives) count
apart from the client's own."""

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _parse(hop):
    """The address of one hop as proxies write it (with a port, IPv6 in brackets), or None."""
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        address = ipaddress.ip_address(hop)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_address(request):
    """The client's address, or None when the request tells none.

    The hops are the entries of X-Forwarded-For, then the peer (REMOTE_ADDR); the last
    RATELIMIT_TRUSTED_PROXY_COUNT of them are our proxies, so the client is the hop just before
    them, written by the outermost proxy. Entries further left are the client's own claims and
    are never read. A request that passed fewer proxies (it reached an inner one, or the app)
    is told by its furthest hop, which one of our proxies or the peer itself gave. None when
    that hop is no address ("unknown", an empty peer): such a request is refused alone, never
    counted in a bucket that it would share with every other one."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = forwarded.split(",") if forwarded.strip() else []
    hops.append(request.META.get("REMOTE_ADDR", ""))
    return _parse(hops[max(0, len(hops) - 1 - settings.RATELIMIT_TRUSTED_PROXY_COUNT)])


def client_key(request):
    """One key per client, or None: an IPv6 client owns its whole /64, so it counts as one."""
    address = client_address(request)
    if address is None:
        return None
    if address.version == 6:
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return str(address)


def _cache_key(scope, key):
    return f"ratelimit:{scope}:{key}"


def spent(scope, key):
    return cache.get(_cache_key(scope, key), 0)


def spend(scope, key, window):
    """Count one for ``key`` in its window, which its first count opens; returns the count."""
    cache_key = _cache_key(scope, key)
    if cache.add(cache_key, 1, timeout=window):
        return 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr (the local-memory cache says so)
        count = 1
    if count == 1:
        # Expired between add and incr: Redis's INCR then made it anew, without an expiry,
        # which would count forever. The count starts a new window.
        cache.set(cache_key, 1, timeout=window)
    return count


def within(scope, key, limit, window):
    """Spend one for ``key``: whether it stays within ``limit`` in the window. Counting first
    makes the check atomic: concurrent requests never pass the limit together."""
    return spend(scope, key, window) <= limit


def forget(scope, key):
    """Start ``key``'s count again."""
    cache.delete(_cache_key(scope, key))


def client_exhausted(request, scope):
    """Whether this client already spent RATELIMIT_FORM_POSTS answers in the window (the
    settings are read at each request, so they can change). A request that tells no client
    address is refused, alone."""
    key = client_key(request)
    if key is None:
        logger.warning("A %s post told no client address: refused (see the proxy count)", scope)
        return True
    return spent(scope, key) >= settings.RATELIMIT_FORM_POSTS


def client_spends(request, scope):
    key = client_key(request)
    if key is not None:
        spend(scope, key, settings.RATELIMIT_WINDOW)


def client_within(request, scope):
    """Spend one answer of this client's: whether it stays within RATELIMIT_FORM_POSTS. False
    for a request that tells no client address."""
    key = client_key(request)
    if key is None:
        logger.warning("A %s post told no client address: refused (see the proxy count)", scope)
        return False
    return within(scope, key, settings.RATELIMIT_FORM_POSTS, settings.RATELIMIT_WINDOW)


def address_key(email):
    """An email address, hashed: the cache never holds the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def address_within(email):
    """One more status-link email to this address: whether it stays within the quota."""
    return within(
        "status-links",
        address_key(email),
        settings.RATELIMIT_LINKS_PER_ADDRESS,
        settings.RATELIMIT_WINDOW,
    )


def limited(response):
    """The limited answer of a form: shown again with what was typed, status 429."""
    response.status_code = 429
    response["Retry-After"] = str(settings.RATELIMIT_WINDOW)
    return response
