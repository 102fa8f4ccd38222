"""Choice labels and country names in the active language, looked up in a dict kept per field (or country) and
language instead of translated on each call.

Django's `get_FOO_display` builds a dict of the field's choices on every call, hashing each lazy label through
gettext (an organisation's kind: some twenty gettext calls for one label), and django-countries translates a
country's name on every `.name`: a 20-row list spent 2.5 ms of its 13.9 so. The labels come from the code and
its catalogues, which a running process does not change, so what is kept here never goes stale.

    class Organisation(ChoiceLabels, models.Model): ...   # its get_kind_display() reads the dict
    {{ organisation.country|country_name }}              # core/templatetags/site.py
"""

from typing import Any

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django_countries import countries

_choices: dict[tuple[Field, str | None], dict[Any, str]] = {}
_countries: dict[tuple[str, str | None], str] = {}


def choice_label(field: Field, value: Any) -> Any:
    """What `get_FOO_display` answers: the label of `value` among `field`'s choices, else `value` itself."""
    language = get_language()
    labels = _choices.get((field, language))
    if labels is None:
        labels = {make_hashable(choice): force_str(label) for choice, label in field.flatchoices}
        _choices[(field, language)] = labels
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


def country_name(code: object) -> str:
    """The name of the country `code` (a code or a django-countries Country), as `Country.name` gives it."""
    code = str(code or "")
    key = (code, get_language())
    name = _countries.get(key)
    if name is None:
        name = _countries[key] = countries.name(code)
    return name


class ChoiceLabels:
    """A model whose `get_FOO_display()` read `choice_label`: put it before models.Model in the bases."""

    def _get_FIELD_display(self, field: Field) -> Any:
        return choice_label(field, getattr(self, field.attname))
