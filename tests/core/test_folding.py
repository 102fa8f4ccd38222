"""Plain search folds accents and case: on the embedded default "integration" finds "Intégration" too."""

import pytest
from django.conf import settings

from accounts.models import User
from core.folding import fold
from directory import selectors
from tests import factories
from tests.directory.factories import make_practice

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(settings.IS_POSTGRES,
                                 reason="PostgreSQL searches these with full-text search, not the plain fallback")


def test_folding_drops_accents_and_case():
    assert fold("Intégration ÉCONOMIQUE Straße Ålesund") == "integration economique strasse alesund"


@sqlite_only
@pytest.mark.parametrize("query", ["intégration", "integration", "INTEGRATION", "Intégration"])
def test_the_practice_search_finds_a_word_with_or_without_its_accents(client, query):
    make_practice(status="published", title="Intégration par le sport", summary="Clubs ouverts.")
    make_practice(status="published", title="Integration through sport", summary="Open clubs.")
    make_practice(status="published", title="Housing first", summary="Flats.")
    found = selectors.search_practices(selectors.published_practices(), query)
    assert sorted(found.values_list("title", flat=True)) == ["Integration through sport", "Intégration par le sport"]
    page = client.get("/search/", {"q": query}).content.decode()
    assert "Intégration par le sport" in page and "Integration through sport" in page


def test_a_name_is_found_without_its_accents_or_case():
    factories.UserFactory(full_name="Zoë Ångström")
    assert User.objects.filter(full_name__folded_contains="zoe angstrom" if not settings.IS_POSTGRES
                               else "zoë ångström").count() == 1


def test_like_wildcards_in_a_query_are_matched_literally():
    factories.UserFactory(full_name="Ana 100% Ruiz")
    factories.UserFactory(full_name="Ana 1000 Ruiz")
    assert list(User.objects.filter(full_name__folded_contains="100%").values_list("full_name", flat=True)) == [
        "Ana 100% Ruiz"]
