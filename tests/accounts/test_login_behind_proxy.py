"""Log-in limits behind nginx: every request arrives from 127.0.0.1, the client's address is in X-Forwarded-For.

Counting per connection address would put every visitor in one bucket: ten bad log-ins a minute from
anyone would lock everyone out. The deployment's settings trust exactly the one proxy nginx is.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def behind_nginx(settings):
    # As in production (DEBUG off): platform/.env.example and the settings' default trust one proxy.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def client_at(address: str, claimed: str | None = None) -> Client:
    """A browser at `address`, reaching the workers through nginx, which appends the address it saw."""
    forwarded = f"{claimed}, {address}" if claimed else address
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


def log_in(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_two_clients_behind_the_proxy_are_limited_separately(behind_nginx):
    factories.UserFactory(email="ada@example.org")
    attacker, member = client_at("203.0.113.5"), client_at("198.51.100.7")
    answers = [log_in(attacker, f"nobody{n}@example.org", "guess") for n in range(11)]
    assert TOO_MANY not in answers[0].content.decode()
    assert TOO_MANY in answers[-1].content.decode()

    response = log_in(member, "ada@example.org", factories.PASSWORD)
    assert response.status_code == 302, "the attacker's failures locked out another client"
    assert response["Location"] == reverse("accounts:dashboard")


def test_a_client_cannot_escape_its_limit_by_claiming_another_address(behind_nginx):
    for n in range(10):
        log_in(client_at("203.0.113.5", claimed=f"10.0.0.{n}"), f"nobody{n}@example.org", "guess")
    response = log_in(client_at("203.0.113.5", claimed="10.9.9.9"), "nobody@example.org", "guess")
    assert TOO_MANY in response.content.decode()


def test_more_than_thirty_log_ins_a_minute_across_the_site_are_not_refused(behind_nginx):
    members = [factories.UserFactory(email=f"member{n}@example.org") for n in range(35)]
    for n, user in enumerate(members):
        response = log_in(client_at(f"198.51.100.{n + 1}"), user.email, factories.PASSWORD)
        assert response.status_code == 302, f"log-in {n + 1} of the minute was refused"
