"""Staff grant platform roles and verify organisations in the Django admin; nobody else gets in."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.models import User
from core.models import Notification
from moderation.permissions import is_moderator
from tests import factories

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """What a browser would submit from a page's main form: inputs, checked boxes, selected options."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            checkable = a.get("type") in ("checkbox", "radio")
            if checkable and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if checkable else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data.lstrip("\n") if not self.data[self._textarea][0] else data


def _submitted(client, url: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.data


def test_staff_make_a_member_a_moderator_by_adding_them_to_the_group(client, staff):
    member = factories.UserFactory(full_name="Mia Member")
    assert not is_moderator(member)
    client.force_login(staff)
    url = reverse("admin:accounts_user_change", args=[member.pk])
    data = _submitted(client, url)
    data["groups"] = [str(Group.objects.get(name=roles.MODERATORS).pk)]

    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = User.objects.get(pk=member.pk)  # a fresh instance: permissions are cached per object
    assert is_moderator(member)
    assert member.full_name == "Mia Member" and member.check_password(factories.PASSWORD)  # nothing else lost


def test_staff_verify_organisations_with_the_admin_action_and_their_admins_are_told(client, staff):
    founder = factories.UserFactory()
    organisation = factories.OrganisationFactory(verified=False, verified_at=None)
    factories.MembershipFactory(user=founder, organisation=organisation, role="admin")
    client.force_login(staff)

    response = client.post(reverse("admin:accounts_organisation_changelist"),
                           {"action": "verify", "_selected_action": [organisation.pk]}, follow=True)
    assert "1 organisation verified." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.verified and organisation.verified_at is not None
    assert Notification.objects.filter(recipient=founder, kind="accounts.verified").exists()

    client.post(reverse("admin:accounts_organisation_changelist"),
                {"action": "unverify", "_selected_action": [organisation.pk]})
    organisation.refresh_from_db()
    assert not organisation.verified and organisation.verified_at is None


def test_the_verified_flag_cannot_be_set_through_the_organisation_form(client, staff):
    organisation = factories.OrganisationFactory(verified=False, verified_at=None)
    client.force_login(staff)
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    data = {**_submitted(client, url), "verified": ["on"]}
    client.post(url, data)
    organisation.refresh_from_db()
    assert not organisation.verified  # only the action (through the service) verifies


@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_only_staff_reach_the_admin(client, who, member, moderator):
    if who != "visitor":
        client.force_login({"member": member, "moderator": moderator}[who])
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist"),
                reverse("admin:accounts_organisation_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
