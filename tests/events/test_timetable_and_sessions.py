"""The timetable of parallel sessions: a grid of time by room in the venue's time (the viewer's on hover or
focus), a list on phones, a .ics per session, and "I plan to attend" with the interest organisers see."""

import zoneinfo
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from events import services
from events.models import SessionInterest
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, kind="conference", hours=4,
                       timezone_name="Europe/Vienna", title="Housing First")
    start = event.starts_at

    def add(minutes: int, length: int, room: str, title: str):
        return services.add_programme_item(actor=organiser, event=event, starts_at=start + timedelta(minutes=minutes),
                                           ends_at=start + timedelta(minutes=minutes + length), room=room, title=title)
    items = {
        "opening": add(0, 30, "", "Opening plenary"),
        "a": add(30, 90, "Room A", "Costs compared"),
        "b": add(30, 60, "Room B", "Speed of placement"),
        "b2": add(90, 30, "Room B", "Tenant support"),
    }
    return organiser, event, items


def test_parallel_sessions_show_side_by_side_in_rooms_with_both_times(client, conference, member):
    _, event, items = conference
    member.timezone = "Asia/Tokyo"
    member.save()
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    grid = page.split('data-testid="timetable-grid"')[1].split("</table>")[0]
    assert grid.index("Room A") < grid.index("Room B")
    venue = items["a"].starts_at.astimezone(event.tzinfo).strftime("%H:%M")
    assert venue in grid and "your time" in grid
    assert 'colspan="2"' in grid  # the plenary spans both rooms
    assert 'rowspan="2"' in grid  # Room A's 90 minutes cover two rows beside Room B's two sessions
    rows = grid.split("<tr>")
    assert any("Costs compared" in row and "Speed of placement" in row for row in rows)  # the same row: parallel
    assert 'data-testid="timetable-list"' in page  # the phone's list


def test_the_viewers_time_is_given_beside_the_venues(client, conference, member):
    _, event, items = conference
    member.timezone = "Asia/Tokyo"
    member.save()
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    tokyo = items["a"].starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    assert f"{tokyo} your time" in page


def test_one_session_downloads_as_ics_with_its_room_and_times(client, conference):
    _, event, items = conference
    response = client.get(reverse("events:session-ics", args=[event.slug, items["b"].pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    vevent = next(c for c in icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    assert str(vevent["summary"]).startswith("Speed of placement")
    assert vevent.decoded("dtstart") == items["b"].starts_at
    assert vevent.decoded("dtend") == items["b"].ends_at
    assert "Room B" in str(vevent["location"])


def test_a_session_of_a_draft_or_another_event_has_no_ics(client, conference):
    organiser, _event, items = conference
    other = make_event(organiser=organiser)
    assert client.get(reverse("events:session-ics", args=[other.slug, items["a"].pk])).status_code == 404
    draft = make_event(organiser=organiser, publish=False)
    item = services.add_programme_item(actor=organiser, event=draft, starts_at=draft.starts_at, title="Draft item")
    client.force_login(organiser)
    assert client.get(reverse("events:session-ics", args=[draft.slug, item.pk])).status_code == 404


def test_registrants_plan_sessions_and_organisers_see_the_interest(client, conference, member):
    organiser, event, items = conference
    url = reverse("events:session-plan", args=[event.slug, items["a"].pk])
    client.force_login(member)
    client.post(url)  # not registered: refused
    assert not SessionInterest.objects.exists()
    services.register_for_event(user=member, event=event)
    client.post(url)
    client.post(url)  # twice is still once
    assert SessionInterest.objects.filter(item=items["a"], user=member).count() == 1
    assert 'aria-pressed="true"' in client.get(event.get_absolute_url()).content.decode()
    client.force_login(organiser)
    dashboard = client.get(reverse("events:dashboard", args=[event.slug])).content.decode()
    interest = dashboard.split('data-testid="session-interest"')[1].split("</table>")[0]
    assert "Costs compared" in interest and "<td>1</td>" in interest
    assert "1 plans to attend" in client.get(event.get_absolute_url()).content.decode()
    client.force_login(member)
    client.post(url, {"plan": "no"})
    assert not SessionInterest.objects.exists()


def test_a_session_must_end_after_it_starts_and_within_the_event(client, conference):
    organiser, event, _items = conference
    client.force_login(organiser)
    local = event.starts_at.astimezone(event.tzinfo)
    response = client.post(reverse("events:programme", args=[event.slug]), {
        "what": "item", "item-title": "Backwards", "item-room": "Room C",
        "item-starts_local": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "item-ends_local": local.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400 and "ends after it starts" in response.content.decode()
