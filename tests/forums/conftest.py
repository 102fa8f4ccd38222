"""Forum fixtures: a public, a members-only and a municipalities-only category, and the people
each permission test tries: visitor, member, member outside the restricted category, moderator
of another category, global moderator."""

import pytest

from accounts.models import Organisation
from forums.models import Category
from tests import factories
from tests.forums import factories as forum


@pytest.fixture
def public_category(db):
    return forum.category(name="Housing", slug="housing")


@pytest.fixture
def members_category(db):
    return forum.category(name="Members' lounge", slug="lounge", visibility=Category.Visibility.MEMBERS)


@pytest.fixture
def municipal_category(db):
    return forum.category(name="Municipal practitioners", slug="municipal",
                          visibility=Category.Visibility.RESTRICTED,
                          allowed_organisation_kinds=[Organisation.Kind.MUNICIPALITY])


@pytest.fixture
def municipal_member(db):
    user = factories.UserFactory(full_name="Amina Haddad")
    factories.MembershipFactory(user=user, organisation=factories.OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY))
    return user


@pytest.fixture
def other_category_moderator(db):
    """Moderates a category of their own, not the ones the tests act in."""
    user = factories.UserFactory(full_name="Cato Catmod")
    forum.category(name="Elsewhere", slug="elsewhere").moderators.add(user)
    return user


@pytest.fixture
def category_moderator(db, public_category):
    user = factories.UserFactory(full_name="Paula Catmod")
    public_category.moderators.add(user)
    return user
