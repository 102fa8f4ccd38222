"""Find peers: organisations sharing the most sub-topics and areas, the same kind first, with why each matched."""

import pytest

from core.models import PolicyArea, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def test_peers_are_ranked_same_kind_first_then_by_shared_topics_with_reasons(client):
    area = {a.code: a for a in PolicyArea.objects.all()}
    topic = {t.slug: t for t in Topic.objects.all()}
    mine = factories.OrganisationFactory(name="Utrecht", kind="municipality", policy_areas=[area["socio-economic"]],
                                         topics=[topic["housing"], topic["employment"]])
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=mine)
    factories.OrganisationFactory(name="NGO with both topics", kind="ngo", policy_areas=[area["socio-economic"]],
                                  topics=[topic["housing"], topic["employment"]])
    factories.OrganisationFactory(name="City with one topic", kind="municipality",
                                  policy_areas=[area["socio-economic"]], topics=[topic["housing"]])
    factories.OrganisationFactory(name="City with the area only", kind="municipality",
                                  policy_areas=[area["socio-economic"]])
    factories.OrganisationFactory(name="Unrelated city", kind="municipality", policy_areas=[area["cultural"]])
    factories.OrganisationFactory(name="Unverified city", kind="municipality", verified=False,
                                  topics=[topic["housing"]])
    client.force_login(user)
    response = client.get("/directory/peers/")
    rows = response.context["rows"]
    assert [peer.name for peer, _ in rows] == ["City with one topic", "City with the area only",
                                               "NGO with both topics"]
    assert rows[0][1] == ["same kind (Municipality)", "shares Housing", "works on Socio-economic integration"]
    assert rows[2][1] == ["shares Employment, Housing", "works on Socio-economic integration"] or \
        rows[2][1] == ["shares Housing, Employment", "works on Socio-economic integration"]


def test_a_member_of_several_organisations_chooses_which_one_to_find_peers_for(client):
    first = factories.OrganisationFactory(name="A first", topics=[Topic.objects.get(slug="housing")])
    second = factories.OrganisationFactory(name="B second", topics=[Topic.objects.get(slug="media")])
    factories.OrganisationFactory(name="Media peer", topics=[Topic.objects.get(slug="media")])
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=first)
    factories.MembershipFactory(user=user, organisation=second)
    client.force_login(user)
    response = client.get("/directory/peers/", {"organisation": second.slug})
    assert response.context["chosen"] == second
    assert [peer.name for peer, _ in response.context["rows"]] == ["Media peer"]


def test_find_peers_asks_a_member_without_organisation_to_join_one(client):
    client.force_login(factories.UserFactory())
    assert "join yours" in client.get("/directory/peers/").content.decode()


def test_a_member_cannot_find_peers_for_an_organisation_they_do_not_belong_to(client, member, organisation):
    client.force_login(member)
    response = client.get("/directory/peers/", {"organisation": organisation.slug})
    assert response.context["chosen"] == member.memberships.get().organisation
