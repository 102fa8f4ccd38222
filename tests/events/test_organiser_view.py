"""The organiser's view: registrations over time, counts and check-in rate, aggregates by organisation kind and
country, choice-answer summaries, and the CSV and .xlsx exports."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events import services
from events.models import RegistrationQuestion
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def running():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=3)
    language = services.add_question(actor=organiser, event=event, kind=RegistrationQuestion.Kind.CHOICE,
                                     label="Interpretation language", choices=["English", "French", "Arabic"])
    city = factories.OrganisationFactory(kind="city", country="AT")
    ngo = factories.OrganisationFactory(kind="ngo", country="IT")
    people = []
    for index, (org, answer) in enumerate([(city, "French"), (city, "English"), (ngo, "French"), (ngo, "Arabic")]):
        person = factories.UserFactory(full_name=f"Person {index}")
        factories.MembershipFactory(user=person, organisation=org)
        services.register_for_event(user=person, event=event, answers={language.pk: answer},
                                    now=timezone.now() - timedelta(days=4 - index))
        people.append(person)
    first = event.registrations.order_by("id").first()
    services.check_in(actor=organiser, event=event, registration_id=first.pk, method="list")
    return organiser, event, people


def test_the_view_counts_by_status_and_gives_the_check_in_rate(client, running):
    organiser, event, _people = running
    client.force_login(organiser)
    response = client.get(reverse("events:dashboard", args=[event.slug]))
    stats = response.context["stats"]
    assert (stats["confirmed"], stats["waitlisted"], stats["pending"], stats["attended"]) == (3, 1, 0, 1)
    assert stats["check_in_rate"] == 33
    page = response.content.decode()
    assert "33%" in page and 'data-testid="registrations-svg"' in page


def test_registrants_are_broken_down_by_organisation_kind_and_country_as_aggregates(client, running):
    organiser, event, _people = running
    client.force_login(organiser)
    response = client.get(reverse("events:dashboard", args=[event.slug]))
    stats = response.context["stats"]
    assert sorted(n for _kind, n in stats["by_kind"]) == [2, 2]
    assert dict(stats["by_country"]) == {"AT": 2, "IT": 2}
    page = response.content.decode()
    by_country = page.split('data-testid="by-country"')[1].split("</table>")[0]
    assert "Austria" in by_country and "Person 0" not in page


def test_choice_answers_are_summarised(client, running):
    organiser, event, _people = running
    client.force_login(organiser)
    summaries = client.get(reverse("events:dashboard", args=[event.slug])).context["summaries"]
    assert summaries[0]["rows"] == [("English", 1), ("French", 2), ("Arabic", 1)]


def test_registrations_over_time_counts_each_day(client, running):
    organiser, event, _people = running
    client.force_login(organiser)
    per_day = client.get(reverse("events:dashboard", args=[event.slug])).context["per_day"]
    assert [n for _day, n in per_day] == [1, 1, 1, 1]


def test_the_xlsx_export_holds_the_attendee_list_with_attendance_and_answers(client, running):
    organiser, event, people = running
    client.force_login(organiser)
    response = client.get(reverse("events:registrations-xlsx", args=[event.slug]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Name" and rows[0][-1] == "Interpretation language"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Person 0"][-1] == "French" and by_name["Person 0"][6]  # checked in
    assert not by_name["Person 1"][6]
    assert all(person.email not in str(rows) for person in people)


def test_the_xlsx_quotes_formulas(client, running):
    organiser, event, _people = running
    services.register_for_event(user=factories.UserFactory(full_name="=HYPERLINK(\"http://evil\")"), event=event)
    client.force_login(organiser)
    sheet = load_workbook(io.BytesIO(client.get(reverse("events:registrations-xlsx", args=[event.slug])).content))
    names = [row[0].value for row in sheet.active.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://evil\")" in names


def test_staff_publish_drafts_from_the_admin_and_each_refusal_is_named(client, staff):
    draft = make_event(publish=False, title="Housing first: a roundtable")
    cancelled = make_event(title="Language cafés in libraries")
    services.cancel_event(actor=cancelled.organisations.first().memberships.first().user, event=cancelled,
                          reason="The venue is closed.")
    client.force_login(staff)
    response = client.post("/admin/events/event/", {"action": "publish",
                                                    "_selected_action": [draft.pk, cancelled.pk]}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert response.status_code == 200
    assert any(m.startswith(f"{cancelled}: ") for m in shown), shown
    draft.refresh_from_db()
    cancelled.refresh_from_db()
    assert (draft.status, cancelled.status) == ("published", "cancelled")
