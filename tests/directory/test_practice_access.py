"""Who may see and act on a practice, tried from outside through the pages and the API."""

import pytest

from directory import services
from directory.models import Practice
from tests import factories
from tests.directory.factories import author_with_organisation, make_practice

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "outsider", "colleague", "author", "org_admin", "moderator"]


@pytest.fixture
def people(moderator):
    """A practice's author, plus one person in each other role around it."""
    author = author_with_organisation()
    organisation = author.memberships.get().organisation
    return {
        "visitor": None,
        "outsider": author_with_organisation(),
        "colleague": author_with_organisation(organisation),
        "author": author,
        "org_admin": author_with_organisation(organisation, role="admin"),
        "moderator": moderator,
    }


def _client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


CAN_SEE_UNPUBLISHED = {"author", "org_admin", "moderator"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "published"])
def test_only_published_practices_are_public_the_rest_only_to_editors_and_moderators(client, people, role, status):
    practice = make_practice(author=people["author"], status=status, title="Neighbourhood mothers")
    client = _client_as(client, people[role])
    visible = status == "published" or role in CAN_SEE_UNPUBLISHED
    page = client.get(practice.get_absolute_url())
    assert page.status_code == (200 if visible else 404)
    api = client.get(f"/api/practices/{practice.slug}/")
    assert api.status_code == (200 if visible else 404)
    listed = client.get("/practices/", {"q": "Neighbourhood"}).content.decode()
    assert ("Neighbourhood mothers" in listed) == (status == "published")


CAN_EDIT = {"author", "org_admin"}


@pytest.mark.parametrize("role", ROLES)
def test_editing_through_the_page_is_for_the_author_and_the_organisation_admins(client, people, role):
    practice = make_practice(author=people["author"], status="published", title="Original title")
    client = _client_as(client, people[role])
    response = client.get(f"/practices/{practice.slug}/edit/")
    if role == "visitor":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == (200 if role in CAN_EDIT else 403)
    api = client.patch(f"/api/practices/{practice.slug}/", {"title": "Changed"}, content_type="application/json")
    expected_api = 200 if role in CAN_EDIT else 403
    assert api.status_code == expected_api
    practice.refresh_from_db()
    assert (practice.title == "Changed") == (role in CAN_EDIT)


@pytest.mark.parametrize("role", ROLES)
def test_submitting_is_for_the_author_and_the_organisation_admins(client, people, role):
    practice = make_practice(author=people["author"], status="draft")
    client = _client_as(client, people[role])
    response = client.post(f"/practices/{practice.slug}/submit/")
    practice.refresh_from_db()
    if role in CAN_EDIT:
        assert response.status_code == 302 and practice.status == Practice.Status.SUBMITTED
    else:
        assert practice.status == Practice.Status.DRAFT
        if role == "visitor":
            assert response["Location"].startswith("/accounts/login/")
        elif role == "moderator":
            assert response.status_code == 403
        else:
            assert response.status_code == 404, "a draft stays invisible to those who cannot edit it"


@pytest.mark.parametrize("role", ROLES)
def test_publishing_and_returning_through_the_pages_is_for_moderators_only(client, people, role):
    practice = make_practice(author=people["author"], status="submitted")
    client = _client_as(client, people[role])
    publish = client.post(f"/practices/{practice.slug}/publish/")
    practice.refresh_from_db()
    published = practice.status
    give_back = client.post(f"/practices/{practice.slug}/return/", {"reason": "Needs results."})
    practice.refresh_from_db()
    if role == "moderator":
        assert publish.status_code == 302 and published == Practice.Status.PUBLISHED
        assert give_back.status_code == 302 and practice.status == Practice.Status.RETURNED
    else:
        assert practice.status == Practice.Status.SUBMITTED
        expected = {"visitor": 302, "outsider": 404, "colleague": 404}.get(role, 403)
        assert publish.status_code == expected and give_back.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_publishing_and_returning_through_the_api_is_for_moderators_only(client, people, role):
    practice = make_practice(author=people["author"], status="submitted")
    client = _client_as(client, people[role])
    response = client.post(f"/api/practices/{practice.slug}/return/", {"reason": "Too short."},
                           content_type="application/json")
    practice.refresh_from_db()
    if role == "moderator":
        assert response.status_code == 200 and practice.status == Practice.Status.RETURNED
    else:
        assert response.status_code in {"visitor": (403,), "outsider": (404,), "colleague": (404,)}.get(role, (403,))
        assert practice.status == Practice.Status.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_the_review_queue_is_for_moderators(client, people, role):
    make_practice(author=people["author"], status="submitted", title="Awaiting review")
    response = _client_as(client, people[role]).get("/practices/review/")
    if role == "visitor":
        assert response.status_code == 302
    elif role == "moderator":
        assert "Awaiting review" in response.content.decode()
    else:
        assert response.status_code == 403


def test_the_workflow_log_is_shown_to_editors_and_moderators_but_not_to_the_public(client, people):
    practice = make_practice(author=people["author"], status="returned", moderator=people["moderator"])
    reason = "Add the results, please."
    services.submit_practice(actor=people["author"], practice=practice)
    services.publish_practice(actor=people["moderator"], practice=practice)
    for role in ("author", "org_admin", "moderator"):
        client.force_login(people[role])
        assert reason in client.get(practice.get_absolute_url()).content.decode()
    client.logout()
    assert reason not in client.get(practice.get_absolute_url()).content.decode()
    client.force_login(people["outsider"])
    assert reason not in client.get(practice.get_absolute_url()).content.decode()
    assert reason not in client.get(f"/practices/{practice.slug}/history/").content.decode()


def test_a_member_without_an_organisation_is_told_to_join_one_and_cannot_submit(client):
    loner = factories.UserFactory()
    client.force_login(loner)
    response = client.get("/practices/new/")
    assert "Join an organisation first" in response.content.decode()
    response = client.post("/practices/new/", {"organisation": "1", "title": "x", "summary": "y",
                                               "start_year": 2020, "country": "AT"})
    assert "organisation" in response.context["form"].errors
    assert not Practice.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_replication_of_a_published_practice_needs_a_signed_in_member(client, people, role):
    practice = make_practice(author=people["author"], status="published")
    client = _client_as(client, people[role])
    response = client.post(f"/practices/{practice.slug}/replications/", {"place": "Graz", "country": "AT"})
    assert response.status_code == 302
    if role == "visitor":
        assert response["Location"].startswith("/accounts/login/")
    assert practice.replications.exists() == (role != "visitor")
