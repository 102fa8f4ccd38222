"""`{% page_sections "slot" object %}`: the blocks other apps contribute to this page
(core.extensions.PAGE_SECTIONS), each rendered with the context its app computes."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.extensions import PAGE_SECTIONS

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context, slot: str, obj=None) -> SafeString:
    request = context.get("request")
    parts = []
    for section in PAGE_SECTIONS.for_slot(slot):
        extra = section.context(request, obj)
        if extra is None:
            continue
        parts.append(render_to_string(section.template, {"user": getattr(request, "user", None), **extra},
                                      request=request))
    return mark_safe("".join(parts))
