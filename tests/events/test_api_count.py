"""/api/events/ keeps its count (core.drf.Pagination, count_kinds) until an event changes and per minute, since
the upcoming list moves with the clock: a second request counts nothing, a new event shows in the next count
for visitors and members alike, and an event that ends leaves the count in the next minute."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import drf
from events import services
from events.models import Event
from tests.events.factories import make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


def _count(client, **params) -> tuple[int, int]:
    """The list's count, and how many COUNT queries the request made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/events/", params)
    assert response.status_code == 200
    counted = sum(1 for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT COUNT("))
    return response.json()["count"], counted


def test_the_count_is_kept_and_a_new_event_shows_in_the_next_count_for_visitors_and_members(client, member):
    event = make_event(title="Roundtable on housing")
    organiser = event.organisations.first().memberships.get(role="organiser").user
    assert _count(client) == (1, 1)
    assert _count(client) == (1, 0)
    client.force_login(member)
    assert _count(client) == (1, 1)
    assert _count(client) == (1, 0)
    make_event(organiser=organiser, title="Webinar for members", visibility=Event.Visibility.MEMBERS)
    assert _count(client)[0] == 2
    client.logout()
    assert _count(client)[0] == 1
    make_event(organiser=organiser, title="Open webinar", kind=Event.Kind.WEBINAR)
    assert _count(client)[0] == 2
    assert _count(client, kind="webinar")[0] == 1
    services.cancel_event(actor=organiser, event=event)  # a cancelled event stays listed, as cancelled
    assert _count(client)[0] == 2


def test_an_event_that_ends_leaves_the_count_in_the_next_minute(client, monkeypatch):
    make_event(title="Under way", starts_at=timezone.now() - timedelta(hours=1), hours=1.5)
    make_event(title="Next week", starts_at=timezone.now() + timedelta(days=7))
    assert _count(client)[0] == 2
    later = time.time() + 3600
    monkeypatch.setattr(drf.time, "time", lambda: later)
    assert _count(client) == (1, 1)
    assert [item["title"] for item in client.get("/api/events/").json()["results"]] == ["Next week"]


def test_an_event_under_way_published_after_the_list_was_read_shows_in_the_next_answer(client):
    """The list's index walk begins at the earliest start of an event not ended, kept for the minute until an
    event changes: an event that started an hour ago, published now, is listed at once."""
    make_event(title="Next week", starts_at=timezone.now() + timedelta(days=7))
    assert _count(client)[0] == 1
    make_event(title="Under way", starts_at=timezone.now() - timedelta(hours=1), hours=3)
    assert _count(client)[0] == 2
    assert [item["title"] for item in client.get("/api/events/").json()["results"]] == ["Under way", "Next week"]
