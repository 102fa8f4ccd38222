"""Languages of work include Chinese, are named in the reader's language, and a member whose interface is in
Simplified Chinese counts as speaking Chinese for a request that works in it."""

import pytest
from django.utils import translation

from expertise import selectors
from expertise.models import WORK_LANGUAGES
from tests import factories
from tests.directory.factories import make_practice
from tests.expertise.factories import make_request, member_of

pytestmark = pytest.mark.django_db


def test_the_six_un_languages_can_be_languages_of_work():
    assert {"ar", "en", "es", "fr", "ru", "zh"} <= dict(WORK_LANGUAGES).keys()


def test_languages_of_work_are_named_in_the_readers_language():
    with translation.override("fr"):
        assert str(dict(WORK_LANGUAGES)["de"]) == "Allemand"
    assert str(dict(WORK_LANGUAGES)["de"]) == "German"


def test_a_member_reading_simplified_chinese_speaks_chinese_for_matching():
    request = make_request(topics=["housing"], languages=["zh"])
    shanghai = factories.OrganisationFactory(name="Shanghai Exchange", country="CN")
    speaker = member_of(shanghai, language="zh-hans")
    make_practice(author=speaker, organisation=shanghai, status="published", topics=("housing",))
    suggestion = next(s for s in selectors.suggestions_for(request) if s.organisation == shanghai)
    assert "speaks 中文" in suggestion.suggestion.reasons
