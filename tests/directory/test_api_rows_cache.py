"""The practices API keeps each practice's item (core/fragments.py, kept_rows): an edit of the practice, of its
organisation or of a version in another language shows in the next answer, in every language."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from directory import services
from tests.directory.factories import author_with_organisation, make_practice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


def _items(client: Client, language: str = "en", query: str = "") -> dict[str, dict]:
    """The answer in `language`: a visitor's by Accept-Language, a member's by their own choice of language."""
    if getattr(client, "member", None) is not None:
        accounts_services.set_language(user=client.member, language=language)
    response = client.get(reverse("api-practices") + query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return {item["slug"]: item for item in response.json()["results"]}


def _each_time(client: Client, check) -> bool:
    """True in English and French, each asked twice so the second answer comes from the cache."""
    return all(check(_items(client, language)) for language in ("en", "fr") for _ in range(2))


@pytest.fixture
def author(db):
    return author_with_organisation(role="admin")


@pytest.fixture
def practice(author):
    return make_practice(author=author, status="published", title="Co-housing in Utrecht")


def test_an_edited_practice_shows_in_the_next_answer(client, member, author, practice):
    client.force_login(member)
    client.member = member
    _items(client), _items(client, "fr")
    services.update_practice(actor=author, practice=practice, title="Co-housing in Utrecht and Ghent",
                             results="Forty **flats** shared.")
    assert _each_time(client, lambda items: items[practice.slug]["title"] == "Co-housing in Utrecht and Ghent")
    assert _each_time(client, lambda items: "<strong>flats</strong>" in items[practice.slug]["results_html"])


def test_the_organisations_new_name_and_a_new_version_show_in_the_next_answer(client, author, practice, moderator):
    _items(client), _items(client, "fr")
    accounts_services.update_organisation(actor=author, organisation=practice.organisation,
                                          name="Utrecht Housing Lab")
    assert _each_time(client, lambda items: items[practice.slug]["organisation_name"] == "Utrecht Housing Lab")
    version = services.translate_practice(translator=author, original=practice, language="fr", submit=True,
                                          title="Cohabitation à Utrecht", summary="Des colocations.")
    services.publish_practice(actor=moderator, practice=version)
    assert _each_time(client, lambda items: [v["slug"] for v in items[practice.slug]["translations"]]
                      == [version.slug])


def test_a_practice_returned_to_its_author_leaves_the_list_at_once(client, practice, moderator):
    assert practice.slug in _items(client)
    services.return_practice(actor=moderator, practice=practice, reason="Please add the results.")
    assert _each_time(client, lambda items: practice.slug not in items)
