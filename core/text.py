"""Plain text members type (titles, reasons): control characters dropped, presence and length checked."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def clean_text(value: str, *, field: str, max_length: int, label: str) -> str:
    """Strip control characters (keeping new lines and tabs) and check presence and length; the error
    names `field`, so a form or the API shows it next to what the member typed. `label` names the field in
    the message, translated by the caller (`gettext_lazy("title")`)."""
    cleaned = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    cleaned = cleaned.strip()
    if not cleaned:
        raise ValidationError({field: [_("Enter the %(label)s.") % {"label": label}]})
    if len(cleaned) > max_length:
        raise ValidationError({field: [ngettext("The %(label)s is too long: %(length)d characters, %(max)d at most.",
                                                "The %(label)s is too long: %(length)d characters, %(max)d at most.",
                                                max_length) % {"label": label, "length": len(cleaned),
                                                               "max": max_length}]})
    return cleaned
