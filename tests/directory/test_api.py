"""The API: the pages' filters, search and pagination as JSON; practices written through the same services."""

import pytest

from directory.models import Practice
from tests import factories
from tests.directory.factories import author_with_organisation, make_practice, make_resource
from tests.errors import error_fields

pytestmark = pytest.mark.django_db


def test_the_practice_list_filters_searches_sorts_and_paginates_like_the_page(client):
    for i in range(3):
        make_practice(status="published", title=f"Housing project {i}", topics=("housing",))
    make_practice(status="published", title="Media training", areas=("cultural",), topics=("media",))
    make_practice(status="draft", title="Housing draft", topics=("housing",))
    body = client.get("/api/practices/", {"topic": "housing", "sort": "title", "page_size": 2}).json()
    assert body["count"] == 3
    assert [p["title"] for p in body["results"]] == ["Housing project 0", "Housing project 1"]
    assert body["next"].endswith("page=2&page_size=2&sort=title&topic=housing") or "page=2" in body["next"]
    assert client.get("/api/practices/", {"q": "media"}).json()["count"] == 1
    first = body["results"][0]
    assert first["policy_areas"] == ["socio-economic"] and first["topics"] == ["housing"]
    assert first["url"] == f"/practices/{first['slug']}/"


def test_the_organisation_and_resource_lists_take_the_same_filters(client):
    factories.OrganisationFactory(name="Lyon City", kind="municipality", country="FR")
    factories.OrganisationFactory(name="Hidden", kind="municipality", country="FR", verified=False)
    make_resource(title="Guide", kind="guideline")
    body = client.get("/api/organisations/", {"kind": "municipality"}).json()
    assert [o["name"] for o in body["results"]] == ["Lyon City"]
    assert client.get("/api/organisations/lyon-city/").status_code in (200, 404)
    resources = client.get("/api/resources/", {"type": "guideline"}).json()
    assert [r["title"] for r in resources["results"]] == ["Guide"]


