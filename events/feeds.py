"""The iCal feeds served from the cache by version: a calendar's conditional GET is answered from the cached
validators alone, a full GET from the cached body, and the calendar is built only after a write it shows.

A feed is kept as two entries under keys without generations, each holding the generations of the kinds it was
built at (core/versions.py), like a page of core/pagecache.py: the validators (ETag, Last-Modified), small, and
the body with them. One cache round trip brings the current generations and the entry a request needs — the
validators for a conditional GET, the body otherwise — so an unchanged feed costs no query and no building; a
feed that changed is built once, and its ETag stays the hash of its bytes, so a calendar that already holds the
same bytes still gets a 304 after a write that did not change them.

    public feed    kinds FEED_KINDS, per language and filters
    personal feed  kinds PERSONAL_FEED_KINDS, per address (its token): the member's registrations, name and
                   language; "events.feed" makes a revoked or replaced address stale at once

With CACHE_RENDERED off (tests whose factories write without the services) every request builds the feed.
"""

import hashlib
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

# A feed built from the rows: its bytes and the last change they show (None for an empty feed).
Built = tuple[bytes, datetime | None]


def key(name: str, parts: Iterable[object]) -> str:
    """Where a feed is kept: hashed, so filter values and a feed's secret address never show in a cache key."""
    digest = hashlib.blake2b(repr(list(parts)).encode(), digest_size=16).hexdigest()
    return f"events:feed:{name}:{digest}"


def _current(stored: tuple | None, generations: list[int]) -> tuple | None:
    return stored if stored is not None and stored[0] == generations else None


def serve(request: HttpRequest, *, feed_key: str, kinds: Iterable[str], build: Callable[[], Built],
          filename: str, private: bool = False) -> HttpResponse:
    """The feed under `feed_key`, built by `build()` (which raises Http404 for a feed that does not exist) when one
    of `kinds` changed since it was kept; 304 when the request's validators still match."""
    if not settings.CACHE_RENDERED:
        entry = _entry([], build())
    else:
        validators_key, body_key = f"{feed_key}:validators", f"{feed_key}:body"
        conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        generations, stored = versions.cached_with_generations(validators_key if conditional else body_key, kinds)
        entry = _current(stored, generations)
        if entry is not None and conditional:
            _, etag, stamp = entry
            not_modified = get_conditional_response(request, etag=etag, last_modified=stamp)
            if not_modified is not None:
                return not_modified
            entry = _current(cache.get(body_key), generations)  # the calendar holds an older feed: send this one
        if entry is None:
            entry = _entry(generations, build())
            cache.set_many({body_key: entry, validators_key: entry[:3]}, timeout=settings.CACHE_SECONDS)
    _, etag, stamp, body = entry
    return calendar_response(request, body=body, etag=etag, stamp=stamp, filename=filename, private=private)


def _entry(generations: list[int], built: Built) -> tuple[list[int], str, int | None, bytes]:
    body, last_modified = built
    return generations, ical.etag_of(body), stamp_of(last_modified), body


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
