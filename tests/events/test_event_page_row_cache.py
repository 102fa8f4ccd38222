"""A member's event page keeps its own row (events.selectors.event_for_detail_page) per member until the event, the
member's rights or calendar feeds change: the seats another member takes, a question the organisers add, a role
that makes the member an organiser and a calendar feed they make each show on the next request, and one member's
row is never another's."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts
from events import services
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Welcome Bridges")


@pytest.fixture
def event(organisation):
    return make_event(organiser=organiser_for(organisation), organisation=organisation, capacity=10)


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _page(browser: Client, event) -> tuple[str, int]:
    """The page, and how many times the request read the event's own row."""
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), sum(1 for q in queries.captured_queries
                                          if q["sql"].startswith('SELECT "events_event"."id"'))


def test_the_row_is_kept_and_seats_taken_by_another_member_show_on_the_next_request(member, event):
    browser = _browser(member)
    html, reads = _page(browser, event)
    assert "10 of 10 seats left" in html and reads == 1
    html, reads = _page(browser, event)
    assert "10 of 10 seats left" in html and reads == 0
    services.register_for_event(user=factories.UserFactory(), event=event)
    assert "9 of 10 seats left" in _page(browser, event)[0]


def test_a_question_the_organisers_add_shows_on_the_next_request(member, event):
    browser = _browser(member)
    assert 'data-testid="register-link"' not in _page(browser, event)[0]
    organiser = event.organisations.first().memberships.get(role="organiser").user
    services.add_question(actor=organiser, event=event, kind="short_text", label="Your city?")
    assert 'data-testid="register-link"' in _page(browser, event)[0]


def test_a_member_made_organiser_runs_the_event_on_the_next_request(member, organisation, event):
    admin = factories.UserFactory()
    factories.MembershipFactory(user=admin, organisation=organisation, role="admin")
    browser, edit = _browser(member), reverse("events:edit", args=[event.slug])
    assert edit not in _page(browser, event)[0]
    joining = accounts.request_membership(user=member, organisation=organisation)
    accounts.approve_membership(actor=admin, organisation=organisation, membership_id=joining.pk)
    assert edit not in _page(browser, event)[0]
    accounts.change_member_role(actor=admin, organisation=organisation, membership_id=joining.pk, role="organiser")
    assert edit in _page(browser, event)[0]
    assert edit not in _page(_browser(factories.UserFactory()), event)[0]  # another member's row is their own


def test_a_calendar_feed_the_member_makes_shows_on_the_next_request(member, event):
    browser = _browser(member)
    assert "Get a <a" in _page(browser, event)[0]
    services.regenerate_feed_token(user=member)
    html = _page(browser, event)[0]
    assert "Get a <a" not in html and "holds every event you register for" in html
    assert "Get a <a" in _page(_browser(factories.UserFactory()), event)[0]
