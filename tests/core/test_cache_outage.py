"""With Redis unreachable the cache degrades to misses and dropped writes: the HTTP site keeps working."""

import logging
import socket

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from core import cache as resilient
from core.ratelimit import Rate, RateLimited, consume
from tests import factories

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A local port nobody listens on: bound for a moment by us, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
    return caches["default"]


def test_reads_miss_and_writes_are_dropped_when_redis_is_unreachable(redis_down, caplog):
    with caplog.at_level(logging.ERROR, logger="core.cache"):
        assert redis_down.get("greeting", "fallback") == "fallback"
    assert "Redis cache unreachable" in caplog.text
    redis_down.set("greeting", "hello")
    assert redis_down.get("greeting") is None
    assert redis_down.get_many(["a", "b"]) == {}
    assert redis_down.has_key("greeting") is False
    assert redis_down.set_many({"a": 1}) == ["a"]
    assert redis_down.delete("greeting") is False
    assert redis_down.get_or_set("computed", lambda: 42) == 42
    # `add` succeeds so that allauth's cache lock and TOTP replay check let the request through.
    assert redis_down.add("lock", True) is True
    with pytest.raises(ValueError, match="Key not found"):
        redis_down.incr("counter")


def test_after_a_failure_redis_is_left_alone_until_the_back_off_has_passed(redis_down, monkeypatch):
    calls = []
    real_get = redis_down._cache.get
    monkeypatch.setattr(redis_down._cache, "get", lambda *args: calls.append(args) or real_get(*args))
    now = [1000.0]
    monkeypatch.setattr(resilient.time, "monotonic", lambda: now[0])

    redis_down.get("k")
    redis_down.get("k")
    assert len(calls) == 1

    now[0] += resilient.RETRY_AFTER + 1
    redis_down.get("k")
    assert len(calls) == 2


@pytest.fixture
def fresh_local_limits():
    resilient.local_limits.clear()
    yield resilient.local_limits
    resilient.local_limits.clear()


def test_rate_limits_are_counted_in_the_process_while_redis_is_unreachable(redis_down, fresh_local_limits):
    consume(action="posts", key=1, rate=Rate(limit=1, period=60))
    with pytest.raises(RateLimited):
        consume(action="posts", key=1, rate=Rate(limit=1, period=60))
    consume(action="posts", key=2, rate=Rate(limit=1, period=60))
    # Only limits go to the process's memory: other writes are still dropped.
    redis_down.set("greeting", "hello")
    assert redis_down.get("greeting") is None


def test_log_in_brute_force_is_refused_while_redis_is_unreachable(redis_down, fresh_local_limits, client):
    factories.UserFactory(email="ada@example.org")
    answers = [client.post(reverse("account_login"), {"login": "ada@example.org", "password": f"guess {n}"})
               for n in range(6)]
    assert all(b"Too many failed login attempts" not in a.content for a in answers[:5])
    assert b"Too many failed login attempts" in answers[5].content, "guessing went on while Redis was down"
    # The right password is refused too until the limit passes: the guesser learns nothing.
    right = client.post(reverse("account_login"), {"login": "ada@example.org", "password": factories.PASSWORD})
    assert b"Too many failed login attempts" in right.content


def test_visitors_and_members_use_the_site_while_redis_is_unreachable(redis_down, client):
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("account_signup")).status_code == 200

    factories.UserFactory(email="ada@example.org")
    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": factories.PASSWORD})
    assert response["Location"] == reverse("accounts:dashboard")
    # The session lives in the database when the cache is gone, so the next request is still logged in.
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user.email == "ada@example.org"


@pytest.mark.redis
def test_with_redis_up_the_cache_stores_and_counts(settings):
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.ResilientRedisCache"
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"
    assert cache.add("counter", 1) is True
    assert cache.incr("counter") == 2
