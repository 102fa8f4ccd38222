"""'Replicated in': members record places that replicated a practice, linking their own organisation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory import services
from directory.models import Replication
from tests.directory.factories import author_with_organisation, make_practice

pytestmark = pytest.mark.django_db


def test_a_member_records_that_their_organisation_replicated_a_practice_and_the_page_links_it(client):
    practice = make_practice(status="published", title="Language buddies")
    replicator = author_with_organisation()
    organisation = replicator.memberships.get().organisation
    client.force_login(replicator)
    response = client.post(f"/practices/{practice.slug}/replications/", {
        "organisation": organisation.pk, "place": "Graz", "country": "AT", "year": 2021, "note": "In German."},
        follow=True)
    assert "Graz is listed as replicating this practice." in response.content.decode()
    replications = response.content.decode().split('data-testid="replications"')[1]
    assert f'href="{organisation.get_absolute_url()}"' in replications


def test_naming_an_organisation_one_does_not_belong_to_is_refused():
    practice = make_practice(status="published")
    stranger_org = author_with_organisation().memberships.get().organisation
    with pytest.raises(ValidationError) as error:
        services.record_replication(actor=author_with_organisation(), practice=practice, organisation=stranger_org,
                                    place="Graz", country="AT")
    assert "organisation" in error.value.message_dict


def test_an_organisation_is_listed_once_per_practice():
    practice = make_practice(status="published")
    member = author_with_organisation()
    organisation = member.memberships.get().organisation
    services.record_replication(actor=member, practice=practice, organisation=organisation, place="Graz",
                                country="AT")
    with pytest.raises(ValidationError):
        services.record_replication(actor=member, practice=practice, organisation=organisation, place="Linz",
                                    country="AT")


def test_replications_of_a_draft_are_only_for_its_editors():
    practice = make_practice(status="draft")
    with pytest.raises(PermissionDenied):
        services.record_replication(actor=author_with_organisation(), practice=practice, place="Graz", country="AT")


@pytest.mark.parametrize("role", ["visitor", "stranger", "adder", "author", "moderator"])
def test_who_may_remove_a_replication(client, role, moderator):
    practice = make_practice(status="published")
    adder = author_with_organisation()
    replication = services.record_replication(actor=adder, practice=practice, place="Graz", country="AT")
    user = {"visitor": None, "stranger": author_with_organisation(), "adder": adder, "author": practice.author,
            "moderator": moderator}[role]
    if user:
        client.force_login(user)
    response = client.post(f"/practices/{practice.slug}/replications/{replication.pk}/remove/")
    removed = not Replication.objects.filter(pk=replication.pk).exists()
    assert removed == (role in ("adder", "author", "moderator"))
    if role == "stranger":
        assert response.status_code == 403
