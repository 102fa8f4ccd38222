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
