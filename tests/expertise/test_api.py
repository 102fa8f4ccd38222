"""The API covers requests, suggestions, offers, accept, decline, complete and outcome, with the same
services behind it, and every endpoint is in the OpenAPI schema."""

import pytest

from chat.models import Conversation
from expertise.models import SupportRequest
from tests import factories
from tests.directory.factories import make_practice
from tests.expertise.factories import make_offer, make_request, member_of

pytestmark = pytest.mark.django_db


def test_a_member_posts_a_request_through_the_api_and_a_peer_offers_and_is_accepted(client):
    author = member_of()
    client.force_login(author)
    response = client.post("/api/expertise/requests/", {
        "organisation": author.memberships.get().organisation.slug, "title": "Evaluation of our language courses",
        "kind": "data", "needs": "Help us **measure** outcomes.", "country": "DE", "level": "local",
        "languages": ["de", "en"], "topics": ["language-learning"], "visibility": "public", "publish": True,
    }, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and body["policy_areas"] == ["socio-economic"]
    assert "<strong>measure</strong>" in body["needs_html"]
    assert [h["to"] for h in body["history"]] == ["draft", "open"]
    slug = body["slug"]

    peer_org = factories.OrganisationFactory(name="Evaluators")
    make_practice(organisation=peer_org, status="published", topics=("language-learning",))
    client.logout()
    suggestions = client.get(f"/api/expertise/requests/{slug}/suggestions/").json()
    assert suggestions[0]["organisation"] == peer_org.slug
    assert suggestions[0]["reasons"][0].startswith("1 published practice in Language learning")

    offerer = member_of(peer_org)
    client.force_login(offerer)
    offer = client.post(f"/api/expertise/requests/{slug}/offers/", {
        "organisation": peer_org.slug, "proposal": "An evaluation design workshop.", "timing": "June",
        "language": "en"}, content_type="application/json")
    assert offer.status_code == 201
    offer_id = offer.json()["id"]

    client.force_login(author)
    accepted = client.post(f"/api/expertise/offers/{offer_id}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["conversation_url"] == Conversation.objects.get().get_absolute_url()
    again = client.post(f"/api/expertise/offers/{offer_id}/accept/")
    assert again.status_code == 200 and Conversation.objects.count() == 1

    started = client.post(f"/api/expertise/requests/{slug}/status/", {"to": "in-progress"},
                          content_type="application/json")
    assert started.json()["status"] == "in-progress"
    outcome = client.post(f"/api/expertise/requests/{slug}/outcome/", {
        "what_was_done": "A workshop and an evaluation plan.", "links": "https://example.org/plan"},
        content_type="application/json")
    assert outcome.status_code == 201
    client.logout()
    assert client.get(f"/api/expertise/requests/{slug}/outcome/").json()["links"] == "https://example.org/plan"
    assert client.get(f"/api/expertise/requests/{slug}/").json()["status"] == "completed"


def test_an_invalid_move_answers_400_naming_the_state(client):
    request = make_request(status="completed")
    client.force_login(request.author)
    response = client.post(f"/api/expertise/requests/{request.slug}/status/", {"to": "in-progress"},
                           content_type="application/json")
    assert response.status_code == 400 and "to" in response.json()["error"]["fields"]
    outcome = client.post(f"/api/expertise/requests/{request.slug}/outcome/", {"what_was_done": "Again"},
                          content_type="application/json")
    assert outcome.status_code == 400 and "status" in outcome.json()["error"]["fields"]


def test_declining_through_the_api_and_the_list_filters(client):
    request = make_request(visibility="public", kind="study-visit", country="FR")
    make_request(visibility="public", kind="advice", country="PT")
    offer = make_offer(request)
    client.force_login(request.author)
    declined = client.post(f"/api/expertise/offers/{offer.pk}/decline/", {"note": "Thank you!"},
                           content_type="application/json")
    assert declined.json()["status"] == "declined"
    client.logout()
    listed = client.get("/api/expertise/requests/", {"kind": "study-visit"}).json()
    assert [r["slug"] for r in listed["results"]] == [request.slug]
    assert client.get("/api/expertise/requests/", {"country": "PT"}).json()["count"] == 1


def test_a_request_is_edited_and_published_with_patch_and_its_organisation_stays(client):
    request = make_request(status="draft")
    client.force_login(request.author)
    response = client.patch(f"/api/expertise/requests/{request.slug}/", {"title": "A better title",
                                                                         "publish": True},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["title"] == "A better title"
    assert SupportRequest.objects.get(pk=request.pk).status == "open"
    other = factories.OrganisationFactory()
    moved = client.patch(f"/api/expertise/requests/{request.slug}/", {"organisation": other.slug},
                         content_type="application/json")
    assert moved.status_code == 400 and "organisation" in moved.json()["error"]["fields"]


def test_every_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ["/api/expertise/requests/", "/api/expertise/requests/{slug}/",
                 "/api/expertise/requests/{slug}/status/", "/api/expertise/requests/{slug}/suggestions/",
                 "/api/expertise/requests/{slug}/offers/", "/api/expertise/requests/{slug}/outcome/",
                 "/api/expertise/offers/{id}/accept/", "/api/expertise/offers/{id}/decline/"]:
        assert path in schema["paths"], path
