"""Input that once answered 500 answers 400 naming the parameter; API routes that fail answer JSON."""

import json

import pytest
from django.urls import reverse

from directory import api as directory_api
from tests.directory.factories import author_with_organisation

pytestmark = pytest.mark.django_db

SLUG_FIELDS = ["organisation", "topics", "policy_areas", "target_groups", "partners"]


def fields(response) -> dict:
    """The fields an API error names, in the API's error body (core.errors.error_body) or DRF's own."""
    body = response.json()
    return body["error"].get("fields", {}) if "error" in body else body


def message(response) -> str:
    body = response.json()
    return body["error"]["message"] if "error" in body else body["detail"]


@pytest.fixture
def member_client(client):
    client.force_login(author_with_organisation())
    client.raise_request_exception = False
    return client


def test_a_year_that_is_not_a_year_is_a_400_naming_it_in_the_api_and_on_the_page(member_client):
    for year in ["AAA", "²", "99999999999999999999", "-1"]:
        response = member_client.get("/api/resources/", {"year": year})
        assert response.status_code == 400, year
        assert list(fields(response)) == ["year"] and "digits" in fields(response)["year"][0]
        page = member_client.get("/resources/", {"year": year})
        assert page.status_code == 400, year
        assert "year" in page.content.decode() and "digits" in page.content.decode()
    assert member_client.get("/resources/", {"year": "2024"}).status_code == 200


@pytest.mark.parametrize("field", SLUG_FIELDS)
@pytest.mark.parametrize("value", ["a\x00b", "\ud800"], ids=["nul", "surrogate"])
def test_unstorable_text_in_a_slug_field_is_a_400_naming_the_field(member_client, field, value):
    organisation = member_client.get("/api/organisations/").json()["results"]
    body = {"organisation": organisation[0]["slug"] if organisation else "x", "title": "Mentoring",
            "summary": "Pairs", "start_year": 2020, "country": "AT",
            field: value if field == "organisation" else [value]}
    response = member_client.post("/api/practices/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert field in fields(response)


@pytest.mark.parametrize("url", ["/api/practices/", "/api/chat/conversations/direct/"])
def test_a_body_nested_two_thousand_levels_deep_is_a_400(member_client, url):
    for body in ("[" * 2000 + "]" * 2000, '{"a":' * 2000 + "1" + "}" * 2000):
        response = member_client.post(url, body, content_type="application/json")
        assert response.status_code == 400, url
        assert "nested" in message(response)


def test_a_nul_in_a_search_is_a_400_naming_q(member_client):
    response = member_client.get("/api/forums/search/", {"q": "\x00"})
    assert response.status_code == 400
    assert list(fields(response)) == ["q"]
    page = member_client.get("/forums/search/?q=%00")
    assert page.status_code == 400 and "“q”" in page.content.decode()


def test_a_nul_in_a_feed_address_is_a_400(client):
    response = client.get("/events/feed/%00.ics")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_api_routes_that_fail_answer_json_in_the_apis_error_shape(member_client, monkeypatch):
    missing = member_client.get("/api/no-such-endpoint/")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    assert message(missing)

    not_allowed = member_client.delete("/api/resources/")
    assert not_allowed.status_code == 405 and message(not_allowed)

    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(directory_api.ResourceListView, "list", crash)
    crashed = member_client.get("/api/resources/")
    assert (crashed.status_code, crashed["Content-Type"]) == (500, "application/json")
    assert message(crashed) and "a bug" not in crashed.content.decode()


def test_pages_keep_their_html_error_pages(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]
    assert client.get(reverse("core:home") + "?q=%00").status_code == 400
