"""The organisation's page shows its practices and resources, as far as the viewer may see them."""

import pytest

from tests.directory.factories import author_with_organisation, make_practice, make_resource

pytestmark = pytest.mark.django_db


def test_the_organisation_page_lists_its_published_practices_and_resources(client):
    author = author_with_organisation()
    organisation = author.memberships.get().organisation
    make_practice(author=author, status="published", title="Published one")
    make_practice(author=author, status="draft", title="Draft one")
    make_resource(actor=author, title="A toolkit")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Published one" in page and "A toolkit" in page and "Draft one" not in page
    client.force_login(author)
    assert "Draft one" in client.get(organisation.get_absolute_url()).content.decode()


def test_a_partner_organisation_shows_the_practice_too(client):
    partner_member = author_with_organisation()
    partner = partner_member.memberships.get().organisation
    practice = make_practice(status="published", title="Joint project")
    from directory import services

    services.update_practice(actor=practice.author, practice=practice, partners=[partner])
    assert "partner of" in client.get(partner.get_absolute_url()).content.decode()


def test_the_dashboard_lists_my_practices_and_tells_moderators_what_awaits_review(client, moderator):
    practice = make_practice(status="returned", title="My returned practice")
    client.force_login(practice.author)
    page = client.get("/me/").content.decode()
    assert "My returned practice" in page and "Returned to the author" in page and "await" not in page
    make_practice(status="submitted")
    client.force_login(moderator)
    assert "1 practice awaits review" in client.get("/me/").content.decode()


def test_the_home_page_shows_the_latest_published_practices(client):
    make_practice(status="published", title="Fresh practice")
    make_practice(status="draft", title="Hidden draft")
    page = client.get("/").content.decode()
    assert "Fresh practice" in page and "Hidden draft" not in page
