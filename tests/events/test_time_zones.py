"""Times are stored in UTC with the venue's zone; pages show venue time and the viewer's own, labelled."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.forms import EventForm
from events.timezones import NonexistentLocalTime, local_to_utc
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def test_a_registration_before_the_dst_change_shows_the_event_at_its_summer_time(client,
                                                                                 django_capture_on_commit_callbacks):
    # Registered on 1 March 2027 (New York on EST, UTC−5; Vienna on CET, UTC+1). The roundtable is on
    # 20 March at 9:00 New York time, after the US moved to EDT (UTC−4) on 14 March and before Europe
    # moves on 28 March: 13:00 UTC, 14:00 in Vienna — not the 15:00 that a fixed offset would give.
    starts = datetime(2027, 3, 20, 9, 0, tzinfo=NEW_YORK)
    registered = datetime(2027, 3, 1, 12, 0, tzinfo=ZoneInfo("UTC"))
    with mock.patch("django.utils.timezone.now", return_value=registered):
        event = make_event(starts_at=starts, hours=4, timezone_name="America/New_York")
        member = factories.UserFactory(timezone="Europe/Vienna")
        with django_capture_on_commit_callbacks(execute=True):
            services.register_for_event(user=member, event=event)
    assert event.starts_at == datetime(2027, 3, 20, 13, 0, tzinfo=ZoneInfo("UTC"))

    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Sat 20 March 2027, 09:00–13:00" in page and "EDT, UTC−4, America/New York" in page
    assert "Sat 20 March 2027, 14:00–18:00" in page and "your time: CET, UTC+1, Europe/Vienna" in page

    body = mail.outbox[0].body
    assert "Saturday, 20 March 2027, 09:00–13:00 EDT (local time, America/New_York)" in body
    assert "Saturday, 20 March 2027, 14:00–18:00 CET (your time, Europe/Vienna)" in body

    vevent = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert vevent["DTSTART"].to_ical() == b"20270320T090000"
    assert vevent["DTSTART"].params["TZID"] == "America/New_York"


def test_a_visitor_sees_venue_time_and_utc(client):
    event = make_event(starts_at=datetime(2027, 7, 1, 9, 0, tzinfo=NEW_YORK), timezone_name="America/New_York")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "09:00–11:00" in page and "13:00–15:00" in page and "(UTC)" in page and "UTC: UTC" not in page


def test_a_viewer_in_the_venues_zone_sees_one_time(client):
    event = make_event(starts_at=datetime(2027, 7, 1, 9, 0, tzinfo=NEW_YORK), timezone_name="America/New_York")
    client.force_login(factories.UserFactory(timezone="America/New_York"))
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'data-testid="viewer-time"' not in page


def test_the_form_reads_times_on_the_venues_clock(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    form = EventForm({"kind": "roundtable", "title": "Room 8", "organisations": [organisation.pk],
                      "timezone": "America/New_York", "starts_local": "2027-03-20T09:00",
                      "ends_local": "2027-03-20T13:00", "format": "in_person", "venue": "Conference Room 8",
                      "visibility": "public", "registration_scope": "verified", "waitlist_enabled": "on"},
                     user=organiser)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime(2027, 3, 20, 13, 0, tzinfo=ZoneInfo("UTC"))


def test_a_time_skipped_by_the_clock_change_is_refused_on_its_field():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    form = EventForm({"kind": "webinar", "title": "Night owls", "organisations": [organisation.pk],
                      "timezone": "America/New_York", "starts_local": "2027-03-14T02:30",
                      "ends_local": "2027-03-14T04:00", "format": "online", "visibility": "public",
                      "registration_scope": "verified"}, user=organiser)
    assert not form.is_valid()
    assert "does not exist in America/New_York" in form.errors["starts_local"][0]


def test_an_ambiguous_autumn_time_is_read_as_its_first_occurrence():
    first = local_to_utc(datetime(2027, 11, 7, 1, 30), "America/New_York")
    assert first == datetime(2027, 11, 7, 5, 30, tzinfo=ZoneInfo("UTC"))
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(datetime(2027, 3, 28, 2, 30), "Europe/Vienna")


def test_the_calendar_shows_days_in_the_viewers_zone(client):
    # 22:00 in New York on 1 July is already 2 July in Tokyo.
    event = make_event(starts_at=datetime(2027, 7, 1, 22, 0, tzinfo=NEW_YORK), hours=1, title="Evening session")
    client.force_login(factories.UserFactory(timezone="Asia/Tokyo"))
    with mock.patch("django.utils.timezone.now", return_value=datetime(2027, 6, 1, tzinfo=ZoneInfo("UTC"))):
        page = client.get(reverse("events:calendar") + "?month=2027-07").content.decode()
    cell = page.split(event.title)[0].rsplit('<span class="day-number">', 1)[1]
    assert cell.startswith("2<")
    assert timezone.localtime(event.starts_at, ZoneInfo("Asia/Tokyo")).day == 2


def test_a_visitor_sees_times_in_the_zone_their_browser_reported_and_is_told_so(client):
    event = make_event(starts_at=datetime(2027, 7, 1, 9, 0, tzinfo=NEW_YORK), timezone_name="America/New_York")
    client.cookies["tz"] = "Asia/Kolkata"
    response = client.get(event.get_absolute_url())
    page = response.content.decode()
    assert "18:30–20:30" in page and "your browser's time: IST, UTC+5:30, Asia/Kolkata" in page
    assert "Cookie" in response["Vary"]
    calendar = client.get(reverse("events:calendar") + "?month=2027-07").content.decode()
    assert "Days and times in your browser's time zone (Asia/Kolkata)." in calendar


@pytest.mark.parametrize("cookie", ["Mars/Olympus", "../../etc/passwd", "", "UTC\x00"])
def test_a_zone_cookie_that_is_no_zone_leaves_the_visitor_in_utc(client, cookie):
    event = make_event(starts_at=datetime(2027, 7, 1, 9, 0, tzinfo=NEW_YORK), timezone_name="America/New_York")
    client.cookies["tz"] = cookie
    page = client.get(event.get_absolute_url()).content.decode()
    assert "13:00–15:00" in page and "(UTC)" in page
    assert "Days and times in UTC." in client.get(reverse("events:calendar")).content.decode()


def test_a_members_own_zone_wins_over_the_browsers(client):
    event = make_event(starts_at=datetime(2027, 7, 1, 9, 0, tzinfo=NEW_YORK), timezone_name="America/New_York")
    client.force_login(factories.UserFactory(timezone="Europe/Vienna"))
    client.cookies["tz"] = "Asia/Kolkata"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "your time: CEST, UTC+2, Europe/Vienna" in page
    calendar = client.get(reverse("events:calendar")).content.decode()
    assert "Days and times in your time zone (Europe/Vienna)." in calendar


def test_a_french_reader_sees_the_event_times_and_the_calendar_in_french_formats(client):
    event = make_event(starts_at=datetime(2027, 3, 20, 9, 0, tzinfo=NEW_YORK), hours=4,
                       timezone_name="America/New_York")
    client.force_login(factories.UserFactory(timezone="Europe/Vienna", language="fr"))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "sam 20 mars 2027, 09:00–13:00" in page and "sam 20 mars 2027, 14:00–18:00" in page
    assert "Sat 20 March" not in page
    calendar = client.get(reverse("events:calendar"), {"month": "2027-03"}).content.decode()
    assert "mars 2027" in calendar and ">lun<" in calendar and ">Mon<" not in calendar
