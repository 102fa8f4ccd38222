"""Validators more than one app's fields use."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _


def validate_links(value: str) -> None:
    """Each non-empty line is an http(s) address."""
    check = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(value.splitlines(), start=1):
        if line.strip():
            try:
                check(line.strip())
            except ValidationError:
                raise ValidationError(_("Line %(number)d is not a web address starting with https:// or http://.")
                                      % {"number": number}, code="invalid") from None
