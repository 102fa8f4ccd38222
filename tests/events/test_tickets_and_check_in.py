"""Tickets, the QR check-in address only organisers can use, the check-in desk by name, double check-in,
logged undo, and webinar attendance through the join-link redirect."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import AttendanceLog, Registration
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticketed(django_capture_on_commit_callbacks):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    attendee = factories.UserFactory(full_name="Amina Haddad", timezone="Asia/Tokyo")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register_for_event(user=attendee, event=event)
    return organiser, event, attendee, registration


def test_the_confirmation_mail_links_to_the_ticket(ticketed):
    _, event, attendee, _registration = ticketed
    body = next(m.body for m in mail.outbox if attendee.email in m.to)
    assert reverse("events:ticket", args=[event.slug]) in body


def test_the_ticket_shows_the_person_both_times_the_place_and_a_server_drawn_qr_code(client, ticketed):
    _, event, attendee, registration = ticketed
    client.force_login(attendee)
    page = client.get(reverse("events:ticket", args=[event.slug])).content.decode()
    assert "Amina Haddad" in page and event.venue in page
    assert "America/New_York" in page or "New York" in page  # the venue's zone
    assert "Tokyo" in page or "your time" in page.lower()
    assert "<svg" in page and "<script" not in page.split("<main")[-1].split("</main>")[0]
    check_in = reverse("events:check-in", args=[event.slug, registration.ticket_code])
    assert registration.ticket_code in check_in and "http" not in page.split("<svg", 1)[1].split("</svg>")[0].split(
        "xmlns")[0]


def test_only_the_confirmed_registrant_has_a_ticket(client, ticketed, member):
    organiser, event, _attendee, _ = ticketed
    url = reverse("events:ticket", args=[event.slug])
    assert client.get(url).status_code == 302  # a visitor is asked to log in
    for someone in (member, organiser):
        client.force_login(someone)
        assert client.get(url).status_code == 403


def test_the_qr_address_checks_in_with_one_tap_for_organisers_and_refuses_everyone_else(client, ticketed, member):
    organiser, event, attendee, registration = ticketed
    url = reverse("events:check-in", args=[event.slug, registration.ticket_code])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    other_organiser = organiser_for(factories.OrganisationFactory())
    for someone in (member, attendee, other_organiser):
        client.force_login(someone)
        assert client.get(url).status_code == 403 and client.post(url).status_code == 403
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None
    client.force_login(organiser)
    page = client.get(url).content.decode()
    assert "Amina Haddad" in page and 'data-testid="check-in-button"' in page
    response = client.post(url)
    assert "Checked in." in response.content.decode()
    first = Registration.objects.get(pk=registration.pk).checked_in_at
    assert first is not None


def test_a_second_check_in_says_so_and_changes_nothing(client, ticketed):
    organiser, event, _attendee, registration = ticketed
    client.force_login(organiser)
    url = reverse("events:check-in", args=[event.slug, registration.ticket_code])
    client.post(url)
    first = Registration.objects.get(pk=registration.pk).checked_in_at
    response = client.post(url)
    assert "Already checked in" in response.content.decode() and "nothing changed" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at == first
    assert AttendanceLog.objects.filter(registration=registration, action="check_in").count() == 1
    _, changed = services.check_in(actor=organiser, event=event, registration_id=registration.pk, method="list")
    assert changed is False


def test_a_wrong_or_foreign_ticket_is_not_found(client, ticketed):
    organiser, event, _attendee, _registration = ticketed
    other = make_event(organiser=organiser)
    stranger = services.register_for_event(user=factories.UserFactory(), event=other)
    client.force_login(organiser)
    assert client.get(reverse("events:check-in", args=[event.slug, "not-a-ticket"])).status_code == 404
    assert client.get(reverse("events:check-in", args=[event.slug, stranger.ticket_code])).status_code == 404


def test_the_desk_finds_by_name_checks_in_and_undo_is_logged(client, ticketed):
    organiser, event, _attendee, registration = ticketed
    services.register_for_event(user=factories.UserFactory(full_name="Tomás García"), event=event)
    client.force_login(organiser)
    desk = reverse("events:check-in-desk", args=[event.slug])
    page = client.get(desk, {"q": "haddad"}).content.decode()
    assert "Amina Haddad" in page and "Tomás García" not in page
    client.post(desk, {"registration": registration.pk, "action": "check_in", "q": "haddad"})
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
    response = client.post(desk, {"registration": registration.pk, "action": "check_in"}, follow=True)
    assert "already checked in" in response.content.decode()
    client.post(desk, {"registration": registration.pk, "action": "undo"})
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None
    log = list(AttendanceLog.objects.filter(registration=registration).values_list("action", "method", "actor"))
    assert log == [("check_in", "list", organiser.pk), ("undo", "list", organiser.pk)]
    response = client.post(desk, {"registration": "x"}, follow=True)
    assert response.status_code == 200 and "Choose a registrant." in response.content.decode()


def test_the_desk_is_for_organisers_only(client, ticketed, member):
    _, event, attendee, registration = ticketed
    desk = reverse("events:check-in-desk", args=[event.slug])
    for someone in (member, attendee):
        client.force_login(someone)
        assert client.get(desk).status_code == 403
        assert client.post(desk, {"registration": registration.pk}).status_code == 403
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_a_waitlisted_registrant_cannot_be_checked_in(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=1)
    services.register_for_event(user=factories.UserFactory(), event=event)
    waiting = services.register_for_event(user=factories.UserFactory(), event=event)
    client.force_login(organiser)
    response = client.post(reverse("events:check-in", args=[event.slug, waiting.ticket_code]))
    assert "Not confirmed" in response.content.decode()
    assert Registration.objects.get(pk=waiting.pk).checked_in_at is None


def test_opening_the_join_link_during_a_webinar_counts_as_attending(client, member):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    starts = timezone.now() + timedelta(minutes=10)
    webinar = make_event(organiser=organiser, organisation=organisation, kind="webinar", format="online", venue="",
                         join_url="https://meet.example.org/room", starts_at=starts)
    registration = services.register_for_event(user=member, event=webinar)
    client.force_login(member)
    response = client.get(reverse("events:join", args=[webinar.slug]))
    assert response.status_code == 302 and response["Location"] == "https://meet.example.org/room"
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert AttendanceLog.objects.get(registration=registration).method == "join_link"


def test_opening_the_join_link_days_before_does_not_count(member):
    webinar = make_event(kind="webinar", format="online", venue="", join_url="https://meet.example.org/room")
    registration = services.register_for_event(user=member, event=webinar)
    assert services.open_join_link(user=member, event=webinar) == "https://meet.example.org/room"
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_ticket_without_venue_or_city_names_the_country_without_a_dangling_comma(client, ticketed):
    _, event, attendee, _registration = ticketed
    type(event).objects.filter(pk=event.pk).update(venue="", city="")
    client.force_login(attendee)
    page = client.get(reverse("events:ticket", args=[event.slug])).content.decode()
    assert '<p data-testid="ticket-place">United States of America</p>' in page
    assert ", United States" not in page
