"""Permissions from the outside: a visitor, a member of another organisation, the offerer, the requester
and a moderator each try every action on a request, through the pages and the API."""

import pytest

from expertise import services
from expertise.models import Offer, SupportRequest
from tests import factories
from tests.directory.factories import pdf_upload
from tests.expertise.factories import make_offer, make_request, member_of

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "outsider", "offerer", "requester", "moderator"]


@pytest.fixture
def cast():
    request = make_request(title="Peer review of the draft strategy")
    offer = make_offer(request)
    people = {"visitor": None, "outsider": member_of(), "offerer": offer.author, "requester": request.author,
              "moderator": factories.ModeratorFactory()}
    return request, offer, people


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _allowed(response) -> bool:
    """A write went through: a redirect that is not to the log-in page, or a 2xx."""
    if response.status_code in (302, 303):
        return "/accounts/login/" not in response.url
    return 200 <= response.status_code < 300


# Each action: (method, url template, data, who may do it).
PAGE_ACTIONS = [
    ("post", "/expertise/{slug}/status/", {"to": "closed", "reason": "No longer needed"}, {"requester"}),
    ("post", "/expertise/{slug}/invite/", {"organisation": "{peer}"}, {"requester"}),
    ("post", "/expertise/{slug}/hide/", {"reason": "Spam"}, {"moderator"}),
    ("post", "/expertise/offers/{offer}/withdraw/", {}, {"offerer"}),
    ("post", "/expertise/offers/{offer}/decline/", {"note": "Thanks"}, {"requester"}),
    ("post", "/expertise/offers/{offer}/accept/", {}, {"requester"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "data", "allowed"), PAGE_ACTIONS,
                         ids=["status", "invite", "hide", "withdraw", "decline", "accept"])
def test_every_page_action_is_open_only_to_its_role(client, cast, role, method, url, data, allowed):
    request, offer, people = cast
    peer = factories.OrganisationFactory()
    member_of(peer, role="admin")
    fill = {"slug": request.slug, "offer": offer.pk, "peer": peer.pk}
    response = getattr(_as(client, people[role]), method)(url.format(**fill),
                                                          {k: str(v).format(**fill) for k, v in data.items()})
    if role not in allowed:
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:  # a visitor is sent to log in; a refused move changes nothing
            offer.refresh_from_db()
            request.refresh_from_db()
            assert offer.status == "pending" and request.status == "open" and not request.hidden
            assert not request.invitations.exists()
    else:
        assert _allowed(response)
        offer.refresh_from_db()
        request.refresh_from_db()
        assert (offer.status, request.status, request.hidden, request.invitations.exists()) != (
            "pending", "open", False, False), "the action changed nothing"


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_request_its_offers_and_the_management_tools(client, cast, role):
    request, _offer, people = cast
    response = _as(client, people[role]).get(request.get_absolute_url())
    if role == "visitor":  # a members' request: the visitor is asked to sign in
        assert response.status_code in (302, 403)
        return
    page = response.content.decode()
    assert response.status_code == 200
    assert ("We did this in our city" in page) == (role in ("offerer", "requester"))
    assert ("Manage the request" in page) == (role == "requester")
    assert ("Hide the request" in page) == (role == "moderator")
    # The offerer's organisation has offered already; the moderator belongs to none.
    assert ("Offer help" in page) == (role == "outsider")


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_only_by_its_organisation_and_a_hidden_request_also_by_moderators(client, role):
    draft = make_request(status="draft")
    hidden = make_request()
    moderator = factories.ModeratorFactory()
    services.hide_request(moderator=moderator, request=hidden, reason="Advertising")
    people = {"visitor": None, "outsider": member_of(), "offerer": member_of(), "requester": draft.author,
              "moderator": moderator}
    client = _as(client, people[role])
    assert (client.get(draft.get_absolute_url()).status_code == 200) == (role == "requester")
    assert (client.get(hidden.get_absolute_url()).status_code == 200) == (role == "moderator")


@pytest.mark.parametrize("role", ROLES)
def test_editing_completing_and_attaching_are_for_the_requesting_organisation(client, cast, role):
    request, _offer, people = cast
    client = _as(client, people[role])
    edit = client.get(f"/expertise/{request.slug}/edit/")
    attach = client.post(f"/expertise/{request.slug}/attachments/", {"file": pdf_upload()})
    complete = client.get(f"/expertise/{request.slug}/complete/")
    ok = role == "requester"
    assert (edit.status_code == 200) == ok
    assert (complete.status_code == 200) == ok
    assert request.attachments.exists() == ok
    assert attach.status_code in (302, 403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_each_role_as_the_pages_do(client, cast, role):
    request, offer, people = cast
    client = _as(client, people[role])
    detail = client.get(f"/api/expertise/requests/{request.slug}/")
    assert (detail.status_code == 200) == (role != "visitor")
    offers = client.get(f"/api/expertise/requests/{request.slug}/offers/")
    if role == "visitor":
        assert offers.status_code in (401, 403)
    else:
        seen = {o["id"] for o in offers.json()}
        assert seen == ({offer.pk} if role in ("offerer", "requester") else set())
    decline = client.post(f"/api/expertise/offers/{offer.pk}/decline/", {}, content_type="application/json")
    assert (decline.status_code == 200) == (role == "requester")
    assert Offer.objects.get(pk=offer.pk).status == ("declined" if role == "requester" else "pending")
    new_offer = client.post(f"/api/expertise/requests/{request.slug}/offers/", {
        "organisation": people[role].memberships.first().organisation.slug if people[role]
        and people[role].memberships.exists() else "nope",
        "proposal": "We can help.", "timing": "May", "language": "en"}, content_type="application/json")
    assert (new_offer.status_code == 201) == (role == "outsider")
    complete = client.post(f"/api/expertise/requests/{request.slug}/outcome/", {"what_was_done": "x"},
                           content_type="application/json")
    assert complete.status_code in ((400,) if role == "requester" else (401, 403, 404))
    assert SupportRequest.objects.get(pk=request.pk).status == "open"
