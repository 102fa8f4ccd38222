"""Unique slugs (core/slugs.py): the first free one, and no error when another request takes it first."""

import pytest
from django.db.models import QuerySet

from accounts import services
from accounts.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_same_name_twice_gets_the_next_free_slug(member):
    first = services.found_organisation(founder=member, name="Open Doors", kind="ngo", country="AT")
    second = services.found_organisation(founder=member, name="Open Doors", kind="ngo", country="AT")
    assert (first.slug, second.slug) == ("open-doors", "open-doors-2")


def test_a_slug_taken_between_the_check_and_the_insert_moves_on_to_the_next(member, monkeypatch):
    """What two members founding the same name at the same moment meet, played in one thread: the check
    finds the slug free, yet another organisation holds it when the row is inserted."""
    factories.OrganisationFactory(name="Welcome City", slug="welcome-city")
    real_exists = QuerySet.exists
    missed = []

    def the_first_check_misses_it(queryset) -> bool:
        if not missed and queryset.model is Organisation:
            missed.append(True)
            return False
        return real_exists(queryset)

    monkeypatch.setattr(QuerySet, "exists", the_first_check_misses_it)
    organisation = services.found_organisation(founder=member, name="Welcome City", kind="ngo", country="AT")
    assert missed and organisation.slug == "welcome-city-2"
    assert Organisation.objects.filter(name="Welcome City").count() == 2


def test_a_name_with_nothing_to_slugify_gets_the_fallback(member):
    assert services.found_organisation(founder=member, name="!!!", kind="ngo", country="AT").slug == "organisation"
