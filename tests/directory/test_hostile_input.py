"""Hostile input in every text field the directory adds: refused with a field error, or stored and shown inert."""

import pytest

from directory.models import Practice, Replication, Resource
from tests.directory.factories import author_with_organisation, make_practice, make_resource
from tests.errors import error_fields, error_of
from tests.hostile import CONTROL_CHARACTERS, LEGITIMATE, OVERLONG, WRONG_TYPES, XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

PRACTICE_TEXT_FIELDS = ["title", "summary", "issue", "how_it_works", "results", "evaluation_indicators", "lessons",
                        "beneficiaries", "funding", "city", "other_partners", "transferability", "other_languages"]
HOSTILE = [*XSS_PAYLOADS, *CONTROL_CHARACTERS, *LEGITIMATE]


def _practice_form(organisation_id: int, **override) -> dict:
    data = {"organisation": organisation_id, "title": "Mentoring", "summary": "Mentors help newcomers.",
            "evaluation_type": "none", "start_year": 2020, "country": "AT", "level": "local", "language": "en"}
    data.update(override)
    return data


@pytest.mark.parametrize("field", PRACTICE_TEXT_FIELDS)
@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_a_practice_is_refused_or_shown_inert(client, field, payload, moderator):
    author = author_with_organisation()
    client.force_login(author)
    response = client.post("/practices/new/", _practice_form(author.memberships.get().organisation_id,
                                                            **{field: payload}), follow=True)
    assert response.status_code == 200
    practice = Practice.objects.first()
    if practice is None:
        assert response.context["form"].errors.get(field), f"{field} refused without naming the field"
        return
    assert_inert(response.content.decode())
    client.force_login(moderator)
    assert_inert(client.get(practice.get_absolute_url()).content.decode())
    assert_inert(client.get("/practices/review/").content.decode())


@pytest.mark.parametrize("field", PRACTICE_TEXT_FIELDS)
def test_overlong_practice_text_is_refused_on_its_field(client, field):
    author = author_with_organisation()
    client.force_login(author)
    response = client.post("/practices/new/", _practice_form(author.memberships.get().organisation_id,
                                                            **{field: OVERLONG}))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert not Practice.objects.exists()


def test_a_javascript_link_in_the_links_field_is_refused_on_its_line(client):
    author = author_with_organisation()
    client.force_login(author)
    response = client.post("/practices/new/", _practice_form(author.memberships.get().organisation_id,
                                                            links="https://ok.example.org\njavascript:alert(1)"))
    assert "Line 2 is not a web address" in str(response.context["form"].errors["links"])


def test_markdown_with_script_is_rendered_without_it():
    practice = make_practice(how_it_works="Hello <script>alert(1)</script> [x](javascript:alert(1)) **bold**")
    assert "<script" not in practice.how_it_works_html and "javascript:" not in practice.how_it_works_html
    assert "<strong>bold</strong>" in practice.how_it_works_html


@pytest.mark.parametrize("field", ["title", "summary", "organisation", "start_year", "links", "policy_areas"])
@pytest.mark.parametrize("value", WRONG_TYPES, ids=[type(v).__name__ for v in WRONG_TYPES])
def test_wrong_types_through_the_api_answer_400_naming_the_field(client, field, value):
    author = author_with_organisation()
    client.force_login(author)
    body = {"organisation": author.memberships.get().organisation.slug, "title": "Mentoring",
            "summary": "Mentors help newcomers.", "start_year": 2020, "country": "AT"}
    body[field] = value
    response = client.post("/api/practices/", body, content_type="application/json")
    assert field in error_fields(response)


@pytest.mark.parametrize("payload", [*XSS_PAYLOADS, OVERLONG, *CONTROL_CHARACTERS], ids=range(15))
def test_hostile_text_through_the_api_is_refused_or_stored_inert(client, payload):
    author = author_with_organisation()
    client.force_login(author)
    response = client.post("/api/practices/", {
        "organisation": author.memberships.get().organisation.slug, "title": payload, "summary": payload,
        "how_it_works": payload, "start_year": 2020, "country": "AT"}, content_type="application/json")
    if response.status_code == 400:
        assert {"title", "summary", "how_it_works"} & set(error_fields(response))
        return
    assert response.status_code == 201
    assert_inert(response.json()["how_it_works_html"])
    assert_inert(client.get(Practice.objects.get().get_absolute_url()).content.decode())


