"""Versioned cache keys: a generation per kind of content (or per object), bumped by the services that change it.

A cached value's key carries the generations of every kind it was built from, so a write never deletes
anything: it bumps its kind's generation and the next read builds a new key, while the old entries age out.

    versions.bump("directory.practice")                  # in the service that changed a practice
    versions.key("facets:practices", kinds=["directory.practice"], lang="fr", parts=[filters])

Services bump, never signals (ARCHITECTURE.md, Caching). A bump happens at once, so the rest of the
request sees it, and again when the transaction commits: a reader that built a value from the old rows
between the two bumps cached it under a generation nobody asks for after the commit.

A generation starts from the clock in nanoseconds, not from 1: if the cache loses it (eviction, a Redis
restart), the new one cannot equal an old one whose entries are still cached.
"""

import hashlib
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

PREFIX = "gen:"


def _generation_key(kind: str, obj_id: object = None) -> str:
    return f"{PREFIX}{kind}" if obj_id is None else f"{PREFIX}{kind}:{obj_id}"


def _increment(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not cached (never bumped, evicted, or the cache is unreachable): start afresh
        cache.set(key, time.time_ns(), timeout=None)


def bump(kind: str, obj_id: object = None) -> None:
    """Mark every cached value built from `kind` (or from the one object `obj_id` of it) as stale."""
    key = _generation_key(kind, obj_id)
    _increment(key)
    transaction.on_commit(lambda: _increment(key))


def generations(kinds: Iterable[str | tuple[str, object]]) -> list[int]:
    """The current generation of each kind (or (kind, id)), in order; one cache round trip for all."""
    keys = [_generation_key(*k) if isinstance(k, tuple) else _generation_key(k) for k in kinds]
    found = cache.get_many(keys)
    missing = {key: time.time_ns() for key in keys if key not in found}
    for key, value in missing.items():
        # add() keeps a generation another process set in between; read it back to agree with that process.
        if not cache.add(key, value, timeout=None):
            missing[key] = cache.get(key, value)
    return [found.get(key, missing.get(key)) for key in keys]


def key(name: str, *, kinds: Iterable[str | tuple[str, object]], lang: str | None = None,
        parts: Iterable[object] = ()) -> str:
    """A cache key for a value named `name`, built from `kinds`, in language `lang`, for the given `parts`
    (filters, a page number...): the parts are hashed, so any text may go in."""
    gens = ".".join(str(g) for g in generations(kinds))
    digest = hashlib.blake2b(repr(list(parts)).encode(), digest_size=12).hexdigest()
    return f"v:{name}:{lang or '-'}:{gens}:{digest}"
