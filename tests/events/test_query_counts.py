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


def test_the_check_in_desk_exports_and_organisers_view_do_not_grow_in_queries(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    question = services.add_question(actor=organiser, event=event, kind="choice", label="Language",
                                     choices=["English", "French"])

    def register(n: int) -> None:
        for _ in range(n):
            member = factories.UserFactory()
            factories.MembershipFactory(user=member)
            registration = services.register_for_event(user=member, event=event, answers={question.pk: "French"})
            services.check_in(actor=organiser, event=event, registration_id=registration.pk, method="list")
    client.force_login(organiser)
    for url in (reverse("events:check-in-desk", args=[event.slug]),
                reverse("events:registrations-csv", args=[event.slug]),
                reverse("events:registrations-xlsx", args=[event.slug]),
                reverse("events:dashboard", args=[event.slug]),
                reverse("api-event-registrations", args=[event.slug])):
        assert_queries_do_not_grow(client, url, register)


def test_the_timetable_does_not_grow_in_queries(client, member):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, hours=8)
    services.register_for_event(user=member, event=event)
    speaker = services.add_speaker(actor=organiser, event=event, name="Amina Haddad")
    rooms = ["Room A", "Room B", "Room C"]

    def add_sessions(n: int) -> None:
        for index in range(n):
            count = event.programme.count()
            item = services.add_programme_item(
                actor=organiser, event=event, starts_at=event.starts_at + timedelta(minutes=20 * (count // 3)),
                ends_at=event.starts_at + timedelta(minutes=20 * (count // 3) + 20), room=rooms[count % 3],
                title=f"Session {count}", speakers=[speaker])
            if index % 2:
                services.set_session_interest(user=member, event=event, item_id=item.pk, interested=True)
    client.force_login(member)
    client.get(event.get_absolute_url())  # the first page view fills Django's content-type cache
    assert_queries_do_not_grow(client, event.get_absolute_url(), add_sessions)
    client.force_login(organiser)
    assert_queries_do_not_grow(client, reverse("events:dashboard", args=[event.slug]), add_sessions)
