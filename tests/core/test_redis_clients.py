"""The Redis cache keeps one client per connection pool (core.cache.ReusedClients) instead of a new one a call."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.redis


def test_the_cache_reuses_its_redis_client_and_still_works():
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.set("reused", 1)
    cache.incr("reused")
    assert cache.get_many(["reused", "absent"]) == {"reused": 2}


def test_keys_are_not_checked_for_memcached_character_by_character():
    """Django's check reads every character of every key, on every call; Redis takes any key."""
    import warnings

    key = "v:page:a key with spaces and é:" + "x" * 300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.set(key, 1)
        assert cache.get_many([key]) == {key: 1}
