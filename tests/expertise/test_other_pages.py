"""The exchange on other pages, through core.extensions: the organisation page's open requests and
"Supported by" / "Helped" counts, the dashboard, and the site-wide search."""

import pytest

from expertise import services
from tests import factories
from tests.expertise.factories import make_offer, make_request, member_of
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_the_organisation_page_shows_open_requests_and_supported_by_and_helped_counts(client):
    city = factories.OrganisationFactory(name="Comune di Milano")
    request = make_request(organisation=city, visibility="public", title="Study visit on housing")
    helper = factories.OrganisationFactory(name="Refugee Housing Alliance")
    offer = make_offer(request, organisation=helper)
    services.accept_offer(actor=request.author, offer=offer)
    make_request(organisation=city, status="draft", title="A draft nobody else sees", visibility="public")

    page = client.get(city.get_absolute_url()).content.decode()
    assert "Study visit on housing" in page and "A draft nobody else sees" not in page
    assert "Supported by 1 organisation" in page and f"?organisation={city.slug}&amp;status=all" in page
    helper_page = client.get(helper.get_absolute_url()).content.decode()
    assert "Helped with 1 request" in helper_page
    listed = client.get(f"/expertise/?helped_by={helper.slug}&status=all").context["page"]
    assert [r.pk for r in listed] == [request.pk]


def test_a_members_request_is_counted_for_members_only(client):
    city = factories.OrganisationFactory()
    request = make_request(organisation=city, visibility="members")
    services.accept_offer(actor=request.author, offer=make_offer(request))
    assert "Supported by no organisation yet" in client.get(city.get_absolute_url()).content.decode()
    client.force_login(member_of())
    assert "Supported by 1 organisation" in client.get(city.get_absolute_url()).content.decode()


def test_the_organisation_page_keeps_its_query_count_with_many_requests(client):
    city = factories.OrganisationFactory()

    def add(n: int) -> None:
        for _ in range(n):
            request = make_request(organisation=city, visibility="public")
            services.accept_offer(actor=request.author, offer=make_offer(request))

    assert_queries_do_not_grow(client, city.get_absolute_url(), add, more=4)


def test_the_dashboard_shows_my_organisations_requests_my_offers_and_followed_areas(client):
    me = member_of()
    mine = make_request(organisation=me.memberships.get().organisation, title="Our own request")
    elsewhere = make_request(title="Someone else's request")
    make_offer(elsewhere, author=me)
    client.force_login(me)
    page = client.get("/me/").content.decode()
    assert mine.title in page and "Someone else&#x27;s request" in page
    assert "1 offer waits for an answer" not in page  # my organisation's request has none yet
    make_offer(mine)
    assert "1 offer waits for an answer" in client.get("/me/").content.decode()


def test_site_search_finds_requests_as_far_as_the_reader_may_see_them(client):
    make_request(title="Peer review of a housing strategy", visibility="public")
    make_request(title="Members-only housing evaluation", visibility="members")
    make_request(title="Draft housing idea", status="draft", visibility="public")
    visitor = client.get("/search/", {"q": "housing"}).content.decode()
    assert "Peer review of a housing strategy" in visitor
    assert "Members-only housing evaluation" not in visitor and "Draft housing idea" not in visitor
    client.force_login(member_of())
    member = client.get("/search/", {"q": "housing"}).content.decode()
    assert "Members-only housing evaluation" in member and "Draft housing idea" not in member
