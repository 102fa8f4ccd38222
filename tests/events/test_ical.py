"""Every .ics the project serves parses with icalendar, keeps its UID across edits while SEQUENCE rises,
carries TZID with its VTIMEZONE, keeps cancelled events as CANCELLED and answers conditional requests."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events import ical, services
from events.models import Event
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


def _vevents(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def _organised_event(**fields):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    return organiser, make_event(organiser=organiser, organisation=organisation, **fields)


def test_the_event_file_keeps_its_uid_while_the_sequence_rises_with_each_edit(client):
    organiser, event = _organised_event()
    first = _vevents(client.get(reverse("events:ics", args=[event.slug])))[0]
    services.update_event(actor=organiser, event=event, title="The Inter-Ethnic City, revisited")
    second = _vevents(client.get(reverse("events:ics", args=[event.slug])))[0]
    services.update_event(actor=organiser, event=event, starts_at=event.starts_at + timedelta(hours=1),
                          ends_at=event.ends_at + timedelta(hours=1))
    third = _vevents(client.get(reverse("events:ics", args=[event.slug])))[0]
    assert str(first["UID"]) == str(second["UID"]) == str(third["UID"])
    assert first["SEQUENCE"] < second["SEQUENCE"] < third["SEQUENCE"]
    assert str(second["SUMMARY"]) == "The Inter-Ethnic City, revisited"


def test_a_change_no_calendar_shows_keeps_the_sequence(client):
    organiser, event = _organised_event()
    services.update_event(actor=organiser, event=event, capacity=40)
    assert Event.objects.get(pk=event.pk).sequence == event.sequence


def test_every_vevent_carries_the_required_properties_in_the_venue_zone(client):
    _, event = _organised_event(description="**Bold** and [a link](https://example.org)")
    vevent = _vevents(client.get(reverse("events:ics", args=[event.slug])))[0]
    for name in ("UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "URL",
                 "ORGANIZER", "STATUS"):
        assert name in vevent, name
    assert vevent["DTSTART"].params["TZID"] == "America/New_York"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert "<" not in str(vevent["DESCRIPTION"]) and "Bold and a link" in str(vevent["DESCRIPTION"])
    assert str(vevent["STATUS"]) == "CONFIRMED"
    calendar = icalendar.Calendar.from_ical(client.get(reverse("events:ics", args=[event.slug])).content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert "mailto:" not in str(vevent["ORGANIZER"])


def test_categories_come_from_the_policy_areas(client):
    from core.models import PolicyArea

    _, event = _organised_event(policy_areas=PolicyArea.objects.filter(code__in=["cultural", "socio-economic"]))
    vevent = _vevents(client.get(reverse("events:ics", args=[event.slug])))[0]
    assert set(vevent["CATEGORIES"].cats) == {"Cultural integration", "Socio-economic integration"}


def test_a_cancelled_event_stays_in_the_public_feed_as_cancelled_with_a_higher_sequence(client):
    organiser, event = _organised_event()
    before = _vevents(client.get(reverse("events:feed")))[0]
    services.cancel_event(actor=organiser, event=event)
    after = _vevents(client.get(reverse("events:feed")))[0]
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["STATUS"]) == "CANCELLED" and after["SEQUENCE"] > before["SEQUENCE"]


def test_the_public_feed_holds_public_published_events_of_its_window(client):
    recent = make_event(title="Recent past", starts_at=timezone.now() - timedelta(days=20))
    make_event(title="Long gone", starts_at=timezone.now() - timedelta(days=120))
    make_event(title="For members", visibility=Event.Visibility.MEMBERS)
    make_event(title="Still a draft", publish=False)
    summaries = {str(v["SUMMARY"]) for v in _vevents(client.get(reverse("events:feed")))}
    assert summaries == {recent.title}


def test_the_public_feed_takes_the_lists_filters(client):
    make_event(title="In person")
    make_event(title="Online", kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="")
    summaries = {str(v["SUMMARY"]) for v in _vevents(client.get(reverse("events:feed") + "?kind=webinar"))}
    assert summaries == {"Online"}


@pytest.mark.parametrize("url_name", ["events:feed", "events:ics"])
def test_feeds_answer_conditional_requests_with_304(client, url_name):
    _, event = _organised_event()
    url = reverse(url_name, args=[event.slug] if url_name == "events:ics" else [])
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304


def test_a_changed_feed_answers_200_to_an_old_etag(client):
    organiser, event = _organised_event()
    etag = client.get(reverse("events:feed"))["ETag"]
    services.update_event(actor=organiser, event=event, title="Renamed")
    assert client.get(reverse("events:feed"), headers={"if-none-match": etag}).status_code == 200


def test_the_personal_feed_holds_the_members_registrations_with_state_and_join_links_for_confirmed_seats(client):
    webinar = make_event(title="Webinar", kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="",
                         join_url="https://meet.example.org/secret-room", capacity=1)
    full = make_event(title="Full roundtable", capacity=1)
    member = factories.UserFactory()
    services.register_for_event(user=member, event=webinar)
    services.register_for_event(user=factories.UserFactory(), event=full)
    services.register_for_event(user=member, event=full)
    token = services.regenerate_feed_token(user=member)
    vevents = {str(v["UID"]): v for v in _vevents(client.get(token.get_absolute_url()))}
    assert len(vevents) == 2
    by_title = {str(v["SUMMARY"]): v for v in vevents.values()}
    assert "https://meet.example.org/secret-room" in str(by_title["Webinar"]["DESCRIPTION"])
    assert "[On the waitlist] Full roundtable" in by_title


def test_join_links_never_appear_in_the_public_files(client):
    webinar = make_event(kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="",
                         join_url="https://meet.example.org/secret-room")
    services.register_for_event(user=factories.UserFactory(), event=webinar)
    for url in (reverse("events:feed"), reverse("events:ics", args=[webinar.slug])):
        assert b"secret-room" not in client.get(url).content


def test_a_waitlisted_member_gets_no_join_link_in_their_feed(client):
    webinar = make_event(kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="", capacity=1,
                         join_url="https://meet.example.org/secret-room")
    services.register_for_event(user=factories.UserFactory(), event=webinar)
    waiting = factories.UserFactory()
    services.register_for_event(user=waiting, event=webinar)
    token = services.regenerate_feed_token(user=waiting)
    assert b"secret-room" not in client.get(token.get_absolute_url()).content


def test_a_revoked_or_replaced_feed_token_answers_404(client):
    member = factories.UserFactory()
    old = services.regenerate_feed_token(user=member)
    assert client.get(old.get_absolute_url()).status_code == 200
    new = services.regenerate_feed_token(user=member)
    assert client.get(old.get_absolute_url()).status_code == 404
    assert client.get(new.get_absolute_url()).status_code == 200
    services.revoke_feed_token(user=member)
    assert client.get(new.get_absolute_url()).status_code == 404


def test_the_member_manages_their_feed_from_their_page(client, member):
    client.force_login(member)
    client.post(reverse("events:feed-token"), {"action": "regenerate"})
    page = client.get(reverse("accounts:dashboard")).content.decode()
    token = member.event_feed_token.token
    assert f"webcal://testserver/events/feed/{token}.ics" in page
    assert f"http://testserver/events/feed/{token}.ics" in page
    client.post(reverse("events:feed-token"), {"action": "revoke"})
    assert client.get(f"/events/feed/{token}.ics").status_code == 404


def test_the_list_offers_webcal_and_https_subscriptions_with_its_filters(client):
    page = client.get(reverse("events:list") + "?kind=webinar").content.decode()
    assert "webcal://testserver/events/feed.ics?kind=webinar" in page
    assert "http://testserver/events/feed.ics?kind=webinar" in page


def test_a_draft_has_no_calendar_file_and_a_members_only_one_refuses_visitors(client, member):
    draft = make_event(publish=False)
    assert client.get(reverse("events:ics", args=[draft.slug])).status_code == 404
    closed = make_event(visibility=Event.Visibility.MEMBERS)
    assert client.get(reverse("events:ics", args=[closed.slug])).status_code in (302, 403)
    client.force_login(member)
    _vevents(client.get(reverse("events:ics", args=[closed.slug])))


def test_feeds_list_their_time_zones_in_a_fixed_order_so_every_worker_gives_the_same_etag(client):
    # icalendar finds the zones in set order, which differs between processes (hash seeds).
    zones = ["Europe/Vienna", "America/New_York", "Asia/Amman", "Europe/Lisbon", "Asia/Tokyo"]
    for zone in zones:
        make_event(title=f"In {zone}", timezone_name=zone)
    body = client.get(reverse("events:feed")).content
    assert [str(z["TZID"]) for z in icalendar.Calendar.from_ical(body).walk("VTIMEZONE")] == sorted(zones)


def test_a_zones_vtimezone_is_worked_out_once_for_feeds_over_the_same_dates(client, monkeypatch):
    worked_out = []
    from_tzid = icalendar.Timezone.from_tzid
    monkeypatch.setattr(icalendar.Timezone, "from_tzid",
                        lambda tzid, **span: worked_out.append(tzid) or from_tzid(tzid, **span))
    ical._vtimezone.cache_clear()
    for zone in ("Europe/Vienna", "Asia/Tokyo"):
        make_event(title=f"In {zone}", timezone_name=zone)
    first, again = (client.get(reverse("events:feed")).content for _ in range(2))  # built twice: cache off
    assert first == again and sorted(worked_out) == ["Asia/Tokyo", "Europe/Vienna"]
