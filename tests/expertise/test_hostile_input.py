"""Hostile input in every field the expertise exchange adds: refused with an error naming the field, or
stored and shown inert, on the pages and in the API."""

import pytest

from core.models import Topic
from expertise.models import Offer, Outcome, SupportRequest
from tests.expertise.factories import make_offer, make_request, member_of
from tests.hostile import CONTROL_CHARACTERS, LEGITIMATE, OVERLONG, WRONG_TYPES, XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

HOSTILE = [*XSS_PAYLOADS, *CONTROL_CHARACTERS, *LEGITIMATE]
REQUEST_TEXT_FIELDS = ["title", "needs", "city"]
CHOICE_FIELDS = ["kind", "country", "level", "effort", "visibility", "languages", "needed_by", "organisation",
                 "topics"]


def _request_form(organisation_id: int, **override) -> dict:
    data = {"organisation": organisation_id, "title": "Study visit on housing", "kind": "study-visit",
            "needs": "We would like to visit a city.", "country": "FR", "level": "local", "city": "Lyon",
            "languages": ["fr"], "effort": "days", "visibility": "public",
            "topics": [Topic.objects.get(slug="housing").pk], "publish": "1"}
    data.update(override)
    return data


@pytest.mark.parametrize("field", REQUEST_TEXT_FIELDS)
@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_a_request_is_refused_or_shown_inert(client, field, payload, moderator):
    author = member_of()
    client.force_login(author)
    response = client.post("/expertise/new/", _request_form(author.memberships.get().organisation_id,
                                                            **{field: payload}), follow=True)
    assert response.status_code == 200
    request = SupportRequest.objects.first()
    if request is None:
        assert response.context["form"].errors.get(field), f"{field} refused without naming the field"
        return
    assert_inert(response.content.decode())
    assert_inert(client.get("/expertise/").content.decode())
    assert_inert(client.get("/expertise/mine/").content.decode())
    client.force_login(moderator)
    assert_inert(client.get(request.get_absolute_url()).content.decode())
    client.logout()
    assert_inert(client.get("/expertise/?q=" + payload[:50]).content.decode())


@pytest.mark.parametrize("field", [*REQUEST_TEXT_FIELDS, *CHOICE_FIELDS])
def test_overlong_or_invalid_request_fields_are_refused_on_their_field(client, field):
    author = member_of()
    client.force_login(author)
    value = OVERLONG if field in REQUEST_TEXT_FIELDS else ["<script>", "xx"] if field in ("languages", "topics") \
        else "<script>alert(1)</script>"
    response = client.post("/expertise/new/", _request_form(author.memberships.get().organisation_id,
                                                            **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_offers_decline_notes_invitations_and_outcomes_are_refused_or_inert(client, payload):
    request = make_request(visibility="public")
    offerer = member_of()
    client.force_login(offerer)
    client.post(f"/expertise/{request.slug}/offer/", {"organisation": offerer.memberships.get().organisation_id,
                                                      "proposal": payload, "timing": payload, "language": "en"})
    offer = Offer.objects.filter(request=request).first() or make_offer(request)
    client.force_login(request.author)
    assert_inert(client.get(request.get_absolute_url()).content.decode())
    client.post(f"/expertise/offers/{offer.pk}/decline/", {"note": payload})
    client.force_login(offer.author)
    assert_inert(client.get(request.get_absolute_url()).content.decode())
    assert_inert(client.get("/notifications/").content.decode())

    second = make_offer(request)
    client.force_login(request.author)
    client.post(f"/expertise/offers/{second.pk}/accept/")
    response = client.post(f"/expertise/{request.slug}/complete/", {"what_was_done": payload,
                                                                    "what_changed": payload, "links": payload})
    if not Outcome.objects.exists():
        assert response.context["form"].errors
    page = client.get(request.get_absolute_url()).content.decode()
    assert_inert(page)
    client.logout()
    assert_inert(client.get(request.get_absolute_url()).content.decode())


def test_a_null_byte_or_an_overlong_proposal_is_refused_on_its_field(client):
    request = make_request()
    offerer = member_of()
    client.force_login(offerer)
    for value in ("null\x00byte", OVERLONG):
        response = client.post(f"/expertise/{request.slug}/offer/", {
            "organisation": offerer.memberships.get().organisation_id, "proposal": value, "timing": "May",
            "language": "en"})
        assert response.context["form"].errors.get("proposal")
    assert not Offer.objects.exists()


@pytest.mark.parametrize("value", WRONG_TYPES, ids=range(len(WRONG_TYPES)))
@pytest.mark.parametrize("field", ["title", "needs", "kind", "country", "languages", "topics", "needed_by",
                                   "visibility", "city"])
def test_the_api_refuses_wrong_types_naming_the_field(client, field, value):
    author = member_of()
    client.force_login(author)
    body = {"organisation": author.memberships.get().organisation.slug, "title": "Help", "kind": "advice",
            "needs": "Advice on housing.", "country": "FR", "level": "local", "languages": ["fr"],
            "topics": ["housing"], field: value}
    response = client.post("/api/expertise/requests/", body, content_type="application/json")
    if response.status_code == 201:  # a value that is a valid choice (e.g. None for an optional date)
        return
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize("value", WRONG_TYPES, ids=range(len(WRONG_TYPES)))
@pytest.mark.parametrize("field", ["proposal", "timing", "language", "organisation"])
def test_the_offer_api_refuses_wrong_types_naming_the_field(client, field, value):
    request = make_request()
    offerer = member_of()
    client.force_login(offerer)
    body = {"organisation": offerer.memberships.get().organisation.slug, "proposal": "We can help.",
            "timing": "May", "language": "en", field: value}
    response = client.post(f"/api/expertise/requests/{request.slug}/offers/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Offer.objects.exists()
