"""The practices, organisations and resources APIs keep each item (core/fragments.py, kept_rows): an edit of the
item, of its organisation or of a version in another language shows in the next answer, in every language and
time zone, and each viewer still gets only the rows they may see."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from core.models import PolicyArea
from directory import services
from tests import factories
from tests.directory.factories import author_with_organisation, make_practice, make_resource
from tests.events.factories import make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


def _items(client: Client, language: str = "en", query: str = "", api: str = "api-practices") -> dict[str, dict]:
    """The answer in `language`: a visitor's by Accept-Language, a member's by their own choice of language."""
    if getattr(client, "member", None) is not None:
        accounts_services.set_language(user=client.member, language=language)
    response = client.get(reverse(api) + query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return {item["slug"]: item for item in response.json()["results"]}


def _each_time(client: Client, check, api: str = "api-practices") -> bool:
    """True in English and French, each asked twice so the second answer comes from the cache."""
    return all(check(_items(client, language, api=api)) for language in ("en", "fr") for _ in range(2))


@pytest.fixture
def author(db):
    return author_with_organisation(role="admin")


@pytest.fixture
def practice(author):
    return make_practice(author=author, status="published", title="Co-housing in Utrecht")


def test_an_edited_practice_shows_in_the_next_answer(client, member, author, practice):
    client.force_login(member)
    client.member = member
    _items(client), _items(client, "fr")
    services.update_practice(actor=author, practice=practice, title="Co-housing in Utrecht and Ghent",
                             results="Forty **flats** shared.")
    assert _each_time(client, lambda items: items[practice.slug]["title"] == "Co-housing in Utrecht and Ghent")
    assert _each_time(client, lambda items: "<strong>flats</strong>" in items[practice.slug]["results_html"])


def test_the_organisations_new_name_and_a_new_version_show_in_the_next_answer(client, author, practice, moderator):
    _items(client), _items(client, "fr")
    accounts_services.update_organisation(actor=author, organisation=practice.organisation,
                                          name="Utrecht Housing Lab")
    assert _each_time(client, lambda items: items[practice.slug]["organisation_name"] == "Utrecht Housing Lab")
    version = services.translate_practice(translator=author, original=practice, language="fr", submit=True,
                                          title="Cohabitation à Utrecht", summary="Des colocations.")
    services.publish_practice(actor=moderator, practice=version)
    assert _each_time(client, lambda items: [v["slug"] for v in items[practice.slug]["translations"]]
                      == [version.slug])


def test_a_practice_returned_to_its_author_leaves_the_list_at_once(client, practice, moderator):
    assert practice.slug in _items(client)
    services.return_practice(actor=moderator, practice=practice, reason="Please add the results.")
    assert _each_time(client, lambda items: practice.slug not in items)


# --- Organisations ---------------------------------------------------------------------------------

def _organisations(client: Client, language: str = "en") -> dict[str, dict]:
    return _items(client, language, api="api-organisations")


def test_an_organisations_edited_profile_shows_in_the_next_answer(client, member, author):
    organisation = author.memberships.get().organisation
    client.force_login(member)
    client.member = member
    _organisations(client), _organisations(client, "fr")
    accounts_services.update_organisation(actor=author, organisation=organisation, name="Utrecht Housing Lab",
                                          description="We share **flats**.",
                                          policy_areas=PolicyArea.objects.filter(code="socio-economic"))
    assert _each_time(client, lambda items: items[organisation.slug]["name"] == "Utrecht Housing Lab",
                      api="api-organisations")
    assert _each_time(client, lambda items: "<strong>flats</strong>" in items[organisation.slug]["description_html"],
                      api="api-organisations")
    assert _each_time(client, lambda items: items[organisation.slug]["policy_areas"] == ["socio-economic"],
                      api="api-organisations")


def test_a_published_practice_counts_and_moves_the_last_activity_in_the_next_answer(client, author, moderator):
    organisation = author.memberships.get().organisation
    before = _organisations(client)[organisation.slug]
    _organisations(client, "fr")
    assert before["published_practices"] == 0
    make_practice(author=author, status="published", moderator=moderator)
    assert _each_time(client, lambda items: items[organisation.slug]["published_practices"] == 1,
                      api="api-organisations")
    assert _each_time(client, lambda items: items[organisation.slug]["last_activity_at"] > before["last_activity_at"],
                      api="api-organisations")


@pytest.mark.parametrize("write", ["resource", "event"])
def test_a_new_resource_or_event_moves_the_last_activity_in_the_next_answer(client, author, write):
    organisation = author.memberships.get().organisation
    before = _organisations(client)[organisation.slug]["last_activity_at"]
    _organisations(client, "fr")
    if write == "resource":
        make_resource(actor=author)
    else:
        make_event(organiser=author, organisation=organisation, publish=False)
    assert _each_time(client, lambda items: items[organisation.slug]["last_activity_at"] > before,
                      api="api-organisations")


def test_an_unverified_organisation_leaves_the_list_at_once(client, author, staff):
    organisation = author.memberships.get().organisation
    assert organisation.slug in _organisations(client)
    accounts_services.set_organisation_verified(actor=staff, organisation=organisation, verified=False)
    assert _each_time(client, lambda items: organisation.slug not in items, api="api-organisations")


@pytest.mark.parametrize("api", ["api-organisations", "api-resources", "api-practices"])
def test_each_viewer_reads_the_times_in_their_own_time_zone(client, member, author, practice, api):
    """A kept item's times are in the time zone of whoever asked first unless items are kept per time zone."""
    organisation = author.memberships.get().organisation
    make_resource(actor=author)
    slug, field = {"api-organisations": (organisation.slug, "last_activity_at"),
                   "api-resources": (organisation.resources.get().slug, "created_at"),
                   "api-practices": (practice.slug, "published_at")}[api]
    visitor_time = _items(client, api=api)[slug][field]
    accounts_services.update_profile(user=member, timezone="Asia/Tokyo")
    client.force_login(member)
    for _ in range(2):
        member_time = _items(client, api=api)[slug][field]
        assert member_time.endswith("+09:00")
        assert datetime.fromisoformat(member_time) == datetime.fromisoformat(visitor_time)


