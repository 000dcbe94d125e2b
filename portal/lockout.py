"""The admin sign-in's lockout: failed attempts counted per account and per client address in
the shared cache, so every app server agrees, and the lock they lead to.

Failures are counted in fixed windows of LOGIN_LOCKOUT_WINDOW seconds; the one that reaches
LOGIN_LOCKOUT_ACCOUNT_FAILURES for an account (or LOGIN_LOCKOUT_ADDRESS_FAILURES for an
address) locks it for LOGIN_LOCKOUT_DURATION seconds. The lock's end is stored as a time and
compared with ``now()``: the cache's own expiry only cleans up. A success clears the
account's count, never the address's: one known password must not buy an address new tries.
The settings are read at each attempt, so they can change."""

import hashlib
import logging
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache

from intake.ratelimit import client_key, forget, spend

logger = logging.getLogger(__name__)


def now():
    return time.time()


def account_key(username):
    """A username as people type it (case, width, spaces aside), hashed: the cache never
    holds the name itself."""
    normalised = unicodedata.normalize("NFKC", username).strip().casefold()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _subjects(request, username):
    """(scope, key, allowed failures) of what an attempt counts against."""
    return [
        ("account", account_key(username), settings.LOGIN_LOCKOUT_ACCOUNT_FAILURES),
        ("address", client_key(request), settings.LOGIN_LOCKOUT_ADDRESS_FAILURES),
    ]


def _lock_key(scope, key):
    return f"login-lockout:{scope}:{key}"


def _window_key(key):
    return f"{key}:{int(now() // settings.LOGIN_LOCKOUT_WINDOW)}"


def locked_for(request, username):
    """Seconds until this account and this address may try again; 0 when they may now."""
    ends = cache.get_many([_lock_key(scope, key) for scope, key, _ in _subjects(request, username)])
    return max([end - now() for end in ends.values()] + [0])


def fail(request, username):
    """Count a failed attempt; lock whatever reached its limit."""
    duration = settings.LOGIN_LOCKOUT_DURATION
    for scope, key, allowed in _subjects(request, username):
        window = _window_key(key)
        failures = spend(f"login-{scope}", window, settings.LOGIN_LOCKOUT_WINDOW)
        if failures >= allowed:
            # The cache keeps the lock a little longer than it lasts: now() decides. Once it
            # ends, the count starts again.
            cache.set(_lock_key(scope, key), now() + duration, timeout=duration + 60)
            forget(f"login-{scope}", window)
            logger.warning(
                # As typed: quoted, so that a name cannot forge a log line.
                "Admin sign-in locked for %s s after %s failures of the %s %r",
                duration,
                failures,
                scope,
                username if scope == "account" else key,
            )


def succeed(username):
    forget("login-account", _window_key(account_key(username)))