@pytest.mark.parametrize("field", ["title", "authors", "summary", "url"])
@pytest.mark.parametrize("payload", [*XSS_PAYLOADS, *CONTROL_CHARACTERS, OVERLONG], ids=range(15))
def test_hostile_text_in_a_resource_is_refused_or_shown_inert(client, field, payload):
    author = author_with_organisation()
    client.force_login(author)
    data = {"publisher": author.memberships.get().organisation_id, "title": "Toolkit", "kind": "toolkit",
            "year": 2024, "language": "en", "summary": "Useful.", "url": "https://example.org/t"}
    data[field] = payload
    response = client.post("/resources/new/", data, follow=True)
    assert response.status_code == 200
    resource = Resource.objects.first()
    if resource is None:
        assert response.context["form"].errors.get(field)
        return
    assert_inert(response.content.decode())
    assert_inert(client.get("/resources/").content.decode())


@pytest.mark.parametrize("field", ["place", "note"])
@pytest.mark.parametrize("payload", [*XSS_PAYLOADS, *CONTROL_CHARACTERS, OVERLONG], ids=range(15))
def test_hostile_text_in_a_replication_is_refused_or_shown_inert(client, field, payload):
    practice = make_practice(status="published")
    client.force_login(author_with_organisation())
    data = {"place": "Graz", "country": "AT", "note": ""}
    data[field] = payload
    response = client.post(f"/practices/{practice.slug}/replications/", data, follow=True)
    assert response.status_code == 200
    if not Replication.objects.exists():
        assert response.context["form"].errors.get(field)
        return
    assert_inert(response.content.decode())


@pytest.mark.parametrize("payload", [*XSS_PAYLOADS, *CONTROL_CHARACTERS, OVERLONG, "%00", "' OR 1=1 --"],
                         ids=range(17))
@pytest.mark.parametrize("url", ["/directory/", "/practices/", "/resources/", "/search/", "/people/",
                                 "/api/practices/", "/api/organisations/", "/api/resources/"])
def test_hostile_search_text_and_facet_values_never_break_a_list(client, member, url, payload):
    make_practice(status="published")
    make_resource()
    client.force_login(member)
    params = {"q": payload, "area": payload, "country": payload, "sort": payload, "job_title": payload}
    if "\x00" in payload:
        # Text no database can store or search is refused, naming the first parameter that holds it.
        response = client.get(url, params)
        assert response.status_code == 400
        named = response.json()["error"]["fields"] if "api" in url else response.content.decode()
        assert ("q" in named) if "api" in url else ("“q”" in named)
        return
    if "api" in url:
        assert client.get(url, params).status_code == 200
        # DRF's paginator answers a page it cannot read with 404 and a reason, never a 500.
        bad_page = client.get(url, {**params, "page": payload})
        assert bad_page.status_code == 200 or error_of(bad_page, 404)["code"] == "not_found"
    else:
        response = client.get(url, {**params, "page": payload})
        assert response.status_code == 200
        assert_inert(response.content.decode())


@pytest.mark.parametrize("payload", [*XSS_PAYLOADS, *CONTROL_CHARACTERS, OVERLONG], ids=range(15))
def test_a_hostile_return_reason_is_shown_inert_to_the_author(client, moderator, payload):
    practice = make_practice(status="submitted")
    client.force_login(moderator)
    client.post(f"/practices/{practice.slug}/return/", {"reason": payload})
    practice.refresh_from_db()
    client.force_login(practice.author)
    page = client.get(practice.get_absolute_url()).content.decode()
    assert_inert(page)
    if payload == OVERLONG:
        assert practice.status == "submitted", "an overlong reason is refused"
