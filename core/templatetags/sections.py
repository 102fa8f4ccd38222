"""`{% page_sections "slot" object %}`: the blocks other apps contribute to this page
(core.extensions.PAGE_SECTIONS), each rendered with the context its app computes, or taken from the cache
when the section's rule allows it (core/fragments.py)."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core import versions
from core.extensions import PAGE_SECTIONS, Section
from core.templatetags.cards import TOKEN_STAND_IN, with_token

register = template.Library()

# Sections list what is upcoming and say "5 minutes ago": a minute at most, whatever CACHE_SECONDS says.
FRAGMENT_SECONDS = 60


def _render(section: Section, request: HttpRequest, obj, kept: bool = False) -> str:
    """The block; when it is to be kept, with {% card %}'s stand-in for the CSRF token of any form in it."""
    extra = section.context(request, obj)
    if extra is None:
        return ""
    return render_to_string(section.template, {"user": getattr(request, "user", None), **extra,
                                               **({"csrf_token": str(TOKEN_STAND_IN)} if kept else {})},
                            request=request)


def _cache_key(section: Section, request: HttpRequest, obj) -> tuple[str, list] | None:
    """Where the block is kept for this viewer, and the kinds whose generations it is kept with."""
    if section.cache is None or request is None or not settings.CACHE_RENDERED:
        return None
    rule = section.cache(request, obj)
    if rule is None:
        return None
    kinds, audience = rule
    key = versions.key(f"section:{section.slot}:{section.template}", kinds=(), lang=translation.get_language(),
                       parts=[audience, obj._meta.label if obj is not None else "", getattr(obj, "pk", ""),
                              timezone.get_current_timezone_name(), request.get_host(), request.path])
    return key, kinds


@register.simple_tag(takes_context=True)
def page_sections(context, slot: str, obj=None) -> SafeString:
    """The slot's sections; those that may be kept are looked up together, with every kind they name, in one
    cache round trip."""
    request = context.get("request")
    wheres = [(section, _cache_key(section, request, obj)) for section in PAGE_SECTIONS.for_slot(slot)]
    kept = [where for _section, where in wheres if where is not None]
    found = iter(versions.found_together(kept) if kept else ())
    parts = []
    for section, where in wheres:
        if where is None:
            parts.append(_render(section, request, obj))
            continue
        key, _kinds = where
        generations, stored = next(found)
        if stored is None or stored[0] != generations:
            stored = (generations, _render(section, request, obj, kept=True))
            cache.set(key, stored, timeout=min(settings.CACHE_SECONDS, FRAGMENT_SECONDS))
        parts.append(with_token(stored[1], context))
    return mark_safe("".join(parts))
