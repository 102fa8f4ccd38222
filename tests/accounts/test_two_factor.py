"""Optional two-factor log-in: an authenticator app's TOTP codes, and one-time recovery codes."""

import base64
import hashlib
import hmac
import struct
import types

import pytest
from allauth.mfa.totp.internal import auth as allauth_totp
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

START = 1_800_000_000  # a fixed instant, so that each step below falls in a known 30-second window


def totp(secret: str, at: int) -> str:
    """RFC 6238 as an authenticator app computes it: HMAC-SHA1 of the 30-second counter, 6 digits."""
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", at // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def wrong_code(secret: str, at: int) -> str:
    return f"{(int(totp(secret, at)) + 1) % 1_000_000:06d}"


@pytest.fixture
def clock(monkeypatch):
    """The server's clock for TOTP checks; tests move it forward instead of waiting."""
    now = types.SimpleNamespace(value=START)
    monkeypatch.setattr(allauth_totp, "time", types.SimpleNamespace(time=lambda: now.value))
    return now


def _log_in(client, email: str = "ada@example.org"):
    return client.post(reverse("account_login"), {"login": email, "password": factories.PASSWORD})


def _open_activation(client):
    """allauth asks for the password again before two-factor settings change, even right after log-in."""
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    return client.get(reverse("mfa_activate_totp"))


def _activate(client, clock) -> tuple[str, list[str]]:
    """Turn on two-factor for the logged-in member; return the secret and the recovery codes shown."""
    page = _open_activation(client)
    secret = page.context["form"].secret
    assert f"secret={secret}" in page.context["totp_url"]  # what the QR code carries to the app
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret, clock.value)}, follow=True)
    codes = response.context["unused_codes"]
    assert len(codes) == 10
    return secret, codes


@pytest.fixture
def member_with_two_factor(client, clock):
    user = factories.UserFactory(email="ada@example.org")
    _log_in(client)
    secret, codes = _activate(client, clock)
    client.post(reverse("account_logout"))
    return user, secret, codes


def test_a_wrong_code_does_not_turn_two_factor_on(client, clock):
    factories.UserFactory(email="ada@example.org")
    _log_in(client)
    secret = _open_activation(client).context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong_code(secret, clock.value)})
    assert "code" in response.context["form"].errors
    assert client.get(reverse("mfa_index")).context["authenticators"].get("totp") is None


def test_after_enabling_two_factor_log_in_asks_for_the_code(client, clock, member_with_two_factor):
    _user, secret, _codes = member_with_two_factor
    clock.value += 30

    response = _log_in(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # the password alone does not log in
    assert client.get(reverse("accounts:dashboard")).status_code == 302

    refused = client.post(reverse("mfa_authenticate"), {"code": wrong_code(secret, clock.value)})
    assert "code" in refused.context["form"].errors

    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret, clock.value)})
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_a_code_cannot_be_used_twice(client, clock, member_with_two_factor):
    _user, secret, _codes = member_with_two_factor
    clock.value += 30
    code = totp(secret, clock.value)
    _log_in(client)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    _log_in(client)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "code" in replay.context["form"].errors
    assert SESSION_KEY not in client.session


def test_a_recovery_code_logs_in_once(client, clock, member_with_two_factor):
    _user, _secret, codes = member_with_two_factor

    _log_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response["Location"] == reverse("accounts:dashboard")
    client.post(reverse("account_logout"))

    _log_in(client)
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert "code" in again.context["form"].errors
    assert SESSION_KEY not in client.session
    assert client.post(reverse("mfa_authenticate"), {"code": codes[1]})["Location"] == reverse("accounts:dashboard")