def test_a_member_writes_and_submits_a_practice_through_the_api(client, moderator):
    author = author_with_organisation()
    client.force_login(author)
    response = client.post("/api/practices/", {
        "organisation": author.memberships.get().organisation.slug, "title": "Buddy scheme",
        "summary": "Locals and newcomers meet weekly.", "start_year": 2022, "country": "BE",
        "policy_areas": ["cultural"], "topics": ["everyday-interaction"], "target_groups": ["newcomers"],
        "links": ["https://example.org/buddy"], "submit": True}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["links"] == ["https://example.org/buddy"]
    practice = Practice.objects.get(slug=body["slug"])
    assert list(practice.transitions.values_list("to_status", flat=True)) == ["draft", "submitted"]

    client.force_login(moderator)
    published = client.post(f"/api/practices/{practice.slug}/publish/", {"note": "Thanks"},
                            content_type="application/json")
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_writing_for_an_organisation_one_does_not_belong_to_is_forbidden(client, member, organisation):
    client.force_login(member)
    response = client.post("/api/practices/", {"organisation": organisation.slug, "title": "Mine now",
                                               "summary": "No.", "start_year": 2022, "country": "AT"},
                           content_type="application/json")
    assert response.status_code == 403
    assert not Practice.objects.exists()


def test_a_visitor_cannot_write(client):
    response = client.post("/api/practices/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_field_errors_name_the_field(client):
    author = author_with_organisation()
    client.force_login(author)
    response = client.post("/api/practices/", {
        "organisation": author.memberships.get().organisation.slug, "title": "  ", "summary": "Ok.",
        "start_year": 2022, "end_year": 2020, "country": "XX", "topics": ["no-such-topic"],
        "links": ["javascript:alert(1)"]}, content_type="application/json")
    assert {"title", "country", "topics", "links"} <= set(error_fields(response))


def test_editing_through_the_api_keeps_revisions_and_refuses_moving_the_practice(client):
    practice = make_practice(status="published", title="Before")
    client.force_login(practice.author)
    response = client.patch(f"/api/practices/{practice.slug}/", {"title": "After"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["title"] == "After"
    assert practice.revisions.get().content["title"] == "Before"
    other = factories.OrganisationFactory()
    factories.MembershipFactory(user=practice.author, organisation=other)
    response = client.patch(f"/api/practices/{practice.slug}/", {"organisation": other.slug},
                            content_type="application/json")
    assert "organisation" in error_fields(response)


def test_an_end_before_the_start_through_patch_is_refused_on_end_year(client):
    practice = make_practice(start_year=2018)
    client.force_login(practice.author)
    response = client.patch(f"/api/practices/{practice.slug}/", {"end_year": 2010}, content_type="application/json")
    assert "end_year" in error_fields(response)


def test_publishing_a_draft_through_the_api_is_refused_with_a_reason(client, moderator):
    practice = make_practice()
    client.force_login(moderator)
    response = client.post(f"/api/practices/{practice.slug}/publish/", {}, content_type="application/json")
    assert "status" in error_fields(response)


def test_returning_without_a_reason_through_the_api_names_the_reason_field(client, moderator):
    practice = make_practice(status="submitted")
    client.force_login(moderator)
    response = client.post(f"/api/practices/{practice.slug}/return/", {"reason": "   "},
                           content_type="application/json")
    assert "reason" in error_fields(response)


def test_posting_practices_is_rate_limited(client, settings):
    from core.ratelimit import POSTING_RATES, Rate

    settings.DEBUG = False
    author = author_with_organisation()
    client.force_login(author)
    original = POSTING_RATES["practices"]
    POSTING_RATES["practices"] = Rate(2, 3600)
    try:
        codes = [client.post("/api/practices/", {"organisation": author.memberships.get().organisation.slug,
                                                 "title": f"Practice {i}", "summary": "Ok.", "start_year": 2022,
                                                 "country": "AT"}, content_type="application/json").status_code
                 for i in range(3)]
    finally:
        POSTING_RATES["practices"] = original
    assert codes == [201, 201, 429]


def _counts(queries) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT COUNT("))


def test_the_lists_count_once_per_write_and_show_a_change_on_the_next_request(client, moderator, rendered_cache):
    """core.drf.Pagination keeps the count of a list that names its kinds: the second request counts nothing, a
    publication shows in the next count, and each filter has its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory import services

    make_practice(status="published", title="Housing first", topics=("housing",))
    second = make_practice(status="submitted", title="Housing fund", topics=("housing",))
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/api/practices/", {"topic": "housing"}).json()["count"] == 1
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/api/practices/", {"topic": "housing"}).json()["count"] == 1
    assert _counts(cold) == 1 and _counts(warm) == 0
    assert client.get("/api/practices/", {"topic": "media"}).json()["count"] == 0
    services.publish_practice(actor=moderator, practice=second)
    assert client.get("/api/practices/", {"topic": "housing"}).json()["count"] == 2


def test_an_organisation_verified_shows_in_the_next_count(client, rendered_cache):
    from accounts import services

    factories.OrganisationFactory(name="Lyon City")
    waiting = factories.OrganisationFactory(name="Porto NGO", verified=False)
    assert client.get("/api/organisations/").json()["count"] == 1
    services.set_organisation_verified(actor=factories.UserFactory(is_staff=True), organisation=waiting,
                                       verified=True)
    assert client.get("/api/organisations/").json()["count"] == 2


def test_a_resource_count_follows_the_members_own_scope(client, rendered_cache):
    publisher = factories.OrganisationFactory(verified=False)
    insider = author_with_organisation(publisher)
    make_resource(actor=insider, publisher=publisher, title="Draft toolkit")
    make_resource(title="Public guide")
    client.force_login(insider)
    assert client.get("/api/resources/").json()["count"] == 2
    client.force_login(factories.UserFactory())
    assert client.get("/api/resources/").json()["count"] == 1
    client.logout()
    assert client.get("/api/resources/").json()["count"] == 1
