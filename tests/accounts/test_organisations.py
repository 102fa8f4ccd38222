import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Organisation
from core.models import Notification, Topic
from tests import factories
from tests.errors import error_fields, error_of
from tests.hostile import XSS_PAYLOADS, assert_inert
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

NEW_ORG = {"name": "Stadt Graz – Integrationsreferat", "kind": "municipality", "country": "AT", "city": "Graz",
           "level": "local", "website": "https://graz.example", "description": "We run *language cafés*."}


def test_founding_an_organisation_makes_the_founder_its_admin_and_it_waits_for_staff(client, member):
    client.force_login(member)
    housing = Topic.objects.get(slug="housing")
    response = client.post(reverse("accounts:organisation-create"), {**NEW_ORG, "topics": [housing.pk]})
    organisation = Organisation.objects.get(name=NEW_ORG["name"])
    assert response["Location"] == organisation.get_absolute_url()
    assert not organisation.verified
    assert organisation.memberships.get(user=member).is_admin
    assert list(organisation.policy_areas.values_list("code", flat=True)) == ["socio-economic"]
    assert organisation.description_html == "<p>We run <em>language cafés</em>.</p>"


@pytest.mark.parametrize(("field", "value"), [("country", "XX"), ("kind", "cult"), ("website", "not a url"),
                                              ("name", "   ")])
def test_an_invalid_organisation_is_refused_by_field(client, member, field, value):
    client.force_login(member)
    response = client.post(reverse("accounts:organisation-create"), {**NEW_ORG, field: value})
    assert field in response.context["form"].errors
    assert not Organisation.objects.filter(city="Graz").exists()


def test_an_unverified_organisation_is_hidden_from_visitors_and_outsiders(client, member, outsider):
    organisation = services.found_organisation(founder=member, name="New NGO", kind="ngo", country="DE")
    url = organisation.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_only_staff_verify_and_the_admins_are_told(member, staff):
    organisation = services.found_organisation(founder=member, name="New NGO", kind="ngo", country="DE")
    with pytest.raises(PermissionDenied):
        services.set_organisation_verified(actor=member, organisation=organisation, verified=True)
    services.set_organisation_verified(actor=staff, organisation=organisation, verified=True)
    assert Notification.objects.filter(recipient=member, kind="accounts.verified").exists()


def test_a_join_request_reaches_the_admins_and_approval_makes_a_member(client, organisation, org_admin, member):
    client.force_login(member)
    client.post(reverse("accounts:organisation-join", args=[organisation.slug]), {"message": "Hello!"})
    membership = Membership.objects.get(user=member, organisation=organisation)
    assert membership.status == "pending"
    assert Notification.objects.filter(recipient=org_admin, kind="accounts.join_request").exists()

    client.force_login(org_admin)
    page = client.get(reverse("accounts:organisation-members", args=[organisation.slug])).content.decode()
    assert "Hello!" in page
    client.post(reverse("accounts:membership-action", args=[organisation.slug, membership.pk, "approve"]))
    membership.refresh_from_db()
    assert membership.is_active
    assert Notification.objects.filter(recipient=member, kind="accounts.join_approved").exists()


def test_asking_to_join_twice_is_refused_with_a_message(client, organisation, member):
    client.force_login(member)
    url = reverse("accounts:organisation-join", args=[organisation.slug])
    client.post(url)
    response = client.post(url, follow=True)
    assert "already asked to join" in response.content.decode()
    services.approve_membership(actor=factories.UserFactory(is_staff=True), organisation=organisation,
                                membership_id=Membership.objects.get(user=member, organisation=organisation).pk)
    response = client.post(url, follow=True)
    assert "already a member" in response.content.decode()
    assert Membership.objects.filter(user=member, organisation=organisation).count() == 1


