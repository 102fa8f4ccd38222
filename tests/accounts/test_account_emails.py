"""Sign-up, reset and security mails are Crossroads' own: its name, its voice, text and HTML, links to SITE_URL."""

import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "nadia@example.org", "full_name": "Nadia Karimi", "job_title": "Caseworker",
          "timezone": "Europe/Berlin", "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://crossroads.example.org"


def _html(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def _assert_crossroads_voice(message) -> None:
    for body in (message.body, _html(message)):
        assert "Hello from" not in body and "example.com" not in body
        assert "The Crossroads team" in body and "https://crossroads.example.org" in body
    assert message.subject.startswith("[Crossroads] ")


def test_the_sign_up_mail_welcomes_the_member_by_name_with_a_link_in_text_and_html(client):
    client.post(reverse("account_signup"), SIGNUP)
    message = mail.outbox[0]
    assert message.subject == "[Crossroads] Welcome to Crossroads: confirm your e-mail address"
    assert message.body.startswith("Hello Nadia,")
    _assert_crossroads_voice(message)
    link = re.search(r"http\S+/accounts/confirm-email/\S+", message.body).group(0)
    assert f'href="{link}"' in _html(message) and "Confirm my address" in _html(message)


def test_the_password_reset_mail_is_crossroads_own(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    message = mail.outbox[0]
    assert message.subject == "[Crossroads] Reset your password"
    _assert_crossroads_voice(message)
    assert "your password stays as it is" in message.body
    link = re.search(r"http\S+/accounts/password/reset/key/\S+", message.body).group(0)
    assert f'href="{link}"' in _html(message)


def test_a_reset_for_an_unknown_address_says_so_in_crossroads_voice(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    message = mail.outbox[0]
    assert message.subject == "[Crossroads] No account with this address"
    _assert_crossroads_voice(message)


def test_a_second_sign_up_tells_the_owner_in_crossroads_voice(client):
    factories.UserFactory(email="nadia@example.org")
    client.post(reverse("account_signup"), SIGNUP)
    message = mail.outbox[0]
    assert message.subject == "[Crossroads] You already have an account"
    _assert_crossroads_voice(message)


def test_a_security_notice_says_what_changed_and_what_to_do(member):
    # allauth sends these when ACCOUNT_EMAIL_NOTIFICATIONS is on; rendered here as the adapter renders them.
    context = {"user": member, "site_name": "Crossroads", "site_url": "https://crossroads.example.org",
               "ip": "203.0.113.9", "user_agent": "Firefox", "timestamp": "2 December 2026 20:00"}
    text = render_to_string("account/email/password_changed_message.txt", context)
    html = render_to_string("account/email/password_changed_message.html", context)
    subject = render_to_string("account/email/password_changed_subject.txt", context).strip()
    assert subject == "Your password was changed"
    assert text.startswith("Hello Mia,") and "Your password was changed." in text
    assert "reset your password at once (https://crossroads.example.org/accounts/password/reset/)" in text
    assert "203.0.113.9" in text and "203.0.113.9" in html
    assert 'href="https://crossroads.example.org/accounts/password/reset/"' in html


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "Zoë \"Q\" <b>O'Neil</b>"])
def test_a_hostile_name_is_escaped_in_the_html_mail(client, name):
    client.post(reverse("account_signup"), {**SIGNUP, "full_name": name})
    html = _html(mail.outbox[0])
    assert "<script>" not in html and "<b>O" not in html


def test_a_newcomer_keeps_the_language_they_signed_up_in(client):
    client.post(reverse("account_signup"), SIGNUP, HTTP_ACCEPT_LANGUAGE="fr")
    assert User.objects.get(email=SIGNUP["email"]).language == "fr"


def test_a_password_reset_mail_is_in_the_members_language_whoever_asks_for_it(client):
    member = factories.UserFactory(language="fr")
    client.post(reverse("account_reset_password"), {"email": member.email}, HTTP_ACCEPT_LANGUAGE="en")
    (message,) = mail.outbox
    with translation.override("fr"):
        subject = translation.gettext("Reset your password")
    assert subject != "Reset your password" and message.subject == f"[Crossroads] {subject}"
