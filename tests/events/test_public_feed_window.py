"""The public iCal feed holds a bounded window, so its size does not grow with the events: the next
FEED_UPCOMING_EVENTS upcoming events in start order and up to FEED_PAST_EVENTS of those ended in the last
FEED_PAST_DAYS days (events/selectors.py), chosen after the list's filters; the events page says so."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events import selectors
from events.models import Event
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

FEED = reverse("events:feed")


@pytest.fixture
def small_window(monkeypatch):
    monkeypatch.setattr(selectors, "FEED_UPCOMING_EVENTS", 3)
    monkeypatch.setattr(selectors, "FEED_PAST_EVENTS", 2)


def _summaries(client, url: str = FEED) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]


def _days(n: float):
    return (timezone.now() + timedelta(days=n)).replace(second=0, microsecond=0)


def test_the_feed_holds_the_next_upcoming_events_in_start_order_and_leaves_out_the_one_after(client, small_window):
    for day in (9, 2, 5, 7):  # created out of order: the window follows the start, not the creation
        make_event(title=f"In {day} days", starts_at=_days(day))
    assert _summaries(client) == ["In 2 days", "In 5 days", "In 7 days"]


def test_an_event_under_way_is_upcoming_until_it_ends(client, small_window):
    make_event(title="Under way", starts_at=_days(-0.05), hours=4)
    assert _summaries(client) == ["Under way"]


def test_the_feed_holds_the_latest_recent_past_events_and_leaves_out_older_ones(client, small_window):
    for day in (-1, -3, -6):
        make_event(title=f"{-day} days ago", starts_at=_days(day))
    make_event(title="Long gone", starts_at=_days(-(selectors.FEED_PAST_DAYS + 2)))
    make_event(title="Tomorrow", starts_at=_days(1))
    assert _summaries(client) == ["3 days ago", "1 days ago", "Tomorrow"]


def test_filters_choose_within_the_window(client, small_window):
    for day in (1, 2, 3):
        make_event(title=f"Roundtable {day}", starts_at=_days(day))
    make_event(title="Webinar far ahead", kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="",
               starts_at=_days(40))
    make_event(title="Webinar for members", kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="",
               starts_at=_days(4), visibility=Event.Visibility.MEMBERS)
    assert _summaries(client, FEED + "?kind=webinar") == ["Webinar far ahead"]
    assert _summaries(client, FEED + "?kind=roundtable") == ["Roundtable 1", "Roundtable 2", "Roundtable 3"]


def test_the_events_page_says_what_the_feed_holds(client):
    page = client.get(reverse("events:list")).content.decode()
    assert (f"The feed holds the next {selectors.FEED_UPCOMING_EVENTS} events in these filters and up to "
            f"{selectors.FEED_PAST_EVENTS} of the last {selectors.FEED_PAST_DAYS} days.") in page
