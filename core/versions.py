"""Versioned cache keys: a generation per kind of content (or per object), bumped by the services that change it.

A cached value's key carries the generations of every kind it was built from, so a write never deletes
anything: it bumps its kind's generation and the next read builds a new key, while the old entries age out.

    @versions.bumps("events.event")                       # on a service: every event page and list is stale after it
    @transaction.atomic
    def cancel_event(*, actor, event, reason=""): ...

    versions.bump("directory.practice")                  # or inside the service that changed a practice
    versions.bump("forums.reads", user.pk)               # one object of a kind: this member's read marks

    key = versions.key("facets:practices", kinds=["directory.practice"], lang="fr", parts=[filters])
    key = versions.key("section:home", kinds=["forums.forum", ("forums.reads", user.pk)], lang="fr")
    html = versions.cached(key, render)                  # render() on a miss, kept CACHE_SECONDS

Kinds are named "<app>.<what>"; `KINDS` lists them with what each covers, and naming another is a mistake that
raises where it is written. An object's generation is its own: a bump of (kind, id) leaves the kind's alone, so
a value that depends on both names both.

Services bump, never signals (ARCHITECTURE.md, Caching). A bump happens at once, so the rest of the
request sees it, and again when the transaction commits: a reader that built a value from the old rows
between the two bumps cached it under a generation nobody asks for after the commit.

A generation starts from the clock in nanoseconds, not from 1: if the cache loses it (eviction, a Redis
restart), the new one cannot equal an old one whose entries are still cached. With the cache unreachable
every read misses (core/cache.py) and pages are built as if nothing were cached.
"""

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

F = TypeVar("F", bound=Callable[..., Any])

# Every kind that has a generation, with what it covers (and so which services bump it).
KINDS: dict[str, str] = {
    "core.page": "the footer pages staff edit (about, privacy, ...)",
    "core.notifications": "a member's notifications, made or read: the header's unread count (by member)",
    "core.taxonomy": "policy areas and sub-topics",
    "accounts.organisation": "organisations: profile, logo, verification, members and roles, latest activity",
    "accounts.member": "what pages show of a member: name, job title, avatar, handle",
    "directory.practice": "good practices: text, state, relations, replications, versions",
    "directory.resource": "the resource library",
    "events.event": "events: details, state, programme, speakers, documents, questions, seats taken",
    "events.feed": "the addresses of members' personal calendar feeds (made, replaced, revoked)",
    "forums.forum": "categories, topics, posts, tags, reactions, helpful marks, accepted answers",
    "forums.reads": "what a member has read, watches and bookmarked in the forums (by member)",
    "expertise.request": "requests for support, offers, outcomes, follows",
    "chat.conversation": "a conversation as lists show it: its members and their roles, its name, its messages' "
                         "changes (new, edited, deleted, reacted to) and so its last message (by conversation)",
    "chat.unread": "a member's unread chat messages over all their conversations: the header's badge (by member)",
    "chat.list": "a member's list of conversations as the messenger shows it: which, in what order, each one's "
                 "title, last message, unread count and mute (by member)",
}
# The kinds pages share: a page that shows a little of everything (an organisation's, a profile) keys on all.
# Members' own kinds and the private conversations' (only ever bumped per object) are not among them.
CONTENT_KINDS = tuple(kind for kind in KINDS if kind not in ("forums.reads", "core.notifications",
                                                               "chat.conversation", "chat.unread",
                                                               "chat.list"))

PREFIX = "gen:"

Kind = str | tuple[str, object]


def _generation_key(kind: str, obj_id: object = None) -> str:
    if kind not in KINDS:
        raise ValueError(f"Unknown cache kind {kind!r}; add it to core.versions.KINDS.")
    return f"{PREFIX}{kind}" if obj_id is None else f"{PREFIX}{kind}:{obj_id}"


