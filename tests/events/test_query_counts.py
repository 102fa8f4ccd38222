"""Event lists, the calendar, feeds and the organiser's lists keep a constant query count as rows grow."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import PolicyArea
from events import services
from events.models import Event
from tests import factories
from tests.events.factories import make_event, organiser_for
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def _add_events(**fields):
    areas = list(PolicyArea.objects.all())

    def add(n: int) -> None:
        for _ in range(n):
            event = make_event(policy_areas=areas, capacity=5, **fields)
            if event.starts_at > timezone.now():
                services.register_for_event(user=factories.UserFactory(), event=event)
    return add


@pytest.mark.parametrize("url", ["/events/", "/events/?when=past", "/events/?kind=roundtable&area=cultural",
                                 "/events/feed.ics", "/api/events/", "/", "/events/calendar/"])
def test_event_lists_and_the_public_feed_do_not_grow_in_queries(client, member, url):
    client.force_login(member)
    starts = timezone.now() + timedelta(days=2) if "past" not in url else timezone.now() - timedelta(days=5)
    assert_queries_do_not_grow(client, url, _add_events(starts_at=starts))


def test_the_organisation_page_lists_its_events_in_constant_queries(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    assert_queries_do_not_grow(client, organisation.get_absolute_url(), lambda n: [
        make_event(organiser=organiser, organisation=organisation) for _ in range(n)])


def test_the_personal_feed_and_dashboard_do_not_grow_in_queries(client, member):
    token = services.regenerate_feed_token(user=member)

    def register(n: int) -> None:
        for _ in range(n):
            services.register_for_event(user=member, event=make_event(policy_areas=PolicyArea.objects.all()))
    assert_queries_do_not_grow(client, token.get_absolute_url(), register)
    client.force_login(member)
    assert_queries_do_not_grow(client, reverse("accounts:dashboard"), register)


def test_the_organisers_registration_lists_do_not_grow_in_queries(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=3, requires_approval=True)

    def register(n: int) -> None:
        for _ in range(n):
            member = factories.UserFactory()
            factories.MembershipFactory(user=member)
            services.register_for_event(user=member, event=event)
    client.force_login(organiser)
    for url in (reverse("events:registrations", args=[event.slug]),
                reverse("events:registrations-csv", args=[event.slug]),
                reverse("api-event-registrations", args=[event.slug])):
        assert_queries_do_not_grow(client, url, register)


def test_the_members_only_list_for_a_member_does_not_grow(client, member):
    client.force_login(member)
    assert_queries_do_not_grow(client, "/events/", _add_events(visibility=Event.Visibility.MEMBERS))
