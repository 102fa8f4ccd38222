"""/api/events/ keeps each event's item (core/fragments.py, kept_rows): an edit, a registration or an organiser's
new name shows in the next answer, in every language and time zone, and members-only events stay members'."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from events import services
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


def _items(client: Client, language: str = "en") -> dict[str, dict]:
    response = client.get(reverse("api-events"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return {item["slug"]: item for item in response.json()["results"]}


def _each_time(client: Client, check) -> bool:
    """True in English and French, each asked twice so the second answer comes from the cache."""
    return all(check(_items(client, language)) for language in ("en", "fr") for _ in range(2))


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Welcome Bridges")


@pytest.fixture
def organiser(organisation):
    return organiser_for(organisation)


def test_an_edit_and_a_registration_show_in_the_next_answer(client, member, organiser, organisation):
    event = make_event(organiser=organiser, organisation=organisation, title="Roundtable on housing", capacity=10)
    _items(client), _items(client, "fr")
    services.update_event(actor=organiser, event=event, title="Roundtable on housing, online")
    assert _each_time(client, lambda items: items[event.slug]["title"] == "Roundtable on housing, online")
    services.register_for_event(user=member, event=event)
    assert _each_time(client, lambda items: items[event.slug]["confirmed_count"] == 1)


def test_an_organisers_new_name_shows_in_the_next_answer(client, organiser, organisation):
    admin = factories.UserFactory()
    factories.MembershipFactory(user=admin, organisation=organisation, role="admin")
    event = make_event(organiser=organiser, organisation=organisation)
    _items(client), _items(client, "fr")
    accounts_services.update_organisation(actor=admin, organisation=organisation, name="Welcome Bridges Network")
    assert _each_time(client, lambda items: items[event.slug]["organisations"][0]["name"] == "Welcome Bridges Network")


def test_times_follow_each_members_time_zone_and_members_only_events_stay_members(client, organiser, organisation):
    event = make_event(organiser=organiser, organisation=organisation, visibility="members")
    starts = {}
    for zone in ("Asia/Tokyo", "America/Lima"):
        browser = Client()
        browser.force_login(factories.UserFactory(timezone=zone))
        _items(browser)
        starts[zone] = _items(browser)[event.slug]["starts_at"]
    assert starts["Asia/Tokyo"] != starts["America/Lima"]
    assert event.slug not in _items(client) and event.slug not in _items(client)
