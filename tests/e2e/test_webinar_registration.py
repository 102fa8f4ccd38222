"""Journey: an NGO member registers for a webinar and downloads its .ics; a second member is waitlisted;
the organiser cancels the confirmed registrant and the waitlisted member is promoted and sees it."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from events import services
from events.models import Event
from tests import factories
from tests.e2e.conftest import log_in
from tests.events.factories import organiser_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_is_promoted_from_the_waitlist_when_the_organiser_cancels_a_seat(new_page, tmp_path):
    ngo = factories.OrganisationFactory(name="Welcome Bridges e.V.", slug="welcome-bridges")
    organiser = organiser_for(ngo, email="olga@example.org", full_name="Olga Organiser")
    lukas = factories.UserFactory(email="lukas@example.org", full_name="Lukas Becker", timezone="Europe/Berlin")
    factories.MembershipFactory(user=lukas, organisation=ngo)
    factories.UserFactory(email="priya@example.org", full_name="Priya Nair", timezone="Asia/Kolkata")
    starts = (timezone.now() + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    webinar = services.create_event(
        actor=organiser, organisations=[ngo], kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE,
        title="Welcoming Newcomers into the Job Market", starts_at=starts, ends_at=starts + timedelta(hours=1),
        timezone_name="Europe/Berlin", capacity=1, join_url="https://meet.example.org/job-market")
    services.publish_event(actor=organiser, event=webinar)

    member = new_page(timezone_id="Europe/Berlin")
    log_in(member, "lukas@example.org", factories.PASSWORD)
    member.goto("/events/")
    member.get_by_role("link", name="Welcoming Newcomers into the Job Market").click()
    member.get_by_role("button", name="Register").click()
    member.get_by_text("Your seat is confirmed.").first.wait_for()
    member.get_by_test_id("join-link").wait_for()
    with member.expect_download() as download_info:
        member.get_by_test_id("download-ics").click()
    saved = tmp_path / "webinar.ics"
    download_info.value.save_as(saved)
    vevent = icalendar.Calendar.from_ical(saved.read_bytes()).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Welcoming Newcomers into the Job Market"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"

    waiting = new_page(timezone_id="Asia/Kolkata")
    log_in(waiting, "priya@example.org", factories.PASSWORD)
    waiting.goto(webinar.get_absolute_url())
    waiting.get_by_role("button", name="Register").click()
    waiting.get_by_text("You are on the waitlist (number 1).").wait_for()
    assert waiting.get_by_test_id("join-link").count() == 0

    organiser_page = new_page()
    log_in(organiser_page, "olga@example.org", factories.PASSWORD)
    organiser_page.goto(webinar.get_absolute_url())
    organiser_page.get_by_role("link", name="Registrations (1 confirmed)").click()
    organiser_page.get_by_role("button", name="Cancel the registration of Lukas Becker").click()
    organiser_page.get_by_text("Lukas Becker: cancelled.").wait_for()

    waiting.goto("/notifications/")
    waiting.get_by_role("button", name="A seat freed up: your registration for “Welcoming Newcomers into the Job "
                                       "Market” is confirmed").click()
    waiting.get_by_text("Your seat is confirmed.").first.wait_for()
    waiting.get_by_test_id("join-link").wait_for()
    # Priya sees the time in her own zone, labelled.
    waiting.get_by_text("your time: IST, UTC+5:30, Asia/Kolkata").wait_for()

    member.reload()
    member.get_by_role("button", name="Register").wait_for()
    assert member.get_by_test_id("join-link").count() == 0
    assert member.js_errors == [] and waiting.js_errors == [] and organiser_page.js_errors == []
