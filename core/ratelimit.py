"""A fixed-window rate limiter on the cache, for actions that are not HTTP log-ins.

allauth limits log-in and sign-up; posting in forums and sending chat messages (over HTTP,
the API or a WebSocket) call `consume` here. With REDIS_URL set the counters live in Redis,
so the limit holds across every server process.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    def describe(self) -> str:
        unit = {60: "minute", 3600: "hour", 86400: "day"}.get(self.period, f"{self.period} seconds")
        return f"{self.limit} per {unit}"


class RateLimited(Exception):
    def __init__(self, action: str, rate: Rate, retry_after: int):
        self.action, self.rate, self.retry_after = action, rate, retry_after
        super().__init__(
            f"Too many {action}: the limit is {rate.describe()}. Try again in {retry_after} seconds."
        )


def consume(*, action: str, key: str | int, rate: Rate) -> None:
    """Count one use of `action` by `key`; raise RateLimited when the window's limit is reached."""
    now = int(time.time())
    window = now - now % rate.period
    # Cache backends warn on spaces and control characters in keys; the action and key are ours, so fold them.
    cache_key = "rl:{}:{}:{}".format(*("".join(c if c.isalnum() or c in "-_." else "_" for c in str(part))
                                       for part in (action, key)), window)
    if cache.add(cache_key, 1, timeout=rate.period + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=rate.period + 1)
            count = 1
    if count > rate.limit:
        raise RateLimited(action, rate, retry_after=window + rate.period - now)
