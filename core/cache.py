"""A Redis cache that degrades instead of failing: with Redis unreachable the HTTP site keeps working.

Sessions (cached_db), allauth's rate limits and core.ratelimit all go through the cache. Django's
RedisCache raises on a connection error, so one Redis outage would turn every page into a 500.
This subclass logs the error and behaves like an empty cache that accepts writes: reads miss,
writes do nothing, `add` reports success (so allauth's TOTP replay check lets the request through
instead of waiting), `incr` raises ValueError as for a missing key. Sessions then come from the database.

Rate limits are the exception: a limit that stopped counting during an outage would open log-in
brute force exactly then. Keys of allauth's limits (and their cache locks) and of core.ratelimit
go to a per-process local-memory cache while Redis is unreachable, so each process goes on
counting on its own (a limit then holds per process: at most the number of processes times the limit).

After a failure the cache object (Django keeps one per thread) skips Redis for `RETRY_AFTER`
seconds, so an outage costs each worker thread one connection attempt per interval, not one per call.
"""

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without Redis calls after a failure

# Keys of rate limits: allauth's ("allauth:rl:…", with their ":lock" keys) and core.ratelimit's ("rl:…").
LIMIT_KEY_PREFIXES = ("allauth:rl:", "rl:")
# Where this process counts limits while Redis is unreachable; shared by its threads.
local_limits = LocMemCache("crossroads-limits-during-redis-outage", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


def _counts_limits(method_name: str, args: tuple) -> bool:
    return bool(args) and isinstance(args[0], str) and args[0].startswith(LIMIT_KEY_PREFIXES) and \
        hasattr(local_limits, method_name)


def _degrades_to(fallback: Callable[..., Any]) -> Callable:
    """Run the RedisCache method; on a Redis error log it, back off, and answer with `fallback(*args)`."""

    def decorate(method: Callable) -> Callable:
        @wraps(method)
        def degraded(*args: Any, **kwargs: Any) -> Any:
            if _counts_limits(method.__name__, args):
                return getattr(local_limits, method.__name__)(*args, **kwargs)
            return fallback(*args, **kwargs)

        def wrapper(self: "ResilientRedisCache", *args: Any, **kwargs: Any) -> Any:
            if time.monotonic() < self._down_until:
                return degraded(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._down_until = time.monotonic() + RETRY_AFTER
                logger.error("Redis cache unreachable (%s); serving without the cache for %.0f s.",
                             error, RETRY_AFTER)
                return degraded(*args, **kwargs)

        return wrapper

    return decorate


def _missing(*args: Any, **kwargs: Any) -> None:
    raise ValueError("Key not found (the Redis cache is unreachable).")


class ReusedClients(RedisCacheClient):
    """Django makes a new redis.Redis for every cache call, and its constructor builds the ~170 response
    callbacks each time: ~0.2 ms of CPU per call, half of what a page served from the cache costs. One client per
    connection pool is enough (a client is thread-safe; the pool hands out the connections)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def validate_key(self, key: str) -> None:
        """No check: Django's looks at every character of every key for what memcached refuses (spaces, control
        characters, 250 bytes), which Redis accepts. Tests run on the local-memory cache, which still checks."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClients

    @_degrades_to(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degrades_to(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrades_to(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_degrades_to(lambda *args, **kwargs: None)
    def set(self, *args, **kwargs):
        return super().set(*args, **kwargs)

    @_degrades_to(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, *args, **kwargs):
        return super().set_many(data, *args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: True)
    def add(self, *args, **kwargs):
        return super().add(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: False)
    def touch(self, *args, **kwargs):
        return super().touch(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrades_to(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degrades_to(_missing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrades_to(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
