"""The admin's lockouts: failed attempts counted per account and per client address in the
shared cache, so every app server agrees, and the lock they lead to. Two of them, counted
apart: the password of the sign-in (SIGN_IN) and the code of the second factor
(SECOND_FACTOR), so that a right password never buys a stolen one new codes to try.

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


class Lockout:
    def __init__(self, name, label):
        self.name = name  # of its cache keys and counters
        self.label = label  # of its log lines

    def _subjects(self, request, username):
        """(scope, key, allowed failures) of what an attempt counts against."""
        return [
            ("account", account_key(username), settings.LOGIN_LOCKOUT_ACCOUNT_FAILURES),
            ("address", client_key(request), settings.LOGIN_LOCKOUT_ADDRESS_FAILURES),
        ]

    def _lock_key(self, scope, key):
        return f"{self.name}-lockout:{scope}:{key}"

    @staticmethod
    def _window_key(key):
        return f"{key}:{int(now() // settings.LOGIN_LOCKOUT_WINDOW)}"

    def locked_for(self, request, username):
        """Seconds until this account and this address may try again; 0 when they may now."""
        subjects = self._subjects(request, username)
        ends = cache.get_many([self._lock_key(scope, key) for scope, key, _ in subjects])
        return max([end - now() for end in ends.values()] + [0])

    def fail(self, request, username):
        """Count a failed attempt; lock whatever reached its limit."""
        duration = settings.LOGIN_LOCKOUT_DURATION
        for scope, key, allowed in self._subjects(request, username):
            window = self._window_key(key)
            failures = spend(f"{self.name}-{scope}", window, settings.LOGIN_LOCKOUT_WINDOW)
            if failures >= allowed:
                # The cache keeps the lock a little longer than it lasts: now() decides. Once
                # it ends, the count starts again.
                cache.set(self._lock_key(scope, key), now() + duration, timeout=duration + 60)
                forget(f"{self.name}-{scope}", window)
                logger.warning(
                    # As typed: quoted, so that a name cannot forge a log line.
                    "%s locked for %s s after %s failures of the %s %r",
                    self.label,
                    duration,
                    failures,
                    scope,
                    username if scope == "account" else key,
                )

    def succeed(self, username):
        forget(f"{self.name}-account", self._window_key(account_key(username)))


SIGN_IN = Lockout("login", "Admin sign-in")
SECOND_FACTOR = Lockout("second-factor", "Admin second factor")
