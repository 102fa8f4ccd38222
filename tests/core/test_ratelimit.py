import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning

from core.ratelimit import Rate, RateLimited, consume


def test_the_limit_allows_up_to_its_count_then_refuses_with_what_to_wait():
    rate = Rate(limit=3, period=60)
    for _ in range(3):
        consume(action="posts", key=1, rate=rate)
    with pytest.raises(RateLimited) as refused:
        consume(action="posts", key=1, rate=rate)
    assert "3 per minute" in str(refused.value)
    assert 0 < refused.value.retry_after <= 60


def test_limits_are_counted_per_member_and_per_action():
    rate = Rate(limit=1, period=60)
    consume(action="posts", key=1, rate=rate)
    consume(action="posts", key=2, rate=rate)
    consume(action="messages", key=1, rate=rate)


def test_an_action_name_with_spaces_is_counted_without_cache_key_warnings():
    rate = Rate(limit=1, period=60)
    with warnings.catch_warnings():
        # Memcached and Redis reject keys that local memory only warns about: no warning may pass.
        warnings.simplefilter("error", CacheKeyWarning)
        consume(action="forum posts", key="member 7", rate=rate)
        with pytest.raises(RateLimited):
            consume(action="forum posts", key="member 7", rate=rate)
