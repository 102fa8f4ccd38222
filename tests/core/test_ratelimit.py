import warnings

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning

from core import ratelimit
from core.ratelimit import Rate, RateLimited, consume


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, set by the test: starts at the beginning of a minute."""
    now = [1_800_000_000.0 - 1_800_000_000.0 % 60]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    return now


def _allowed(rate: Rate, attempts: int, key: int = 1) -> int:
    allowed = 0
    for _ in range(attempts):
        try:
            consume(action="messages", key=key, rate=rate)
            allowed += 1
        except RateLimited:
            pass
    return allowed


def test_a_burst_across_a_minute_boundary_does_not_get_the_limit_twice(clock):
    """The attack: spend the limit at the end of one minute and again at the start of the next."""
    rate = Rate(limit=30, period=60)
    clock[0] += 59.0
    assert _allowed(rate, 30) == 30
    clock[0] += 1.5  # the next minute has begun
    got_through = _allowed(rate, 30)
    clock[0] += 6.3  # 7.8 s after the first burst
    got_through += _allowed(rate, 30)
    assert got_through <= 4, f"{30 + got_through} messages in 7.8 s against 30 a minute"


def test_the_limit_comes_back_as_the_window_slides(clock):
    rate = Rate(limit=30, period=60)
    assert _allowed(rate, 30) == 30
    with pytest.raises(RateLimited) as refused:
        consume(action="messages", key=1, rate=rate)
    clock[0] += refused.value.retry_after
    consume(action="messages", key=1, rate=rate)  # told when to come back, it gets through then
    clock[0] += 120
    assert _allowed(rate, 40) == 30


def test_a_steady_sender_under_the_limit_is_never_refused(clock):
    rate = Rate(limit=30, period=60)
    for _ in range(200):  # 24 a minute, for 8 minutes
        consume(action="messages", key=1, rate=rate)
        clock[0] += 2.5


def test_a_refused_attempt_is_not_counted(clock):
    rate = Rate(limit=10, period=60)
    assert _allowed(rate, 100) == 10
    clock[0] += 90  # half of the first minute still lies in the last sixty seconds
    assert _allowed(rate, 10) == 5


def test_every_limit_of_the_platform_uses_the_sliding_limiter():
    from chat import services as chat
    from directory import api as directory_api
    from directory import views as directory_views
    from events import services as events
    from expertise import api as expertise_api
    from forums import services as forums

    for module in (chat, events, forums):
        assert module.consume is ratelimit.consume
    # Practices, replications, resources and requests for support count through core's one posting table.
    for module in (directory_api, directory_views, expertise_api):
        assert module.check_posting_rate is ratelimit.check_posting_rate


def test_the_limit_allows_up_to_its_count_then_refuses_with_what_to_wait():
    rate = Rate(limit=3, period=60)
    for _ in range(3):
        consume(action="posts", key=1, rate=rate)
    with pytest.raises(RateLimited) as refused:
        consume(action="posts", key=1, rate=rate)
    assert "3 per minute" in str(refused.value)
    assert 0 < refused.value.retry_after <= 2 * 60  # the window slides over two minutes


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
