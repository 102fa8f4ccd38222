"""A sliding-window rate limiter on the cache, for actions that are not HTTP log-ins.

allauth limits log-in and sign-up; posting in forums and the directory, event announcements and
sending chat messages (over HTTP, the API or a WebSocket) call `consume` here. With REDIS_URL set
the counters live in Redis, so the limit holds across every server process; while Redis is
unreachable the cache counts them in each process instead (core.cache), so a limit never lapses.

The window slides: the count of the current fixed window is added to the previous window's count,
weighted by how much of the previous window still lies inside the last `period` seconds. A fixed
window let a client spend its whole limit at the end of one minute and again at the start of the
next (48 chat messages in 7.8 s against a limit of 30 a minute); the sliding estimate refuses that.
Only the two counters are kept, and each use is one atomic increment.
"""

import contextlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    def describe(self) -> str:
        """"10 per hour", in the active language."""
        values = {"limit": self.limit, "seconds": self.period}
        if self.period == 60:
            return ngettext("%(limit)d per minute", "%(limit)d per minute", self.limit) % values
        if self.period == 3600:
            return ngettext("%(limit)d per hour", "%(limit)d per hour", self.limit) % values
        if self.period == 86400:
            return ngettext("%(limit)d per day", "%(limit)d per day", self.limit) % values
        return ngettext("%(limit)d per %(seconds)d seconds", "%(limit)d per %(seconds)d seconds",
                        self.period) % values


class RateLimited(Exception):
    """`label` names what was done too often for the member ("posts", translated); the action otherwise."""

    def __init__(self, action: str, rate: Rate, retry_after: int, label: str | None = None):
        self.action, self.rate, self.retry_after = action, rate, retry_after
        super().__init__(
            ngettext("Too many %(what)s: the limit is %(limit)s. Try again in %(seconds)d second.",
                     "Too many %(what)s: the limit is %(limit)s. Try again in %(seconds)d seconds.", retry_after)
            % {"what": label or action, "limit": rate.describe(), "seconds": retry_after}
        )


def _fold(part: object) -> str:
    # Cache backends warn on spaces and control characters in keys; the action and key are ours, so fold them.
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in str(part))


def _increment(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def _retry_after(rate: Rate, previous: int, current: int, elapsed: float) -> int:
    """Seconds until one more use fits under the sliding estimate."""
    left_in_window = rate.period - elapsed
    room = rate.limit - current - 1  # what the previous window's weighted share must shrink to
    if previous and room >= 0:
        wait = left_in_window - room * rate.period / previous
        if wait <= left_in_window:
            return max(1, math.ceil(wait))
    # Not within this window: in the next one this window's uses become the weighted previous count.
    share = max(0.0, 1 - (rate.limit - 1) / current) if current else 0.0
    return max(1, math.ceil(left_in_window + share * rate.period))


def consume(*, action: str, key: str | int, rate: Rate, label: str | None = None) -> None:
    """Count one use of `action` by `key`; raise RateLimited when the sliding window's limit is reached.
    `label` is how the refusal names the action to the member (translated: `_("posts")`).

    A refused use is not counted, so a client that waits as told gets through.
    """
    now = time.time()
    window = int(now // rate.period)
    elapsed = now - window * rate.period
    base = f"rl:{_fold(action)}:{_fold(key)}"
    previous = cache.get(f"{base}:{window - 1}") or 0
    current_key = f"{base}:{window}"
    # Kept for two periods: the next window reads this one as its previous.
    current = _increment(current_key, timeout=2 * rate.period + 1)
    estimate = previous * (rate.period - elapsed) / rate.period + current
    if estimate > rate.limit:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
            cache.decr(current_key)
        raise RateLimited(action, rate, retry_after=_retry_after(rate, previous, current - 1, elapsed), label=label)


# What members post, limited per member for pages and API alike (the CSV import and demo data are staff's own).
# One table for every app that counts posts this way, so the limits are read and changed in one place.
POSTING_RATES = {
    "practices": Rate(20, 3600),
    "resources": Rate(20, 3600),
    "replications": Rate(30, 3600),
    "support-requests": Rate(10, 3600),
    "support-offers": Rate(30, 3600),
    "support-invitations": Rate(50, 3600),
}


def check_posting_rate(*, user: object, what: str) -> None:
    """Count one new `what` (a key of POSTING_RATES) posted by `user`; raises RateLimited past the limit."""
    consume(action=what, key=user.pk, rate=POSTING_RATES[what])
