"""Plain text members type (titles, reasons): control characters dropped, presence and length checked."""

from django.core.exceptions import ValidationError


def clean_text(value: str, *, field: str, max_length: int, label: str) -> str:
    """Strip control characters (keeping new lines and tabs) and check presence and length; the error
    names `field`, so a form or the API shows it next to what the member typed."""
    cleaned = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    cleaned = cleaned.strip()
    if not cleaned:
        raise ValidationError({field: [f"Enter the {label}."]})
    if len(cleaned) > max_length:
        raise ValidationError({field: [f"The {label} is too long: {len(cleaned)} characters, "
                                       f"{max_length} at most."]})
    return cleaned
