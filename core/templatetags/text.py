"""`{{ text|markdown }}`: a member's Markdown shown as sanitised HTML where no rendering was stored.

Content is rendered once on save (core.markdown); this is for snapshots kept as written, such as the
excerpt a report holds, which moderators should read as the member saw it, not as Markdown source.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return mark_safe(render_markdown(str(text or "")))
