"""A member's organisation page keeps its head as a card (templates/accounts/organisation_detail.html): the name,
kind, place, taxonomy, website and description, its taxonomy read only when the card is rendered afresh. An edit
shows on the next request in every language; the buttons around it stay each viewer's own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from core.models import PolicyArea, Topic
from tests import factories
from tests.cached_pages import browser as _browser
from tests.cached_pages import page as _page
from tests.cached_pages import seen as _seen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Welcome Bridges", city="Utrecht")


@pytest.fixture
def admin_(organisation):
    user = factories.UserFactory(full_name="Amina Haddad")
    factories.MembershipFactory(user=user, organisation=organisation, role="admin")
    return user


def test_an_edited_profile_shows_at_once_on_a_members_page(member, admin_, organisation):
    browser, url = _browser(member), organisation.get_absolute_url()
    _page(browser, url), _page(browser, url, "fr")
    area = PolicyArea.objects.get(code="socio-economic")
    topic = Topic.objects.filter(area=area).first()
    services.update_organisation(actor=admin_, organisation=organisation, name="Welcome Bridges Utrecht",
                                 city="Ghent", website="https://bridges.example.org",
                                 description="We pair **newcomers** with neighbours.",
                                 policy_areas=[area], topics=[topic])
    assert _seen(browser, url, "<h1>Welcome Bridges Utrecht</h1>")
    assert _seen(browser, url, "Ghent")
    assert _seen(browser, url, "https://bridges.example.org")
    assert _seen(browser, url, "<strong>newcomers</strong>")
    assert _seen(browser, url, 'class="tag area-socio-economic"')
    assert all(f'<li class="tag">{topic.name}</li>' in _page(browser, url) for _ in range(2))  # named in English


def test_an_organisation_no_longer_verified_says_so_at_once_to_its_members(member, admin_, organisation, staff):
    browser, url = _browser(admin_), organisation.get_absolute_url()
    _page(browser, url), _page(browser, url, "fr")
    services.set_organisation_verified(actor=staff, organisation=organisation, verified=False)
    assert all("not yet verified by staff" in _page(browser, url) for _ in range(2))


def test_the_buttons_around_the_kept_head_are_each_viewers_own(member, admin_, organisation):
    url = organisation.get_absolute_url()
    member_of = factories.UserFactory()
    factories.MembershipFactory(user=member_of, organisation=organisation, role="member")
    edit = reverse("accounts:organisation-edit", args=[organisation.slug])
    for _ in range(2):  # the second time from the cache
        admin_page, member_page, other_page = (_page(_browser(user), url) for user in (admin_, member_of, member))
        assert edit in admin_page and "You are a member (Administrator)" in admin_page
        assert edit not in member_page and "You are a member (Member)" in member_page
        assert edit not in other_page and "Ask to join" in other_page


def test_a_kept_head_reads_no_taxonomy(member, organisation):
    browser, url = _browser(member), organisation.get_absolute_url()
    _page(browser, url)
    with CaptureQueriesContext(connection) as queries:
        _page(browser, url)
    assert not [q for q in queries.captured_queries if "core_policyarea" in q["sql"] or "core_topic" in q["sql"]]
