"""Reference data users see — policy areas, sub-topics, target groups — in the viewer's language.

They are rows seeded by migrations (core.taxonomy, directory.taxonomy), each with a stable code. Their names
are translated at display: a table of gettext_lazy names keyed by code (so makemessages extracts them) sits
beside the seed, and the model's name is a TranslatedNameField that reads from it. Fixed choices (organisation
kinds, event kinds, levels) are TextChoices with gettext_lazy labels: the same thing, a code and a translated
name. So a template, a form, the admin and the API all say `area.name` and get it in the page's language.
"""

from collections.abc import Callable, Mapping

from django.db import models
from django.db.models.query_utils import DeferredAttribute


class _TranslatedByCode(DeferredAttribute):
    """A data descriptor (it has __set__), so reading goes through it although the value is in __dict__."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        stored = super().__get__(instance, cls)
        return self.field.translated(instance.__dict__.get(self.field.code_field), stored)


class TranslatedNameField(models.CharField):
    """A CharField holding the English name a row was seeded with. Read on an instance, it is the name in the
    active language, looked up by the row's code (`code_field`) in `names()`, a {code: gettext_lazy name}
    mapping; a code not in the table (a row staff added) reads as stored. Saving and the admin's edit form
    use the stored value, so a save in French never writes French into the row.

    Only Python sees a difference: the column and the migrations are a plain CharField's."""

    descriptor_class = _TranslatedByCode

    def __init__(self, *args, names: Callable[[], Mapping[str, str]] | None = None, code_field: str = "code",
                 **kwargs):
        self.names = names
        self.code_field = code_field
        super().__init__(*args, **kwargs)

    def translated(self, code: str | None, stored: str) -> str:
        name = self.names().get(code) if self.names is not None and code is not None else None
        return str(name) if name is not None else stored

    def stored(self, instance: models.Model) -> str:
        return instance.__dict__.get(self.attname)

    def pre_save(self, model_instance, add):
        return self.stored(model_instance)

    def value_from_object(self, obj):
        return self.stored(obj)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def labels(queryset: models.QuerySet, field: str = "name") -> dict[str, str]:
    """{code: name in the active language} for a reference model's rows, in the queryset's order; for the
    places that read codes and names without loading the rows (facets, choices)."""
    translated = queryset.model._meta.get_field(field)
    return {code: translated.translated(code, stored)
            for code, stored in queryset.values_list(translated.code_field, field)}


def label(model: type[models.Model], code: str, stored: str = "", field: str = "name") -> str:
    """One row's name in the active language, from its code (and the stored name, if the table lacks it)."""
    return model._meta.get_field(field).translated(code, stored)
