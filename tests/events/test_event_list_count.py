"""The event list keeps its count as /api/events/ does (core.drf.VersionedCountPaginator with a period): until an
event changes and per minute, since the upcoming list moves with the clock. A second request counts nothing, a new
event shows in the next page's count for visitors and members alike, and an event that ends leaves the upcoming
list, and joins the past one, in the next minute."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import drf, versions
from core.models import PolicyArea
from events import services
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

URL = reverse("events:list")


def _list(browser: Client, **params) -> tuple[str, int]:
    """The list's HTML, and how many times the request counted events."""
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(URL, params)
    assert response.status_code == 200
    counted = sum(1 for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith("SELECT COUNT(") and '"events_event"' in q["sql"])
    return response.content.decode(), counted


def _rows(html: str) -> int:
    return html.count('data-testid="event-row"')


def test_the_count_is_kept_and_a_new_event_shows_in_the_next_page_for_visitors_and_members(member):
    organiser = organiser_for(factories.OrganisationFactory())
    first, *_others = [make_event(organiser=organiser, title=f"Roundtable {i}") for i in range(20)]
    visitor, browser = Client(), Client()
    browser.force_login(member)
    for client in (visitor, browser):
        html, counted = _list(client)
        assert _rows(html) == 20 and "Page 1 of" not in html and counted == 1
    html, counted = _list(browser)
    assert _rows(html) == 20 and counted == 0
    make_event(organiser=organiser, title="Roundtable 20")
    for client in (visitor, browser):
        html, counted = _list(client)
        assert "Page 1 of 2" in html and counted == 1
        assert _rows(_list(client, page=2)[0]) == 1
    services.cancel_event(actor=organiser, event=first)  # a cancelled event stays listed, as cancelled
    assert "Page 1 of 2" in _list(browser)[0]


def test_an_event_that_ends_leaves_the_list_and_joins_the_past_one_in_the_next_minute(member, monkeypatch):
    make_event(title="Under way", starts_at=timezone.now() - timedelta(hours=1), hours=1.5)
    make_event(title="Next week", starts_at=timezone.now() + timedelta(days=7))
    browser = Client()
    browser.force_login(member)
    html = _list(browser)[0]
    assert "Under way" in html and "Next week" in html
    assert "Under way" not in _list(browser, when="past")[0]
    later = time.time() + 3600
    monkeypatch.setattr(drf.time, "time", lambda: later)
    html, counted = _list(browser)
    assert "Under way" not in html and "Next week" in html and counted == 1
    assert "Under way" in _list(browser, when="past")[0]


def test_an_event_under_way_published_after_the_list_was_read_shows_in_the_next_page(member):
    """The list's index walk begins at the earliest start of an event not ended, kept for the minute until an
    event changes: an event that started an hour ago, published now, is listed at once."""
    make_event(title="Next week", starts_at=timezone.now() + timedelta(days=7))
    browser = Client()
    browser.force_login(member)
    assert "Next week" in _list(browser)[0]
    make_event(title="Under way", starts_at=timezone.now() - timedelta(hours=1), hours=3)
    html = _list(browser)[0]
    assert html.index("Under way") < html.index("Next week")


def test_a_new_policy_area_shows_in_the_lists_filter_and_is_accepted_on_the_next_request(member):
    """The filter's policy areas are kept per language until the taxonomy changes (events.forms._area_choices)."""
    make_event(title="Next week")
    browser, visitor = Client(), Client()
    browser.force_login(member)
    for client, language in ((browser, "en"), (visitor, "en"), (visitor, "fr")):
        html = client.get(URL, {"area": "intercultural"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'value="intercultural"' not in html and "Next week" in html  # an unknown area is ignored
    PolicyArea.objects.create(code="intercultural", name="Intercultural dialogue", position=9)
    versions.bump("core.taxonomy")  # as the admin does (core.admin.BumpsVersionsAdmin)
    for client, language in ((browser, "en"), (visitor, "en"), (visitor, "fr")):
        html = client.get(URL, {"area": "intercultural"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'value="intercultural" selected' in html and "Next week" not in html
    assert visitor.get("/api/events/", {"area": "intercultural"}).json()["count"] == 0
