"""Selects are written in Python (core/formrenderer.py) with exactly the markup of Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django_countries import countries

from accounts.forms import timezone_choices
from core.formrenderer import FormRenderer


class Everything(forms.Form):
    country = forms.ChoiceField(choices=[("", "Any country"), *countries], required=False)
    zone = forms.ChoiceField(choices=timezone_choices, label="Time zone")
    grouped = forms.ChoiceField(choices=[("Europe", [("fr", "France"), ("de", "Germany")]),
                                         ("Elsewhere", [("jp", 'Japan & "friends" <b>')]), ("", "None")])
    several = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")], required=False)
    year = forms.TypedChoiceField(choices=[(2024, 2024), (2025, 2025)], coerce=int,
                                  widget=forms.Select(attrs={"class": "small", "data-x": "a<b", "disabled": False}))


@pytest.mark.parametrize("data", [
    {},
    {"country": "FR", "zone": "Europe/Paris", "grouped": "jp", "several": ["1", "3"], "year": "2025"},
    {"country": "XX", "zone": "Nowhere/Town", "grouped": "zz", "year": "1999"},  # invalid: errors, aria-invalid
])
def test_every_select_is_written_exactly_as_djangos_templates_write_it(data):
    for language in ("en", "ar"):
        with translation.override(language):
            ours = Everything(data=data or None, renderer=FormRenderer())
            theirs = Everything(data=data or None, renderer=DjangoTemplates())
            for name in ours.fields:
                assert str(ours[name]) == str(theirs[name]), name


def test_the_site_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
