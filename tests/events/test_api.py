"""The events API: list with the page's filters, detail, register and cancel through the same services,
an event's registrations for those who run it."""

import pytest
from django.urls import reverse

from events import services
from events.models import Event, Registration
from tests import factories
from tests.errors import error_fields, error_of
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


def test_a_visitor_lists_public_upcoming_events_with_filters(client):
    make_event(title="Room talk")
    make_event(title="Online talk", kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="")
    make_event(title="Members only", visibility=Event.Visibility.MEMBERS)
    titles = {e["title"] for e in client.get("/api/events/").json()["results"]}
    assert titles == {"Room talk", "Online talk"}
    titles = {e["title"] for e in client.get("/api/events/?kind=webinar").json()["results"]}
    assert titles == {"Online talk"}


def test_a_bad_filter_answers_400_naming_the_field(client):
    response = client.get("/api/events/?kind=party")
    assert "kind" in error_fields(response)


def test_the_detail_has_programme_and_speakers_but_no_join_link_for_a_visitor(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, join_url="https://meet.example.org/x")
    services.add_speaker(actor=organiser, event=event, name="Ana Rossi")
    body = client.get(reverse("api-event", args=[event.slug])).json()
    assert body["speakers"][0]["name"] == "Ana Rossi" and body["join_url"] is None
    assert body["my_registration"] is None and body["uid"] == str(event.uid)


def test_a_member_registers_and_cancels_by_api_with_the_same_rules(client, member):
    event = make_event(capacity=1)
    services.register_for_event(user=factories.UserFactory(), event=event)
    client.force_login(member)
    url = reverse("api-event-registration", args=[event.slug])
    response = client.post(url)
    assert response.status_code == 201 and response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1
    again = client.post(url)
    assert "already registered" in error_of(again, 400)["message"]
    assert client.get(url).json()["status"] == "waitlisted"
    assert client.delete(url).json()["status"] == "cancelled"
    assert client.delete(url).status_code == 400


def test_a_visitor_cannot_register_by_api(client):
    event = make_event()
    assert client.post(reverse("api-event-registration", args=[event.slug])).status_code in (401, 403)
    assert not Registration.objects.exists()


def test_a_draft_is_not_found_by_api(client, member):
    draft = make_event(publish=False)
    client.force_login(member)
    assert client.get(reverse("api-event", args=[draft.slug])).status_code == 404
    assert client.post(reverse("api-event-registration", args=[draft.slug])).status_code == 404


def test_the_organiser_lists_the_registrations_in_queue_order(client, member, outsider):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=1)
    services.register_for_event(user=member, event=event)
    services.register_for_event(user=outsider, event=event)
    url = reverse("api-event-registrations", args=[event.slug])
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(organiser)
    rows = client.get(url).json()["results"]
    assert [(r["member"], r["status"]) for r in rows] == [(member.full_name, "confirmed"),
                                                           (outsider.full_name, "waitlisted")]


def test_past_events_by_api(client):
    from datetime import timedelta

    from django.utils import timezone

    make_event(title="Gone", starts_at=timezone.now() - timedelta(days=3))
    assert [e["title"] for e in client.get("/api/events/?when=past").json()["results"]] == ["Gone"]


def test_the_schema_documents_the_events_endpoints(client, member):
    client.force_login(member)
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/events/", "/api/events/{slug}/", "/api/events/{slug}/registration/",
                 "/api/events/{slug}/registrations/"):
        assert path in schema
