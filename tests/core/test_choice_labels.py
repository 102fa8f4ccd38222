"""Lists show choice labels and country names from a dict per language (core/labels.py): the same words Django's
get_FOO_display and django-countries give, in the page's language, whichever language was asked first."""

from django.utils import translation

from accounts.models import Organisation
from core import labels


def test_a_choice_label_is_the_one_django_gives_in_each_language_asked_in_turn():
    organisation = Organisation(kind=Organisation.Kind.MUNICIPALITY)
    for language in ["fr", "en", "ar", "fr"]:
        with translation.override(language):
            assert organisation.get_kind_display() == str(Organisation.Kind.MUNICIPALITY.label)
    with translation.override("fr"):
        assert organisation.get_kind_display() == "Municipalité"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Organisation(kind="retired-kind").get_kind_display() == "retired-kind"
    assert Organisation(kind=None).get_kind_display() is None


def test_a_country_is_named_in_the_page_language():
    with translation.override("fr"):
        assert labels.country_name("DE") == "Allemagne"
        assert labels.country_name(Organisation(country="AT").country) == "Autriche"
    with translation.override("en"):
        assert labels.country_name("DE") == "Germany"
    assert labels.country_name("") == ""
