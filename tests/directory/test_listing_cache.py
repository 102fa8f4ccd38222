"""Members' directory lists keep their filters, rows and pages as a block (core.fragments.block): a repeat of a
search costs the page around it, an edit shows on the next request in every language, and a list that depends
on the member's organisations is never shown to another member."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory import services
from tests import factories
from tests.directory.factories import author_with_organisation, make_practice, make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

PRACTICES = reverse("directory:practices")
RESOURCES = reverse("directory:resources")


def _main(client: Client, url: str, language: str = "en", **headers) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode().split("<main", 1)[-1].split("</main>", 1)[0]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_a_members_repeated_search_takes_the_list_from_the_cache(member_client):
    make_practice(status="published", title="Language cafés in Lyon")
    url = f"{PRACTICES}?q=cafés"
    first = _queries(member_client, url)
    again = _queries(member_client, url)
    assert "Language cafés in Lyon" in _main(member_client, url)
    # The rows, the count and the facets are not asked again: what is left is the page around the list.
    assert again < first - 2, (first, again)


def test_an_edit_shows_in_the_members_list_on_the_next_request_in_every_language(member_client):
    practice = make_practice(status="published", title="Language cafés in Lyon")
    for language in ("en", "fr", "ar"):
        assert "Language cafés in Lyon" in _main(member_client, PRACTICES, language)
    services.update_practice(actor=practice.author, practice=practice, title="Conversation tables in Lyon")
    for language in ("en", "fr", "ar"):
        page = _main(member_client, PRACTICES, language)
        assert "Conversation tables in Lyon" in page and "Language cafés" not in page


def test_a_new_practice_changes_the_members_search_results_and_counts(member_client):
    make_practice(status="published", title="Housing first in Vienna")
    url = f"{PRACTICES}?q=housing"
    assert "Housing first in Vienna" in _main(member_client, url)
    make_practice(status="published", title="Housing cooperatives in Zurich")
    page = _main(member_client, url)
    assert "Housing cooperatives in Zurich" in page and "Housing first in Vienna" in page


def test_visitors_and_members_get_their_own_empty_list(client, member):
    """The empty library invites a member to share a practice and a visitor to log in: never the other's."""
    assert "Share a practice" not in _main(client, PRACTICES).split('id="listing"', 1)[1]
    client.force_login(member)
    assert "Share a practice" in _main(client, PRACTICES).split('id="listing"', 1)[1]


def test_the_htmx_partial_and_the_whole_page_carry_the_same_list(member_client):
    make_practice(status="published", title="Mentoring newcomers in Porto")
    partial = member_client.get(f"{PRACTICES}?sort=title", HTTP_HX_REQUEST="true").content.decode()
    assert partial.strip().startswith('<div id="listing">') and "<main" not in partial
    assert "Mentoring newcomers in Porto" in partial
    whole = _main(member_client, f"{PRACTICES}?sort=title")
    assert "Mentoring newcomers in Porto" in whole and "<header" not in partial


def test_a_resource_of_an_unverified_publisher_stays_with_its_own_members(client):
    publisher = factories.OrganisationFactory(verified=False, name="Newly joined NGO")
    insider = author_with_organisation(publisher)
    make_resource(actor=insider, publisher=publisher, title="Our draft toolkit")
    outsider = factories.UserFactory()
    client.force_login(insider)
    assert "Our draft toolkit" in _main(client, RESOURCES)
    client.force_login(outsider)
    for _ in range(2):
        assert "Our draft toolkit" not in _main(client, RESOURCES)
    client.logout()
    assert "Our draft toolkit" not in _main(client, RESOURCES)


def test_a_deleted_resource_leaves_the_members_list_at_once(member_client, member):
    organisation = factories.OrganisationFactory()
    factories.MembershipFactory(user=member, organisation=organisation, role="admin")
    resource = make_resource(actor=member, publisher=organisation, title="Guide to local services")
    assert "Guide to local services" in _main(member_client, RESOURCES)
    services.delete_resource(actor=member, resource=resource)
    assert "Guide to local services" not in _main(member_client, RESOURCES)


SEARCH = reverse("directory:search")


def test_a_members_site_search_shows_an_edit_on_the_next_request_in_every_language(member_client):
    practice = make_practice(status="published", title="Welcome desks for newcomers")
    url = f"{SEARCH}?q=welcome"
    first, again = _queries(member_client, url), _queries(member_client, url)
    assert again < first - 2, (first, again)
    for language in ("en", "fr"):
        assert "Welcome desks for newcomers" in _main(member_client, url, language)
    services.update_practice(actor=practice.author, practice=practice, title="Welcome centres for newcomers")
    for language in ("en", "fr"):
        page = _main(member_client, url, language)
        assert "Welcome centres for newcomers" in page and "Welcome desks" not in page


def test_a_members_site_search_is_never_shown_to_another_member(client):
    publisher = factories.OrganisationFactory(verified=False, name="Newly joined NGO")
    insider = author_with_organisation(publisher)
    make_resource(actor=insider, publisher=publisher, title="Toolkit for welcome desks")
    url = f"{SEARCH}?q=toolkit"
    client.force_login(insider)
    assert "Toolkit for welcome desks" in _main(client, url)
    client.force_login(factories.UserFactory())
    for _ in range(2):
        assert "Toolkit for welcome desks" not in _main(client, url)
