"""The session's user is read on every request by a statement compiled once (accounts.models.UserManager.get):
the same row as the ORM's, read afresh, so what changes the account shows on the next request."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_the_user_by_pk_is_the_orms_row_and_the_orms_exceptions(member):
    fast, orm = User.objects.get(pk=member.pk), User.objects.filter(pk=member.pk).get()
    assert fast._state.db == orm._state.db and not fast._state.adding
    assert all(getattr(fast, field.attname) == getattr(orm, field.attname) for field in User._meta.concrete_fields)
    assert str(User.objects.get(pk=str(member.pk))) == str(member)
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=member.pk + 1000)
    with pytest.raises(ValueError):
        User.objects.get(pk="not a number")
    assert User.objects.get(email=member.email) == member  # any other lookup is the ORM's


def test_a_password_changed_elsewhere_ends_the_session_on_the_next_request(member):
    client = Client()
    client.force_login(member)
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    member.set_password("another long passphrase")
    member.save()
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_a_deactivated_or_renamed_member_is_seen_so_on_the_next_request(member):
    client = Client()
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        assert "Mia Member" in client.get(reverse("accounts:dashboard")).content.decode()
    assert sum('FROM "accounts_user"' in query["sql"] for query in queries) >= 1
    User.objects.filter(pk=member.pk).update(full_name="Maria Member")
    assert "Maria Member" in client.get(reverse("accounts:dashboard")).content.decode()
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_two_members_sessions_each_get_their_own_user(member, outsider):
    mine, theirs = Client(), Client()
    mine.force_login(member)
    theirs.force_login(outsider)
    for _ in range(2):
        assert "Mia Member" in mine.get(reverse("accounts:dashboard")).content.decode()
        assert "Otto Outsider" in theirs.get(reverse("accounts:dashboard")).content.decode()
    assert factories.UserFactory().pk != member.pk


def test_a_migrations_historical_user_gets_its_own_statement(member):
    from django.apps import apps as current_apps
    from django.db.migrations.executor import MigrationExecutor

    assert User.objects.get(pk=member.pk).full_name == "Mia Member"
    state = MigrationExecutor(connection).loader.project_state()
    historical = state.apps.get_model("accounts", "User")
    assert historical is not current_apps.get_model("accounts", "User")
    found = historical.objects.get(pk=member.pk)
    assert type(found) is historical and found.full_name == "Mia Member"