def _increment(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not cached (never bumped, evicted, or the cache is unreachable): start afresh
        cache.set(key, time.time_ns(), timeout=None)


# Bumps of each kind made by this process so far: what a request read once (core.memberfacts) is read again after
# one of its kinds is bumped.
_bumped: Counter[str] = Counter()


def bumped(kinds: Iterable[str]) -> tuple[int, ...]:
    """How many bumps of each of `kinds` this process has made: a value read earlier in a request from them is
    stale if this changed."""
    return tuple(_bumped[kind] for kind in kinds)


def bump(kind: str, obj_id: object = None) -> None:
    """Mark every cached value built from `kind` (or from the one object `obj_id` of it) as stale."""
    key = _generation_key(kind, obj_id)
    _bumped[kind] += 1
    _increment(key)
    transaction.on_commit(lambda: _increment(key))


def bump_each(kind: str | tuple[str, ...], obj_ids: Iterable[object]) -> None:
    """bump(kind, obj_id) for each of `obj_ids` in one round trip (a notification to many members): each gets a
    new generation from the clock, which no generation it had before can equal. `kind` may name several kinds,
    each bumped for every object in the same round trip (a new message: each member's badge and list)."""
    kinds = (kind,) if isinstance(kind, str) else kind
    ids = list(dict.fromkeys(obj_ids))
    keys = [_generation_key(each, obj_id) for each in kinds for obj_id in ids]
    if not keys:
        return

    for each in kinds:
        _bumped[each] += 1

    def renew() -> None:
        now = time.time_ns()
        cache.set_many(dict.fromkeys(keys, now), timeout=None)

    renew()
    transaction.on_commit(renew)


def bumps(*kinds: str, of: str | None = None) -> Callable[[F], F]:
    """Decorate a service: once it returns (it changed something; a refusal raises), bump each kind. With
    `of`, bump the object passed as that keyword argument instead (`of="user"`: that member's generation)."""
    for kind in kinds:
        _generation_key(kind)  # a misspelt kind fails at import, not at the first write

    def decorate(service: F) -> F:
        @wraps(service)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = service(*args, **kwargs)
            obj_id = kwargs[of].pk if of is not None else None
            for kind in kinds:
                bump(kind, obj_id)
            return result

        wrapper.bumps = kinds  # type: ignore[attr-defined]  # tests/core/test_services_bump.py reads it
        return wrapper  # type: ignore[return-value]

    return decorate


def _keys(kinds: Iterable[Kind]) -> list[str]:
    return [_generation_key(*k) if isinstance(k, tuple) else _generation_key(k) for k in kinds]


def generations(kinds: Iterable[Kind]) -> list[int]:
    """The current generation of each kind (or (kind, id)), in order; one cache round trip for all."""
    keys = _keys(kinds)
    if not keys:
        return []
    return _complete(keys, cache.get_many(keys))


def cached_with_generations(cache_key: str, kinds: Iterable[Kind]) -> tuple[list[int], Any]:
    """The current generations of `kinds` and the value under `cache_key`, in one round trip.

    For a value stored as `(generations, ...)` under a key without them: it is current if its generations are
    these. A rendered page is looked up so (core/pagecache.py): one round trip instead of two, and a new
    rendering replaces the stale one instead of adding to it."""
    generations_now, found = many_with_generations([cache_key], kinds)
    return generations_now, found.get(cache_key)


def many_with_generations(cache_keys: list[str], kinds: Iterable[Kind]) -> tuple[list[int], dict[str, Any]]:
    """The current generations of `kinds` and what is kept under each of `cache_keys`, in one round trip: the
    rows of a list looked up together ({% card … in list %}, core/templatetags/cards.py; core.fragments.kept_rows)."""
    keys = _keys(kinds)
    found = cache.get_many([*cache_keys, *keys])
    return _complete(keys, found), {key: found[key] for key in cache_keys if key in found}


def _complete(keys: list[str], found: dict) -> list[int]:
    """The generations under `keys`, creating those `found` lacks."""
    missing = {key: time.time_ns() for key in keys if key not in found}
    for key, value in missing.items():
        # add() keeps a generation another process set in between; read it back to agree with that process.
        if not cache.add(key, value, timeout=None):
            missing[key] = cache.get(key, value)
    return [found.get(key, missing.get(key)) for key in keys]


def kept(cache_key: str, kinds: Iterable[Kind], make: Callable[[], Any], *, timeout: int | None = None) -> Any:
    """The value kept under `cache_key` while no generation of `kinds` changed, in one round trip; else `make()`,
    kept for next time (`timeout` seconds, CACHE_SECONDS). With CACHE_RENDERED off, always `make()`."""
    if not settings.CACHE_RENDERED:
        return make()
    generations_now, stored = cached_with_generations(cache_key, kinds)
    if stored is not None and stored[0] == generations_now:
        return stored[1]
    value = make()
    cache.set(cache_key, (generations_now, value), timeout=settings.CACHE_SECONDS if timeout is None else timeout)
    return value


def found_together(wanted: Iterable[tuple[str, Iterable[Kind]]]) -> list[tuple[list[int], Any]]:
    """For each `(cache_key, kinds)`: the current generations of its kinds and what is kept under its key (None),
    all in one cache round trip (a page's sections, its cards, the values it reads first)."""
    wanted = [(cache_key, list(kinds)) for cache_key, kinds in wanted]
    all_kinds = list(dict.fromkeys(kind for _key, kinds in wanted for kind in kinds))
    generations_now, found = many_with_generations([cache_key for cache_key, _kinds in wanted], all_kinds)
    generation_of = dict(zip(all_kinds, generations_now, strict=True))
    return [([generation_of[kind] for kind in kinds], found.get(cache_key)) for cache_key, kinds in wanted]


def kept_together(*wanted: tuple[str, Iterable[Kind], Callable[[], Any]]) -> list[Any]:
    """kept() for several values at once, each `(cache_key, kinds, make)`: looked up in one round trip
    (found_together), `make()` called for each value not kept (in order), and those written in one more. With
    CACHE_RENDERED off, every `make()`."""
    if not settings.CACHE_RENDERED:
        return [make() for _key, _kinds, make in wanted]
    values, made = [], {}
    for (cache_key, _kinds, make), (generations_now, stored) in zip(
            wanted, found_together((cache_key, kinds) for cache_key, kinds, _make in wanted), strict=True):
        if stored is not None and stored[0] == generations_now:
            values.append(stored[1])
            continue
        value = make()
        made[cache_key] = (generations_now, value)
        values.append(value)
    if made:
        cache.set_many(made, timeout=settings.CACHE_SECONDS)
    return values


def key(name: str, *, kinds: Iterable[Kind], lang: str | None = None, parts: Iterable[object] = ()) -> str:
    """A cache key for a value named `name`, built from `kinds`, in language `lang`, for the given `parts`
    (filters, a page number, a viewer's audience, a time zone...): hashed, so any text may go in."""
    # The generations are hashed with the parts: a page of nine kinds would otherwise pass memcached's 250 bytes.
    digest = hashlib.blake2b(repr((generations(kinds), list(parts))).encode(), digest_size=16).hexdigest()
    return f"v:{name}:{lang or '-'}:{digest}"


def cached(cache_key: str, make: Callable[[], Any], *, timeout: int | None = None) -> Any:
    """The value under `cache_key`; on a miss `make()` builds it and it is kept `timeout` seconds (CACHE_SECONDS).
    With CACHE_RENDERED off (tests whose data bypasses the services), always `make()`."""
    if not settings.CACHE_RENDERED:
        return make()
    value = cache.get(cache_key)
    if value is None:
        value = make()
        cache.set(cache_key, value, timeout=settings.CACHE_SECONDS if timeout is None else timeout)
    return value