def test_the_join_api_refuses_a_second_request_naming_the_organisation(client, organisation, member):
    client.force_login(member)
    url = reverse("api-organisation-join", args=[organisation.slug])
    assert client.post(url, {"message": "hi"}, content_type="application/json").status_code == 201
    response = client.post(url, {"message": "hi"}, content_type="application/json")
    assert "already asked" in error_of(response, 409)["fields"]["organisation"][0]
    response = client.post(url, {"message": "x" * 501}, content_type="application/json")
    assert "message" in error_fields(response)


def test_declining_removes_the_request_and_tells_the_member(organisation, org_admin, member):
    membership = services.request_membership(user=member, organisation=organisation)
    services.decline_membership(actor=org_admin, organisation=organisation, membership_id=membership.pk)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Notification.objects.filter(recipient=member, kind="accounts.join_declined").exists()


def test_the_last_admin_can_neither_leave_nor_be_removed_nor_demoted(client, organisation, org_admin):
    admin_membership = organisation.memberships.get(user=org_admin)
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.remove_member(actor=org_admin, organisation=organisation, membership_id=admin_membership.pk)
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.change_member_role(actor=org_admin, organisation=organisation,
                                    membership_id=admin_membership.pk, role="member")
    client.force_login(org_admin)
    response = client.post(reverse("accounts:organisation-leave", args=[organisation.slug]), follow=True)
    assert "must keep at least one administrator" in response.content.decode()
    assert organisation.memberships.get(user=org_admin).is_admin


def test_with_a_second_admin_the_first_may_step_down(organisation, org_admin):
    second = factories.MembershipFactory(organisation=organisation, role="admin")
    first = organisation.memberships.get(user=org_admin)
    services.change_member_role(actor=second.user, organisation=organisation, membership_id=first.pk, role="organiser")
    first.refresh_from_db()
    assert first.role == "organiser"


ADMIN_ACTIONS = ["approve", "decline", "remove", "role"]


@pytest.mark.parametrize("who", ["visitor", "outsider", "member", "moderator"])
def test_only_the_organisations_admins_manage_it(client, organisation, org_admin, who, outsider, moderator):
    colleague = factories.MembershipFactory(organisation=organisation).user
    pending = services.request_membership(user=factories.UserFactory(), organisation=organisation)
    actor = {"visitor": None, "outsider": outsider, "member": colleague, "moderator": moderator}[who]
    if actor:
        client.force_login(actor)
    expected = 302 if actor is None else 403
    assert client.get(reverse("accounts:organisation-edit", args=[organisation.slug])).status_code == expected
    assert client.get(reverse("accounts:organisation-members", args=[organisation.slug])).status_code == expected
    for action in ADMIN_ACTIONS:
        url = reverse("accounts:membership-action", args=[organisation.slug, pending.pk, action])
        assert client.post(url, {"role": "admin"}).status_code == expected
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_organisation_text_is_inert_on_its_page(client, organisation, org_admin, payload):
    client.force_login(org_admin)
    client.post(reverse("accounts:organisation-edit", args=[organisation.slug]),
                {**NEW_ORG, "name": payload[:200], "city": payload[:120], "description": payload})
    assert_inert(client.get(organisation.get_absolute_url()).content.decode())


def test_organisation_page_and_members_page_keep_a_constant_query_count(client, organisation, org_admin):
    client.force_login(org_admin)

    def add(n):
        for _ in range(n):
            factories.MembershipFactory(organisation=organisation)
            services.request_membership(user=factories.UserFactory(), organisation=organisation)

    assert_queries_do_not_grow(client, organisation.get_absolute_url(), add)
    assert_queries_do_not_grow(client, reverse("accounts:organisation-members", args=[organisation.slug]), add)


def test_dashboard_keeps_a_constant_query_count(client, member):
    client.force_login(member)

    def add(n):
        for _ in range(n):
            factories.MembershipFactory(user=member, role="admin")

    assert_queries_do_not_grow(client, reverse("accounts:dashboard"), add)
