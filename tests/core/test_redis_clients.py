"""The Redis cache keeps one client per connection pool (core.cache.ReusedClients) instead of a new one a call."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.redis


def test_the_cache_reuses_its_redis_client_and_still_works():
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.set("reused", 1)
    cache.incr("reused")
    assert cache.get_many(["reused", "absent"]) == {"reused": 2}
