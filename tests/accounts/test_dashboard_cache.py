"""The dashboard keeps the member's organisations ({% card %}, per member and language, until organisations,
memberships or join requests change: accounts.organisation) and their calendar address (a section kept per member
until an address is made, replaced or revoked: events.feed). Each change shows on the next request, in the
member's language, and the forms carry each member's own token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts import services as accounts
from accounts.models import Membership
from events import services as events
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

URL = reverse("accounts:dashboard")


def _page(browser: Client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(URL)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def _organisations(html: str) -> str:
    return html.split('data-testid="my-organisations"', 1)[1].split("</ul>", 1)[0]


def _browser(user, **options) -> Client:
    browser = Client(**options)
    browser.force_login(user)
    return browser


def test_the_members_organisations_are_kept_and_each_change_shows_on_the_next_request():
    founder = factories.UserFactory()
    browser = _browser(founder)
    assert "You do not belong to an organisation yet" in _page(browser)[0]
    organisation = accounts.found_organisation(founder=founder, name="Ville de Lyon", kind="municipality", country="FR")
    html, sql = _page(browser)
    assert "Ville de Lyon" in _organisations(html)
    html, sql = _page(browser)
    assert "Ville de Lyon" in _organisations(html)
    assert not any('FROM "accounts_membership"' in q for q in sql)  # kept: neither memberships nor requests read
    applicant = factories.UserFactory()
    request = accounts.request_membership(user=applicant, organisation=organisation)
    assert '<span class="badge">1</span>' in _organisations(_page(browser)[0])
    applying = _browser(applicant)
    assert "awaiting approval" in _organisations(_page(applying)[0])
    accounts.approve_membership(actor=founder, organisation=organisation, membership_id=request.pk)
    assert '<span class="badge">' not in _organisations(_page(browser)[0])
    assert "awaiting approval" not in _organisations(_page(applying)[0])
    accounts.update_organisation(actor=founder, organisation=organisation, name="Métropole de Lyon")
    assert "Métropole de Lyon" in _organisations(_page(applying)[0])


def test_the_organisations_read_in_the_members_language_after_a_switch():
    founder = factories.UserFactory()
    accounts.found_organisation(founder=founder, name="Ville de Lyon", kind="municipality", country="FR")
    browser = _browser(founder)
    assert str(Membership.Role.ADMIN.label) in _organisations(_page(browser)[0])
    accounts.set_language(user=founder, language="fr")
    with translation.override("fr"):
        french = str(Membership.Role.ADMIN.label)
    assert french != str(Membership.Role.ADMIN.label)
    assert french in _organisations(_page(browser)[0])


def test_each_member_sees_their_own_organisations(member):
    founder = factories.UserFactory()
    accounts.found_organisation(founder=founder, name="Ville de Lyon", kind="municipality", country="FR")
    mine, theirs = _browser(member), _browser(founder)
    for _ in range(2):
        assert "Ville de Lyon" not in _organisations(_page(mine)[0])
        assert "Ville de Lyon" in _organisations(_page(theirs)[0])


def _feed(html: str) -> str:
    """The calendar address's block: up to the end of its last form (or of its text, without an address)."""
    block = html.split('data-testid="my-calendar-feed"', 1)[1]
    return block[:block.rindex("</form>", 0, block.index("</section>"))]


def test_the_calendar_address_is_kept_and_made_replaced_or_revoked_shows_on_the_next_request(member):
    browser = _browser(member, enforce_csrf_checks=True)
    assert "Create my calendar feed" in _feed(_page(browser)[0])
    sql = _page(browser)[1]
    assert not any('FROM "events_feedtoken"' in q for q in sql)
    first = events.regenerate_feed_token(user=member)
    assert first.token in _feed(_page(browser)[0])
    second = events.regenerate_feed_token(user=member)
    feed = _feed(_page(browser)[0])
    assert second.token in feed and first.token not in feed
    # The kept forms post with the member's own token.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', feed).group(1)
    response = browser.post(reverse("events:feed-token"), {"action": "revoke", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    feed = _feed(_page(browser)[0])
    assert second.token not in feed and "Create my calendar feed" in feed


def test_each_member_sees_their_own_calendar_address(member):
    other = factories.UserFactory()
    mine = events.regenerate_feed_token(user=member)
    theirs = events.regenerate_feed_token(user=other)
    for _ in range(2):
        feed = _feed(_page(_browser(member))[0])
        assert mine.token in feed and theirs.token not in feed
        feed = _feed(_page(_browser(other))[0])
        assert theirs.token in feed and mine.token not in feed
