"""The event pages as each kind of visitor sees them: lists, calendar, the event page, registering by form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


def test_the_event_page_shows_programme_speakers_and_a_register_button_to_a_member(client, member):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    speaker = services.add_speaker(actor=organiser, event=event, name="Ana Rossi", role="Mayor",
                                   organisation_name="City of Turin")
    services.add_programme_item(actor=organiser, event=event, starts_at=event.starts_at, title="Opening remarks",
                                speakers=[speaker])
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Opening remarks" in page and "Ana Rossi" in page and "City of Turin" in page
    assert reverse("events:register", args=[event.slug]) in page


def test_registering_by_the_form_confirms_and_the_page_says_so(client, member):
    event = make_event(capacity=3)
    client.force_login(member)
    response = client.post(reverse("events:register", args=[event.slug]), follow=True)
    assert "Your seat is confirmed." in response.content.decode()
    response = client.post(reverse("events:cancel-registration", args=[event.slug]), follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert Registration.objects.get(user=member).status == "cancelled"


def test_a_refused_registration_is_explained_on_the_page(client, member):
    event = make_event(capacity=1, waitlist_enabled=False)
    services.register_for_event(user=factories.UserFactory(), event=event)
    client.force_login(member)
    response = client.post(reverse("events:register", args=[event.slug]), follow=True)
    assert "full and has no waitlist" in response.content.decode()


def test_a_waitlisted_member_sees_their_place_in_line(client, member):
    event = make_event(capacity=1)
    services.register_for_event(user=factories.UserFactory(), event=event)
    services.register_for_event(user=factories.UserFactory(), event=event)
    services.register_for_event(user=member, event=event)
    client.force_login(member)
    assert "on the waitlist (number 2)" in client.get(event.get_absolute_url()).content.decode()


def test_lists_separate_upcoming_from_past_and_hide_drafts(client):
    upcoming = make_event(title="Coming up")
    past = make_event(title="Long ago", starts_at=timezone.now() - timedelta(days=30))
    make_event(title="Secret draft", publish=False)
    page = client.get(reverse("events:list")).content.decode()
    assert upcoming.title in page and past.title not in page and "Secret draft" not in page
    page = client.get(reverse("events:list") + "?when=past").content.decode()
    assert past.title in page and upcoming.title not in page


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("kind=webinar", "Online talk", "Room talk"),
    ("format=online", "Online talk", "Room talk"),
    ("format=in_person", "Room talk", "Online talk"),
    ("country=DE", "Online talk", "Room talk"),
    ("q=talk+room", "Room talk", "Online talk"),
    ("area=cultural", "Online talk", "Room talk"),
])
def test_the_list_filters(client, query, shown, hidden):
    from core.models import PolicyArea

    make_event(title="Room talk", country="US")
    make_event(title="Online talk", kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="", country="DE",
               policy_areas=[PolicyArea.objects.get(code="cultural")])
    page = client.get(reverse("events:list") + "?" + query).content.decode()
    assert shown in page and hidden not in page


def test_a_search_finds_an_event_by_its_organisers_name_but_not_by_their_description(client):
    organisation = factories.OrganisationFactory(name="Welcome Bridges Foundation",
                                                 description="Mentoring for refugee entrepreneurs.")
    make_event(title="Theirs", organisation=organisation, organiser=organiser_for(organisation))
    make_event(title="Someone else's")
    page = client.get(reverse("events:list") + "?q=bridges").content.decode()
    assert "Theirs" in page and "Someone else" not in page
    page = client.get(reverse("events:list") + "?q=mentoring").content.decode()
    assert "Theirs" not in page


def test_the_list_filters_by_organisation(client):
    organisation = factories.OrganisationFactory(slug="welcome-bridges")
    make_event(title="Theirs", organisation=organisation, organiser=organiser_for(organisation))
    make_event(title="Someone else's")
    page = client.get(reverse("events:list") + "?organisation=welcome-bridges").content.decode()
    assert "Theirs" in page and "Someone else" not in page


def test_an_unknown_filter_value_is_named_and_ignored(client):
    make_event(title="Still listed")
    response = client.get(reverse("events:list") + "?kind=party&country=XX")
    page = response.content.decode()
    assert response.status_code == 200 and "Still listed" in page
    assert "Select a valid choice" in page


def test_the_month_calendar_puts_events_on_their_day_in_the_viewers_zone(client, member):
    starts = timezone.now().replace(day=15, hour=23, minute=30, second=0, microsecond=0) + timedelta(days=40)
    make_event(title="Late night in New York", starts_at=starts, timezone_name="America/New_York")
    month = starts.astimezone(timezone.get_fixed_timezone(60)).strftime("%Y-%m")
    member.timezone = "Asia/Tokyo"
    member.save()
    client.force_login(member)
    page = client.get(reverse("events:calendar") + f"?month={month}").content.decode()
    assert "Late night in New York" in page and "Asia/Tokyo" in page


def test_a_bad_month_falls_back_to_the_current_one(client):
    assert client.get(reverse("events:calendar") + "?month=banana").status_code == 200
    assert client.get(reverse("events:calendar") + "?month=99999-99").status_code == 200


def test_a_members_only_event_asks_a_visitor_to_log_in_and_shows_to_members(client, member):
    event = make_event(visibility=Event.Visibility.MEMBERS, title="Closed circle")
    response = client.get(event.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={event.get_absolute_url()}"
    assert "Closed circle" not in client.get(reverse("events:list")).content.decode()
    client.force_login(member)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_a_draft_is_hidden_from_all_but_those_who_run_it(client, member, moderator):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    draft = make_event(organiser=organiser, organisation=organisation, publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    for someone in (member, moderator):
        client.force_login(someone)
        assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(organiser)
    assert "Draft" in client.get(draft.get_absolute_url()).content.decode()


def test_a_cancelled_event_is_marked_on_its_page_and_in_the_list(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, title="Called off")
    services.cancel_event(actor=organiser, event=event, reason="Strike.")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "This event is cancelled. Strike." in page
    assert "Cancelled" in client.get(reverse("events:list")).content.decode()


def test_an_online_event_says_where_without_a_dangling_comma(client):
    online = make_event(title="Webinar on housing", format=Event.Format.ONLINE, venue="", city="", country="AT")
    page = client.get(online.get_absolute_url()).content.decode()
    where = page.split('data-testid="where">')[1].split("</p>")[0]
    assert " ".join(where.split()) == "Austria<br>Online"
    row = client.get(reverse("events:list")).content.decode()
    assert ", Austria" not in row and "· Austria" in row
    in_person = make_event(title="Roundtable", venue="City Hall", city="Graz", country="AT")
    where = client.get(in_person.get_absolute_url()).content.decode().split('data-testid="where">')[1].split("</p>")[0]
    assert " ".join(where.split()) == "City Hall<br>Graz, Austria"
