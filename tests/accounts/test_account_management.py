"""A member manages their own account: password reset and change, e-mail change, log-out, sign-up limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-pass-phrase-77"


def _log_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _link_in_last_mail(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(0)


def test_a_forgotten_password_is_reset_through_the_mailed_link(client):
    factories.UserFactory(email="ada@example.org")
    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    assert mail.outbox[-1].to == ["ada@example.org"]
    link = _link_in_last_mail(r"/accounts/password/reset/key/\S+/")

    form_page = client.get(link, follow=True)
    assert "password1" in form_page.context["form"].fields
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    assert _log_in(client, "ada@example.org", NEW_PASSWORD)["Location"] == reverse("accounts:dashboard")
    client.logout()
    assert _log_in(client, "ada@example.org", factories.PASSWORD).status_code == 200  # the old one is refused


def test_a_reset_link_works_only_once(client):
    factories.UserFactory(email="ada@example.org")
    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    link = _link_in_last_mail(r"/accounts/password/reset/key/\S+/")
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    again = client.get(link, follow=True)
    assert again.context["token_fail"] is True


def test_a_reset_for_an_unknown_address_reveals_nothing_and_sends_no_reset_link(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("account_reset_password_done")
    assert all("/password/reset/key/" not in message.body for message in mail.outbox)


def test_a_member_changes_their_password_with_the_current_one(client):
    user = factories.UserFactory(email="ada@example.org")
    _log_in(client, "ada@example.org", factories.PASSWORD)
    response = client.post(reverse("account_change_password"), {
        "oldpassword": factories.PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The member stays logged in (ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE is off).
    assert client.get(reverse("accounts:dashboard")).status_code == 200


@pytest.mark.parametrize(("field", "data", "expected"), [
    ("oldpassword", {"oldpassword": "wrong-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
     "current password"),
    ("password1", {"oldpassword": factories.PASSWORD, "password1": "short", "password2": "short"}, "too short"),
    ("password2", {"oldpassword": factories.PASSWORD, "password1": NEW_PASSWORD, "password2": "different-one-99"},
     "same password"),
])
def test_a_refused_password_change_names_the_field_and_keeps_the_old_password(client, field, data, expected):
    user = factories.UserFactory(email="ada@example.org")
    _log_in(client, "ada@example.org", factories.PASSWORD)
    response = client.post(reverse("account_change_password"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert expected in " ".join(errors[field]).lower(), errors
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)


def test_a_member_changes_their_address_once_the_new_one_is_confirmed(client):
    user = factories.UserFactory(email="old@example.org")
    _log_in(client, "old@example.org", factories.PASSWORD)

    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})
    assert mail.outbox[-1].to == ["new@example.org"]
    link = _link_in_last_mail(r"/accounts/confirm-email/\S+/")
    # Until the new address is confirmed, the old one stays the member's address.
    user.refresh_from_db()
    assert user.email == "old@example.org"
    assert EmailAddress.objects.get(user=user, email="new@example.org").verified is False

    client.post(link)
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("new@example.org", True, True)]

    client.post(reverse("account_logout"))
    assert _log_in(client, "new@example.org", factories.PASSWORD)["Location"] == reverse("accounts:dashboard")


def test_changing_to_another_members_address_does_not_take_it_over(client):
    other = factories.UserFactory(email="taken@example.org")
    user = factories.UserFactory(email="ada@example.org")
    _log_in(client, "ada@example.org", factories.PASSWORD)
    client.post(reverse("account_email"), {"action_add": "", "email": "Taken@Example.org"})
    for link in re.findall(r"/accounts/confirm-email/\S+/", " ".join(m.body for m in mail.outbox)):
        client.post(link)
    user.refresh_from_db()
    assert user.email == "ada@example.org"
    assert EmailAddress.objects.get(email__iexact="taken@example.org", verified=True).user == other


def test_an_invalid_new_address_is_refused_with_a_reason(client):
    factories.UserFactory(email="ada@example.org")
    _log_in(client, "ada@example.org", factories.PASSWORD)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "not-an-address"})
    assert "valid email" in " ".join(response.context["form"].errors["email"]).lower()


def test_log_out_takes_a_post_and_a_get_only_asks(client):
    factories.UserFactory(email="ada@example.org")
    _log_in(client, "ada@example.org", factories.PASSWORD)

    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert SESSION_KEY in client.session  # a link or a prefetch cannot log a member out

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(reverse("accounts:dashboard"))["Location"].startswith(reverse("account_login"))


def test_sign_ups_from_one_address_are_rate_limited(client):
    def sign_up(n: int):
        return client.post(reverse("account_signup"), {
            "email": f"new{n}@example.org", "full_name": "New Member", "timezone": "Europe/Rome",
            "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"})

    answers = [sign_up(n).status_code for n in range(20)]
    assert answers[:20] == [302] * 20
    refused = sign_up(99)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many requests" in page
    assert "Skip to content" in page  # the site's own page, with its navigation
    assert not User.objects.filter(email="new99@example.org").exists()
