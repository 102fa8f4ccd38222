"""Every list of the expertise exchange keeps its query count as rows grow."""

import pytest

from core.models import PolicyArea, Topic
from expertise import services
from tests.expertise.factories import make_offer, make_request, member_of
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def _requests(n: int) -> None:
    for _ in range(n):
        request = make_request(visibility="public", topics=["housing", "employment"])
        make_offer(request)


def test_the_request_list_keeps_its_query_count(client):
    assert_queries_do_not_grow(client, "/expertise/", _requests, more=5)
    assert_queries_do_not_grow(client, "/expertise/?q=strategy&area=socio-economic", _requests, more=5)
    assert_queries_do_not_grow(client, "/api/expertise/requests/", _requests, more=5)
    client.force_login(member_of())
    assert_queries_do_not_grow(client, "/expertise/?status=all&kind=peer-review", _requests, more=5)


def test_a_request_page_keeps_its_query_count_with_many_offers_and_a_long_history(client):
    request = make_request()
    client.force_login(request.author)

    def add_offers(n: int) -> None:
        for _ in range(n):
            offer = make_offer(request)
            services.accept_offer(actor=request.author, offer=offer)

    assert_queries_do_not_grow(client, request.get_absolute_url(), add_offers, more=4)
    assert_queries_do_not_grow(client, f"/api/expertise/requests/{request.slug}/offers/", add_offers, more=4)
    assert_queries_do_not_grow(client, f"/api/expertise/requests/{request.slug}/", add_offers, more=4)


def test_my_requests_offers_and_follows_keep_their_query_count(client):
    me = member_of()
    organisation = me.memberships.get().organisation
    services.follow(user=me, topic=Topic.objects.get(slug="housing"))
    client.force_login(me)

    def add(n: int) -> None:
        for _ in range(n):
            make_request(author=me)
            make_offer(make_request(), author=me)
            make_request(topics=["housing"])
            services.follow(user=me, policy_area=PolicyArea.objects.order_by("?").first())

    assert_queries_do_not_grow(client, "/expertise/mine/", add, more=3)
    assert_queries_do_not_grow(client, "/expertise/follows/", add, more=3)
    assert organisation.support_requests.count() > 3