# --- Resources -------------------------------------------------------------------------------------

def _each_time_resources(client: Client, check) -> bool:
    return _each_time(client, check, api="api-resources")


def test_an_edited_resource_shows_in_the_next_answer(client, member, author):
    resource = make_resource(actor=author, title="Welcoming cities")
    client.force_login(member)
    client.member = member
    _items(client, api="api-resources"), _items(client, "fr", api="api-resources")
    services.update_resource(actor=author, resource=resource, title="Welcoming cities, revised",
                             summary="Ten **cities** compared.")
    assert _each_time_resources(client, lambda items: items[resource.slug]["title"] == "Welcoming cities, revised")
    assert _each_time_resources(client, lambda items: "<strong>cities</strong>" in items[resource.slug]["summary_html"])


def test_the_publishers_new_name_and_a_new_version_show_in_the_next_answer(client, author):
    resource = make_resource(actor=author)
    _items(client, api="api-resources"), _items(client, "fr", api="api-resources")
    accounts_services.update_organisation(actor=author, organisation=resource.publisher, name="Ghent Library Lab")
    assert _each_time_resources(client, lambda items: items[resource.slug]["publisher_name"] == "Ghent Library Lab")
    version = services.translate_resource(actor=author, original=resource, language="fr", title="Villes accueillantes",
                                          summary="Une étude.")
    assert _each_time_resources(client, lambda items: [v["slug"] for v in items[resource.slug]["translations"]]
                                == [version.slug])
    assert _each_time_resources(client, lambda items: items[version.slug]["translation_of"] == resource.slug)


def test_a_deleted_resource_leaves_the_list_at_once(client, author):
    resource = make_resource(actor=author)
    assert resource.slug in _items(client, api="api-resources")
    services.delete_resource(actor=author, resource=resource)
    assert _each_time_resources(client, lambda items: resource.slug not in items)


def test_an_unverified_publishers_resource_is_listed_to_its_members_alone(client):
    unverified = factories.OrganisationFactory(verified=False)
    insider = author_with_organisation(unverified)
    resource = make_resource(actor=insider)
    shared = make_resource()
    outsider = factories.UserFactory()
    factories.MembershipFactory(user=outsider)
    for _ in range(2):
        client.force_login(insider)
        assert {resource.slug, shared.slug} <= set(_items(client, api="api-resources"))
        client.force_login(outsider)
        assert set(_items(client, api="api-resources")) == {shared.slug}
        client.logout()
        assert set(_items(client, api="api-resources")) == {shared.slug}
