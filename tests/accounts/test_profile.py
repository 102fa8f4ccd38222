import pytest
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.errors import error_fields
from tests.hostile import CONTROL_CHARACTERS, OVERLONG, XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

VALID = {"full_name": "Mia Member", "job_title": "Officer", "bio": "", "timezone": "Europe/Vienna",
         "language": "en", "profile_visibility": "public", "email_notifications": "each"}


def test_a_members_only_profile_is_hidden_from_visitors_but_shown_to_members(client, member):
    person = factories.UserFactory(full_name="Quiet Person", profile_visibility=User.Visibility.MEMBERS)
    url = reverse("accounts:profile", args=[person.pk])
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert "Quiet Person" in client.get(url).content.decode()


def test_a_profile_never_shows_an_email_address(client, member):
    client.force_login(member)
    person = factories.UserFactory(email="private@example.org")
    assert "private@example.org" not in client.get(reverse("accounts:profile", args=[person.pk])).content.decode()


def test_editing_the_profile_saves_and_renders_the_bio(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:profile-edit"), {**VALID, "bio": "I work on **housing**."})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.bio_html == "<p>I work on <strong>housing</strong>.</p>"


def test_an_unknown_time_zone_is_refused_and_the_profile_is_unchanged(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:profile-edit"), {**VALID, "timezone": "Europe/Atlantis"})
    assert "timezone" in response.context["form"].errors
    member.refresh_from_db()
    assert member.timezone == "Europe/Vienna"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_bio_is_rendered_inert(client, member, payload):
    client.force_login(member)
    client.post(reverse("accounts:profile-edit"), {**VALID, "bio": payload, "job_title": payload[:150]})
    page = client.get(reverse("accounts:profile", args=[member.pk])).content.decode()
    assert_inert(page)


@pytest.mark.parametrize("payload", [*CONTROL_CHARACTERS[:1], OVERLONG])
def test_null_bytes_and_overlong_text_are_refused_by_field(client, member, payload):
    client.force_login(member)
    response = client.post(reverse("accounts:profile-edit"), {**VALID, "full_name": payload})
    assert "full_name" in response.context["form"].errors
    member.refresh_from_db()
    assert member.full_name == "Mia Member"


def test_the_profile_api_names_the_field_it_refuses(client, member):
    client.force_login(member)
    response = client.patch(reverse("api-me"), {"timezone": "Nowhere/Else"}, content_type="application/json")
    assert "timezone" in error_fields(response)
    response = client.patch(reverse("api-me"), {"full_name": 12345 * 10**200}, content_type="application/json")
    assert response.status_code == 400
    response = client.patch(reverse("api-me"), {"job_title": "Head of unit"}, content_type="application/json")
    assert response.json()["job_title"] == "Head of unit"


def test_the_api_refuses_a_visitor(client):
    assert client.get(reverse("api-me")).status_code == 403
