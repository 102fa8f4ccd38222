"""Update services take explicit keyword arguments: what is left out keeps its value (core.services.UNCHANGED),
None is a value like any other, a name the service does not know is refused, and every field the pages and the
API edit has its parameter."""

import inspect

import pytest
from django.urls import reverse

from core.services import UNCHANGED, given
from directory import services as directory_services
from directory.services import PRACTICE_FIELDS, PRACTICE_RELATIONS, PRACTICE_TRANSLATED_FIELDS, RESOURCE_FIELDS
from events import services as events_services
from events.models import Event
from expertise import services as expertise_services
from expertise.services import REQUEST_FIELDS
from tests import factories
from tests.directory.factories import make_practice
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


def _keywords(function) -> set[str]:
    return set(inspect.signature(function).parameters)


def test_given_keeps_only_what_was_passed_and_keeps_none():
    assert given(title="New", capacity=None, city=UNCHANGED) == {"title": "New", "capacity": None}
    assert repr(UNCHANGED) == "UNCHANGED"


def test_every_editable_field_is_a_parameter_of_its_create_and_update_service():
    for service in (directory_services.create_practice, directory_services.update_practice):
        assert set(PRACTICE_FIELDS) | set(PRACTICE_RELATIONS) <= _keywords(service)
    assert set(PRACTICE_TRANSLATED_FIELDS) <= _keywords(directory_services.translate_practice)
    for service in (directory_services.add_resource, directory_services.update_resource):
        assert set(RESOURCE_FIELDS) <= _keywords(service)
    for service in (expertise_services.create_request, expertise_services.update_request):
        assert set(REQUEST_FIELDS) <= _keywords(service)
    create = _keywords(events_services.create_event) - {"actor", "organisations"}
    assert create <= _keywords(events_services.update_event)


def test_a_field_left_out_keeps_its_value_and_none_empties_it():
    event = make_event(capacity=40)
    organiser = event.created_by
    events_services.update_event(actor=organiser, event=event, title="Renamed")
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Renamed", 40)
    events_services.update_event(actor=organiser, event=event, capacity=None)
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Renamed", None)


def test_a_practice_edit_leaves_other_fields_and_relations_as_they_were():
    practice = make_practice(start_year=2019, end_year=2022)
    summary, areas = practice.summary, set(practice.policy_areas.all())
    assert areas
    directory_services.update_practice(actor=practice.author, practice=practice, end_year=None, city="Ghent")
    practice.refresh_from_db()
    assert (practice.summary, practice.city, practice.end_year) == (summary, "Ghent", None)
    assert set(practice.policy_areas.all()) == areas


def test_a_name_the_service_does_not_know_is_refused():
    practice = make_practice()
    with pytest.raises(TypeError):
        directory_services.update_practice(actor=practice.author, practice=practice, status="published")
    event = make_event()
    with pytest.raises(TypeError):
        events_services.update_event(actor=event.created_by, event=event, sequence=0)


def test_an_organiser_changes_the_language_an_event_is_written_in_from_its_edit_page(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    client.force_login(organiser)
    response = client.post(reverse("events:edit", args=[event.slug]), {
        "kind": "roundtable", "organisations": [organisation.pk], "timezone": "Europe/Vienna",
        "starts_local": "2030-05-05T10:00", "ends_local": "2030-05-05T12:00", "format": "in_person",
        "visibility": "public", "registration_scope": "verified", "waitlist_enabled": "on",
        "title": "La ville interethnique", "language": "fr", "venue": "Hôtel de ville", "city": "Lyon",
        "country": "FR", "reminder_hours": "24"})
    assert response.status_code == 302
    event = Event.objects.get(pk=event.pk)
    assert (event.title, event.language) == ("La ville interethnique", "fr")
