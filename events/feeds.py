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

A feed is kept plain and gzip-compressed (core/compression.py), compressed once when it is built: a calendar app
that accepts gzip (they all do) gets the compressed bytes, with the ETag of that variant. The public feed holds
nothing secret; a personal feed's secret is its address, which is not in the body, and no body carries a CSRF
token, so compressing them gives a BREACH-style attack nothing to find.

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

from core import compression, versions
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
# A feed's bodies as kept: plain, and gzip-compressed (None when too small to gain).
Bodies = tuple[bytes, bytes | None]
ENTRY_LAYOUT = "plain+gzip"


def key(name: str, parts: Iterable[object]) -> str:
    """Where a feed is kept: hashed, so filter values and a feed's secret address never show in a cache key. The
    entries' layout is in it, so that one kept before a deploy is never read as another."""
    digest = hashlib.blake2b(repr([ENTRY_LAYOUT, *parts]).encode(), digest_size=16).hexdigest()
    return f"events:feed:{name}:{digest}"


def _current(stored: tuple | None, generations: list[int]) -> tuple | None:
    return stored if stored is not None and stored[0] == generations else None


class _LargeBodies:
    """The large feeds this process sent lately, by key and ETag (the hash of their bytes, so one found is the
    right one): a full GET of an unchanged public feed (~800 KB at the bench's 2,000 events) then reads only its
    validators from the cache, not its body. Least recently sent first out, within MAX_BYTES."""

    MAX_BYTES = 16 * 2**20

    def __init__(self) -> None:
        self._bodies: OrderedDict[tuple[str, str], Bodies] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, feed_key: str, etag: str) -> Bodies | None:
        with self._lock:
            bodies = self._bodies.get((feed_key, etag))
            if bodies is not None:
                self._bodies.move_to_end((feed_key, etag))
            return bodies

    def put(self, feed_key: str, etag: str, bodies: Bodies) -> None:
        with self._lock:
            if (feed_key, etag) not in self._bodies:
                self._bodies[(feed_key, etag)] = bodies
                self._size += _size(bodies)
            while self._size > self.MAX_BYTES:
                self._size -= _size(self._bodies.popitem(last=False)[1])


def _size(bodies: Bodies) -> int:
    return len(bodies[0]) + len(bodies[1] or b"")


_large_bodies = _LargeBodies()


def serve(request: HttpRequest, *, feed_key: str, kinds: Iterable[str], build: Callable[[], Built],
          filename: str, private: bool = False) -> HttpResponse:
    """The feed under `feed_key`, built by `build()` (which raises Http404 for a feed that does not exist) when one
    of `kinds` changed since it was kept; 304 when the request's validators still match.

    The validators are kept with the generations they were built at, and with the bodies themselves when they are
    small (a member's feed); large bodies (the public feed) are kept apart, under their ETag, and in this process's
    memory once sent, so that neither a 304 nor a full GET fetches them from the cache again."""
    if not settings.CACHE_RENDERED:
        etag, stamp, bodies = _validated(build())
        return calendar_response(request, body=bodies[0], compressed=bodies[1], etag=etag, stamp=stamp,
                                 filename=filename, private=private)
    validators_key, body_key = f"{feed_key}:validators", f"{feed_key}:body"
    generations, stored = versions.cached_with_generations(validators_key, kinds)
    current = _current(stored, generations)
    bodies = None
    if current is not None:
        _, etag, stamp, bodies, has_variant = current
        not_modified = _not_modified(request, etag=etag, stamp=stamp, has_variant=has_variant)
        if not_modified is not None:
            return not_modified
        if bodies is None:
            bodies = _large_bodies.get(feed_key, etag)
        if bodies is None:
            large = cache.get(body_key)
            bodies = large[1] if large is not None and large[0] == etag else None
    if bodies is None:
        etag, stamp, bodies = _validated(build())
        small = len(bodies[0]) < LARGE_BODY_BYTES
        cache.set_many({validators_key: (generations, etag, stamp, bodies if small else None, bodies[1] is not None),
                        **({} if small else {body_key: (etag, bodies)})}, timeout=settings.CACHE_SECONDS)
    if len(bodies[0]) >= LARGE_BODY_BYTES:
        _large_bodies.put(feed_key, etag, bodies)
    return calendar_response(request, body=bodies[0], compressed=bodies[1], etag=etag, stamp=stamp,
                             filename=filename, private=private)


def _validated(built: Built) -> tuple[str, int | None, Bodies]:
    """The ETag (of the plain bytes; the compressed variant's is derived from it), Last-Modified and bodies."""
    body, last_modified = built
    return ical.etag_of(body), stamp_of(last_modified), (body, compression.compress(body))


def _not_modified(request: HttpRequest, *, etag: str, stamp: int | None, has_variant: bool) -> HttpResponse | None:
    """304 when the request's validators match the variant this client would be sent, else None."""
    encoded = has_variant and compression.accepts_gzip(request)
    response = get_conditional_response(request, etag=compression.encoded_etag(etag) if encoded else etag,
                                        last_modified=stamp)
    if response is not None:
        compression.mark(response, has_variant=has_variant, encoded=False)
    return response


def stamp_of(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment else None


def calendar_response(request: HttpRequest, *, body: bytes, etag: str, stamp: int | None, filename: str,
                      private: bool = False, compressed: bytes | None = None) -> HttpResponse:
    """An .ics answer with its validators, or 304 when the request's still match. `private`: its address is a
    secret (a personal feed), which shared caches must not keep. `compressed`: the body gzip-compressed, sent
    to a client that accepts it (core/compression.py), `etag` being the plain body's."""
    not_modified = _not_modified(request, etag=etag, stamp=stamp, has_variant=compressed is not None)
    if not_modified is not None:
        return not_modified
    sent, encoded = compression.choose(request, body, compressed)
    response = HttpResponse(sent, content_type=ical.CONTENT_TYPE)
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    return compression.mark(response, has_variant=compressed is not None, encoded=encoded)
