"""Page furniture every template shares: breadcrumbs, the sections of long forms, the language menu, the frame's
blocks kept per language.

{% breadcrumbs "forums:categories" _("Forums") topic.category topic.category.name topic.title %}
draws Home › Forums › <category> › <topic>: pairs of (where, label), then the current page's title. "Where"
is a URL name ("app:name"), a path, or an object with get_absolute_url.
"""

from dataclasses import dataclass, field

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import fragments, jsi18n

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
def javascript_catalogue_url() -> str:
    """Where static/js finds gettext() in the page's language (core/jsi18n.py)."""
    return jsi18n.catalogue_url(get_language())


class PerLanguageNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name, self.nodelist = name, nodelist
        self.kept: dict[str | None, str] = {}

    def render(self, context: template.Context) -> str:
        return fragments.per_language(self.kept, lambda: self.nodelist.render(context))


@register.tag
def per_language(parser: template.base.Parser, token: template.base.Token) -> PerLanguageNode:
    """{% per_language "footer" %}…{% endper_language %}: a block of the frame that only the language changes,
    rendered once per process and language (core.fragments.per_language). The name says what it is."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("per_language takes one quoted name")
    nodelist = parser.parse(("endper_language",))
    parser.delete_first_token()
    return PerLanguageNode(bits[1][1:-1], nodelist)


@register.simple_tag
def interface_languages() -> list[tuple[str, str]]:
    """settings.LANGUAGES as they are, each named in itself ("Français" on an English page too); Django's
    get_available_languages would translate the names into the page's language."""
    return list(settings.LANGUAGES)


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


@dataclass
class FormSection:
    id: str
    title: str
    guide: str
    fields: list = field(default_factory=list)

    @property
    def has_error(self) -> bool:
        return any(bound.errors for bound in self.fields)


@register.simple_tag
def form_sections(form) -> list[FormSection]:
    """A long form's fields grouped by its `sections` attribute: (id, title, guide, [field names]) each.
    Fields no section names go in a last section, so nothing a form asks is ever left out."""
    sections = [FormSection(key, title, guide) for key, title, guide, _names in form.sections]
    placed = {}
    for section, (_key, _title, _guide, names) in zip(sections, form.sections, strict=True):
        for name in names:
            if name in form.fields and name not in placed:
                placed[name] = section
    rest = FormSection("more", _("More"), "")
    by_name = {bound.name: bound for bound in form.visible_fields()}
    for section, (_key, _title, _guide, names) in zip(sections, form.sections, strict=True):
        section.fields = [by_name[name] for name in names if name in by_name and placed.get(name) is section]
    rest.fields = [bound for name, bound in by_name.items() if name not in placed]
    return [s for s in [*sections, rest] if s.fields]
