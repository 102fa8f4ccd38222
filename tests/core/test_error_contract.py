"""Every API error across the apps has the one shape of core.errors, with the right status, and the shape is
documented once in the OpenAPI schema: a client handles refusals the same way everywhere."""

import pytest
from django.urls import reverse

from tests import factories
from tests.directory.factories import make_practice
from tests.errors import error_fields, error_of
from tests.events.factories import make_event
from tests.expertise.factories import make_request
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_a_visitor_is_refused_with_the_same_shape_everywhere(client):
    for name in ("api-me", "api-notifications", "api-chat-conversations"):
        assert error_of(client.get(reverse(name)), 403)["code"] == "not_authenticated"


def test_accounts_name_the_field_and_report_a_conflict(client, member):
    client.force_login(member)
    assert "timezone" in error_fields(client.patch(reverse("api-me"), {"timezone": "Mars/Base"}, content_type=JSON))
    organisation = factories.OrganisationFactory()
    url = reverse("api-organisation-join", args=[organisation.slug])
    client.post(url, {"message": "hi"}, content_type=JSON)
    error = error_of(client.post(url, {"message": "hi"}, content_type=JSON), 409)
    assert error["code"] == "conflict" and "organisation" in error["fields"]


def test_directory_names_the_field_and_says_not_found(client, member):
    client.force_login(member)
    fields = error_fields(client.post("/api/practices/", {"title": ""}, content_type=JSON))
    assert {"organisation", "title"} <= set(fields)
    assert error_of(client.get("/api/practices/no-such-practice/"), 404)["code"] == "not_found"
    practice = make_practice(status="published")
    error = error_of(client.post(f"/api/practices/{practice.slug}/return/", {"reason": "Mine now"},
                                 content_type=JSON), 403)
    assert error["code"] == "permission_denied"


def test_events_refuse_a_second_registration_and_an_unknown_event(client, member):
    client.force_login(member)
    event = make_event()
    url = reverse("api-event-registration", args=[event.slug])
    client.post(url)
    assert "already registered" in error_of(client.post(url), 400)["message"]
    assert error_of(client.get(reverse("api-event", args=["no-such-event"])), 404)["code"] == "not_found"


def test_forums_name_the_field_and_refuse_reporting_ones_own_post(client, member):
    client.force_login(member)
    assert "q" in error_fields(client.get(reverse("api-forum-search")))
    topic = forum.topic(category_=forum.category(name="Housing", slug="housing-errors"), author=member)
    error = error_of(client.post(reverse("api-forum-report", args=[topic.posts.get().pk]), {"reason": "x"},
                                 content_type=JSON), 403)
    assert error["code"] == "permission_denied"


def test_chat_names_the_field_and_refuses_other_peoples_conversations(client, member):
    client.force_login(member)
    assert "user" in error_fields(client.post(reverse("api-chat-direct"), {"user": 999999}, content_type=JSON))
    assert error_of(client.get(reverse("api-chat-messages", args=[999999])), 403)["code"] == "permission_denied"


def test_the_chat_pages_upload_answers_json_refusals_with_the_same_shape(client, member):
    """The messenger's script posts files to the page (not the API); its refusals read the same."""
    peer = factories.UserFactory()
    client.force_login(member)
    conversation_id = client.post(reverse("api-chat-direct"), {"user": peer.pk}, content_type=JSON).json()["id"]
    url = reverse("chat:send", args=[conversation_id])
    headers = {"Accept": "application/json"}
    assert "body" in error_fields(client.post(url, {"body": ""}, headers=headers))
    client.force_login(peer)
    client.post(reverse("chat:block", args=[member.pk]))
    client.force_login(member)
    error = error_of(client.post(url, {"body": "hello"}, headers=headers), 403)
    assert error["code"] == "permission_denied" and "fields" not in error


def test_expertise_names_the_field_refuses_strangers_and_says_not_found(client, member):
    client.force_login(member)
    assert "title" in error_fields(client.post("/api/expertise/requests/", {"title": ""}, content_type=JSON))
    assert error_of(client.get("/api/expertise/requests/no-such-request/"), 404)["code"] == "not_found"
    request = make_request(visibility="public")
    error = error_of(client.post(f"/api/expertise/requests/{request.slug}/status/", {"to": "closed", "reason": "x"},
                                 content_type=JSON), 403)
    assert error["code"] == "permission_denied"


def test_core_says_not_found_for_someone_elses_notification(client, member):
    client.force_login(member)
    assert error_of(client.post(reverse("api-notification-read", args=[999999])), 404)["code"] == "not_found"


def test_a_rate_limit_says_when_to_try_again(client, member, settings):
    client.force_login(member)
    conversation_id = client.post(reverse("api-chat-direct"), {"user": factories.UserFactory().pk},
                                  content_type=JSON).json()["id"]
    url = reverse("api-chat-messages", args=[conversation_id])
    for _ in range(100):
        response = client.post(url, {"body": "hello"}, content_type=JSON)
        if response.status_code == 429:
            break
    error = error_of(response, 429)
    assert error["code"] == "rate_limited" and error["retry_after"] > 0
    assert response["Retry-After"] == str(error["retry_after"])


def test_the_error_shape_is_documented_once_and_referenced_by_every_operation(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    for path in schema["paths"].values():
        for operation in path.values():
            assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}
