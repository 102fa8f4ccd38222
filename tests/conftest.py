"""Fixtures every test folder shares: fast passwords, a clean cache, members in each role."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from tests import factories

requires_postgres = pytest.mark.skipif(
    not django_settings.IS_POSTGRES,
    reason="needs PostgreSQL (row locks, full-text search): set DATABASE_URL to run it",
)
requires_redis = pytest.mark.skipif(
    not django_settings.REDIS_URL,
    reason="needs Redis (a channel layer shared by several processes): set REDIS_URL to run it",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(requires_postgres)
        if item.get_closest_marker("redis"):
            item.add_marker(requires_redis)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    """A verified member of an organisation, with no other role."""
    user = factories.UserFactory(full_name="Mia Member")
    factories.MembershipFactory(user=user)
    return user


@pytest.fixture
def outsider(db):
    """A verified member of some other organisation."""
    user = factories.UserFactory(full_name="Otto Outsider")
    factories.MembershipFactory(user=user)
    return user


@pytest.fixture
def moderator(db):
    return factories.ModeratorFactory(full_name="Mo Moderator")


@pytest.fixture
def staff(db):
    return factories.UserFactory(full_name="Stella Staff", is_staff=True, is_superuser=True)


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()


@pytest.fixture
def org_admin(organisation):
    user = factories.UserFactory(full_name="Ada Admin")
    factories.MembershipFactory(user=user, organisation=organisation, role="admin")
    return user
