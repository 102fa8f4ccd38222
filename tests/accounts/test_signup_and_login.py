import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests import factories
from tests.hostile import XSS_PAYLOADS

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "nadia@example.org", "full_name": "Nadia Karimi", "job_title": "Caseworker",
          "timezone": "Europe/Berlin", "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"}


def test_sign_up_sends_a_verification_mail_and_log_in_waits_for_it(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="nadia@example.org")
    assert (user.full_name, user.job_title, user.timezone) == ("Nadia Karimi", "Caseworker", "Europe/Berlin")
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)

    client.logout()
    response = client.post(reverse("account_login"), {"login": "nadia@example.org",
                                                      "password": SIGNUP["password1"]})
    assert response["Location"] == reverse("account_email_verification_sent")

    client.post(link)
    response = client.post(reverse("account_login"), {"login": "nadia@example.org",
                                                      "password": SIGNUP["password1"]})
    assert response["Location"] == reverse("accounts:dashboard")


def test_a_duplicate_email_makes_no_second_account_and_the_owner_is_told_by_mail(client):
    # allauth's enumeration protection: the page does not reveal who is a member (the platform
    # never shows e-mail addresses); the address's owner gets the clear message in their inbox.
    factories.UserFactory(email="nadia@example.org")
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "Nadia@Example.org"})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="nadia@example.org").count() == 1
    assert "already" in mail.outbox[0].body.lower()


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("email", "not-an-address", "valid email"),
    ("full_name", "   ", "required"),
    ("timezone", "Mars/Olympus_Mons", "valid choice"),
    ("password2", "something-else-entirely", "same password"),
])
def test_sign_up_errors_name_the_field(client, field, value, expected):
    response = client.post(reverse("account_signup"), {**SIGNUP, field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert expected in " ".join(errors[field]).lower()
    assert not User.objects.exists()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_hostile_name_is_stored_as_text_and_shown_escaped(client, payload):
    client.post(reverse("account_signup"), {**SIGNUP, "full_name": payload})
    user = User.objects.get(email=SIGNUP["email"])
    assert user.full_name == " ".join(payload.split())
    factories.MembershipFactory(user=user)
    page = client.get(reverse("accounts:profile", args=[user.pk])).content.decode()
    assert payload not in page or "<" not in payload


def test_repeated_failed_log_ins_are_rate_limited(client):
    factories.UserFactory(email="ada@example.org")
    def attempt(password):
        response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": password})
        return " ".join(response.context["form"].non_field_errors()) if response.status_code == 200 else ""

    first = attempt("wrong")
    assert "not correct" in first
    errors = [attempt("wrong") for _ in range(5)]
    assert "Too many failed login attempts" in errors[-1]
    # Even the right password is refused until the window passes.
    assert "Too many failed login attempts" in attempt(factories.PASSWORD)


def test_a_suspended_member_cannot_log_in_and_sees_why(client):
    factories.UserFactory(email="sam@example.org", suspended_until=timezone.now() + timedelta(days=3),
                          suspension_reason="repeated personal attacks")
    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": factories.PASSWORD},
                           follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "repeated personal attacks" in response.content.decode()


def test_a_member_suspended_mid_session_is_logged_out(client, member):
    client.force_login(member)
    member.suspended_until = timezone.now() + timedelta(days=1)
    member.save()
    response = client.get(reverse("accounts:dashboard"))
    assert response["Location"] == reverse("account_login")
    assert not client.get(reverse("accounts:dashboard")).wsgi_request.user.is_authenticated
