"""The iCal feeds served from the cache by version: a calendar's conditional GET is answered from the cached
validators alone, a full GET from the cached body, and the calendar is built only after a write it shows.

A feed's validators (ETag, Last-Modified) are kept under a key without generations, with the generations of the
kinds it was built at (core/versions.py), as a page of core/pagecache.py is: one cache round trip brings them
with the current generations, so an unchanged feed costs no query and no building. A small body (a member's
feed) is kept with its validators; a large one (the public feed, ~800 KB at the bench's 2,000 events) apart,
under its ETag, and in the memory of each process that sent it, so that neither a 304 nor a full GET moves it
out of the cache again. A feed that changed is built once; its ETag stays the hash of its bytes, so a calendar
that holds the same bytes still gets a 304 after a write that did not change them.

    public feed    kinds FEED_KINDS, per language and filters
    personal feed  kinds PERSONAL_FEED_KINDS, per address (its token): the member's registrations, name and
                   language; "events.feed" makes a revoked or replaced address stale at once

With CACHE_RENDERED off (tests whose factories write without the services) every request builds the feed.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from core import versions
from events import ical

# What a feed shows: the events (their registrations' states and seats included), their organisations' names
# and their policy areas.
FEED_KINDS = ("events.event", "accounts.organisation", "core.taxonomy")
# And for a member's own feed: their name and language (and whether the account is active), and its address.
PERSONAL_FEED_KINDS = (*FEED_KINDS, "accounts.member", "events.feed")

# A body this long is kept apart from its validators, and in each process's memory once sent (_LargeBodies).
LARGE_BODY_BYTES = 64 * 1024

# A feed built from the rows: its bytes and the last change they show (None for an empty feed).
Built = tuple[bytes, datetime | None]


def key(name: str, parts: Iterable[object]) -> str:
    """Where a feed is kept: hashed, so filter values and a feed's secret address never show in a cache key."""
    digest = hashlib.blake2b(repr(list(parts)).encode(), digest_size=16).hexdigest()
    return f"events:feed:{name}:{digest}"


def _current(stored: tuple | None, generations: list[int]) -> tuple | None:
    return stored if stored is not None and stored[0] == generations else None


class _LargeBodies:
    """The large feeds this process sent lately, by key and ETag (the hash of their bytes, so one found is the
    right one): a full GET of an unchanged public feed (~800 KB at the bench's 2,000 events) then reads only its
    validators from the cache, not its body. Least recently sent first out, within MAX_BYTES."""

    MAX_BYTES = 16 * 2**20

    def __init__(self) -> None:
        self._bodies: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, feed_key: str, etag: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get((feed_key, etag))
            if body is not None:
                self._bodies.move_to_end((feed_key, etag))
            return body

    def put(self, feed_key: str, etag: str, body: bytes) -> None:
        with self._lock:
            if (feed_key, etag) not in self._bodies:
                self._bodies[(feed_key, etag)] = body
                self._size += len(body)
            while self._size > self.MAX_BYTES:
                self._size -= len(self._bodies.popitem(last=False)[1])


_large_bodies = _LargeBodies()


def serve(request: HttpRequest, *, feed_key: str, kinds: Iterable[str], build: Callable[[], Built],
          filename: str, private: bool = False) -> HttpResponse:
    """The feed under `feed_key`, built by `build()` (which raises Http404 for a feed that does not exist) when one
    of `kinds` changed since it was kept; 304 when the request's validators still match.

    The validators are kept with the generations they were built at, and with the body itself when it is small
    (a member's feed); a large body (the public feed) is kept apart, under its ETag, and in this process's memory
    once sent, so that neither a 304 nor a full GET fetches it from the cache again."""
    if not settings.CACHE_RENDERED:
        etag, stamp, body = _validated(build())
        return calendar_response(request, body=body, etag=etag, stamp=stamp, filename=filename, private=private)
    validators_key, body_key = f"{feed_key}:validators", f"{feed_key}:body"
    generations, stored = versions.cached_with_generations(validators_key, kinds)
    current = _current(stored, generations)
    body = None
    if current is not None:
        _, etag, stamp, body = current
        not_modified = get_conditional_response(request, etag=etag, last_modified=stamp)
        if not_modified is not None:
            return not_modified
        if body is None:
            body = _large_bodies.get(feed_key, etag)
        if body is None:
            large = cache.get(body_key)
            body = large[1] if large is not None and large[0] == etag else None
    if body is None:
        etag, stamp, body = _validated(build())
        small = len(body) < LARGE_BODY_BYTES
        cache.set_many({validators_key: (generations, etag, stamp, body if small else None),
                        **({} if small else {body_key: (etag, body)})}, timeout=settings.CACHE_SECONDS)
    if len(body) >= LARGE_BODY_BYTES:
        _large_bodies.put(feed_key, etag, body)
    return calendar_response(request, body=body, etag=etag, stamp=stamp, filename=filename, private=private)


def _validated(built: Built) -> tuple[str, int | None, bytes]:
    body, last_modified = built
    return ical.etag_of(body), stamp_of(last_modified), body


def stamp_of(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment else None


def calendar_response(request: HttpRequest, *, body: bytes, etag: str, stamp: int | None, filename: str,
                      private: bool = False) -> HttpResponse:
    """An .ics answer with its validators, or 304 when the request's still match. `private`: its address is a
    secret (a personal feed), which shared caches must not keep."""
    not_modified = get_conditional_response(request, etag=etag, last_modified=stamp)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    return response
