"""Marking user content with the language it is written in: `<article{{ practice.language|content_lang }}>` gives
` lang="fr"`, or ` lang="ar" dir="rtl"` for a right-to-left script, so browsers and screen readers read it
right whatever the page's language; `{{ code|autonym }}` names a language in itself ("Français")."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.languages import CONTENT_LANGUAGES, direction
from core.languages import autonym as _autonym

register = template.Library()


@register.filter
def content_lang(language: str) -> SafeString:
    if not language or language not in CONTENT_LANGUAGES:
        return SafeString("")
    if direction(language) == "rtl":
        return format_html(' lang="{}" dir="rtl"', language)
    return format_html(' lang="{}"', language)


@register.filter
def autonym(language: str) -> str:
    return _autonym(language)
