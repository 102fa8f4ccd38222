"""Every list page and list endpoint keeps the same number of queries however many rows it shows."""

import pytest

from core.models import PolicyArea, Topic
from tests import factories
from tests.directory.factories import author_with_organisation, make_practice, make_resource
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def _organisations(n: int) -> None:
    areas, topics = list(PolicyArea.objects.all()), list(Topic.objects.all())
    for i in range(n):
        factories.OrganisationFactory(policy_areas=areas[: 1 + i % 3], topics=topics[i % 5: i % 5 + 2],
                                      country=["AT", "DE", "FR", "IT"][i % 4])


def _practices(n: int, status: str = "published", **kwargs) -> None:
    for i in range(n):
        make_practice(status=status, topics=("housing", "employment")[: 1 + i % 2], targets=("youth", "women"),
                      title=f"Practice number {i} on housing", **kwargs)


def _resources(n: int) -> None:
    for i in range(n):
        make_resource(title=f"Housing study {i}", year=2015 + i % 8, areas=("socio-economic", "cultural"))


@pytest.mark.parametrize("url", ["/directory/", "/directory/?area=socio-economic&kind=ngo&sort=recent",
                                 "/directory/?q=Organisation", "/api/organisations/?area=socio-economic",
                                 "/directory/export.csv"])
def test_the_directory_keeps_its_query_count(client, url):
    assert_queries_do_not_grow(client, url, _organisations)


@pytest.mark.parametrize("url", ["/practices/", "/practices/?topic=housing&target=youth&period=2015-2019",
                                 "/practices/?q=housing&sort=title", "/api/practices/?area=socio-economic",
                                 "/practices/export.csv", "/search/?q=housing"])
def test_the_practice_list_keeps_its_query_count(client, url):
    assert_queries_do_not_grow(client, url, _practices, more=6)


@pytest.mark.parametrize("url", ["/resources/", "/resources/?type=research&year=2016", "/resources/?q=housing",
                                 "/api/resources/", "/resources/export.csv"])
def test_the_resource_library_keeps_its_query_count(client, url):
    assert_queries_do_not_grow(client, url, _resources, more=6)


def test_the_review_queue_keeps_its_query_count(client, moderator):
    client.force_login(moderator)
    assert_queries_do_not_grow(client, "/practices/review/", lambda n: _practices(n, status="submitted"), more=6)


def test_my_practices_keeps_its_query_count(client):
    author = author_with_organisation()
    client.force_login(author)
    assert_queries_do_not_grow(client, "/practices/mine/", lambda n: _practices(n, status="draft", author=author),
                               more=6)


def test_the_members_directory_keeps_its_query_count(client, member):
    client.force_login(member)

    def add_people(n: int) -> None:
        for _ in range(n):
            user = author_with_organisation()
            factories.MembershipFactory(user=user)

    assert_queries_do_not_grow(client, "/people/?area=socio-economic", add_people)
    assert_queries_do_not_grow(client, "/people/export.csv", add_people)


def test_find_peers_keeps_its_query_count(client):
    areas, topics = list(PolicyArea.objects.all()), list(Topic.objects.all())
    mine = factories.OrganisationFactory(policy_areas=areas, topics=topics[:4])
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=mine)
    client.force_login(user)
    assert_queries_do_not_grow(client, "/directory/peers/", _organisations)


def test_the_organisation_page_keeps_its_query_count_with_many_practices_and_resources(client):
    author = author_with_organisation()
    organisation = author.memberships.get().organisation

    def add(n: int) -> None:
        _practices(n, author=author)
        for i in range(n):
            make_resource(actor=author, title=f"Guide {i}")

    assert_queries_do_not_grow(client, organisation.get_absolute_url(), add, more=4)


def test_a_practice_page_keeps_its_query_count_with_many_replications_and_revisions(client):
    from directory import services

    practice = make_practice(status="published", topics=("housing",), targets=("youth",))

    def add(n: int) -> None:
        for i in range(n):
            member = author_with_organisation()
            services.record_replication(actor=member, practice=practice, place=f"Town {i}", country="AT",
                                        organisation=member.memberships.get().organisation)
            services.update_practice(actor=practice.author, practice=practice, results=f"Update {i}")

    # Django keeps content types in the process once read: a first visit reads the discussion's, so the
    # counts compare pages that differ only in their rows (run alone, the first count held one more query).
    client.get(practice.get_absolute_url())
    assert_queries_do_not_grow(client, practice.get_absolute_url(), add, more=4)
    assert_queries_do_not_grow(client, f"/practices/{practice.slug}/history/", add, more=4)
