"""The shared cache (Redis) for a portal that keeps serving when Redis is down.

Without Redis every read is a miss and every write is dropped: pages are rendered from the
database, the referential's lists are read again. The counters that protect the portal (rate
limits, the admin sign-in's lockout: keys under FALLBACK_PREFIXES) are not dropped: they count
in this process's memory until Redis answers again, so a limit still holds on each server
instead of opening to everyone or locking everyone out. Each outage logs a warning, at most
once a minute per process."""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FALLBACK_PREFIXES = ("ratelimit:", "login-lockout:")
WARNING_INTERVAL = 60
clock = time.monotonic
# What each operation answers when Redis is down and its key has no fallback.
MISSES = {
    "add": False,
    "get": None,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "incr": None,
    "set_many": [],
    "delete_many": None,
    "clear": False,
}


def _first_key(name, args):
    if name in ("get_many", "delete_many"):
        keys = list(args[0]) if args else []
        return keys[0] if keys else ""
    if name == "set_many":
        return next(iter(args[0]), "") if args else ""
    return args[0] if args and isinstance(args[0], str) else ""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._local = LocMemCache(f"fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT")})
        self._warned_at = None

    def _unavailable(self, error):
        now = clock()
        if self._warned_at is None or now - self._warned_at >= WARNING_INTERVAL:
            self._warned_at = now
            logger.warning(
                "Redis is unreachable (%s: %s): cache misses, rate limits and lockouts "
                "counted in this process",
                type(error).__name__,
                error,
            )


def _resilient(name):
    redis_operation = getattr(RedisCache, name)

    def operation(self, *args, **kwargs):
        try:
            return redis_operation(self, *args, **kwargs)
        except RedisError as error:
            self._unavailable(error)
            if name == "get" and len(args) > 1:
                default = args[1]
            else:
                default = kwargs.get("default", MISSES[name])
            if _first_key(name, args).startswith(FALLBACK_PREFIXES):
                return getattr(self._local, name)(*args, **kwargs)
            return default

    operation.__name__ = name
    return operation


for _name in MISSES:
    setattr(ResilientRedisCache, _name, _resilient(_name))
