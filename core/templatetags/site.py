"""Page furniture every template shares: breadcrumbs.

{% breadcrumbs "forums:categories" _("Forums") topic.category topic.category.name topic.title %}
draws Home › Forums › <category> › <topic>: pairs of (where, label), then the current page's title. "Where"
is a URL name ("app:name"), a path, or an object with get_absolute_url.
"""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


def _href(target) -> str:
    if hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    target = str(target)
    if ":" in target and "/" not in target:
        try:
            return reverse(target)
        except NoReverseMatch:
            return ""
    return target


@register.simple_tag
def breadcrumbs(*args) -> str:
    *pairs, current = args
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of (where, label) and then the current title")
    links = [(reverse("core:home"), _("Home"))]
    links += [(_href(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs), 2)]
    items = format_html_join("", '<li><a href="{}">{}</a></li>', links)
    return format_html('<nav class="breadcrumbs" aria-label="{}"><ol>{}<li aria-current="page">{}</li></ol></nav>',
                       _("Breadcrumb"), items, current)
