"""`{% card "events.event accounts.organisation" event %}…{% endcard %}`: a list row or card rendered once per object,
language and time zone, and kept until one of the named kinds is bumped (core/versions.py).

For blocks that show the object's own data the same way to every viewer: no user, no per-viewer link, no form.
A block that differs between kinds of viewers names what it differs by as a third argument, which goes into the
key: `{% card "accounts.organisation accounts.member" organisation user.is_authenticated %}` (members see every
profile in an organisation's member list, visitors the public ones).
A block that renders a CSRF token is not kept. Each block is told apart by its template and line, so the same
event shown as a list row and as a calendar cell are two cards. One cache round trip per card; a list of 20 rows
costs 20 small reads instead of 20 renderings.
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from core import versions

register = template.Library()

CSRF_FIELD = 'name="csrfmiddlewaretoken"'
CARD_SECONDS = 60  # rows say "in 2 hours" and show seats taken; a minute at most whatever is bumped


class CardNode(template.Node):
    def __init__(self, nodelist: template.NodeList, kinds: template.base.FilterExpression,
                 obj: template.base.FilterExpression, varies: template.base.FilterExpression | None) -> None:
        self.nodelist, self.kinds, self.obj, self.varies = nodelist, kinds, obj, varies

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        obj = self.obj.resolve(context)
        if not settings.CACHE_RENDERED or request is None or getattr(obj, "pk", None) is None:
            return self.nodelist.render(context)
        kinds = str(self.kinds.resolve(context)).split()
        where = f"{self.origin.template_name}:{self.token.lineno}"
        key = versions.key(f"card:{obj._meta.label}:{obj.pk}", kinds=(), lang=translation.get_language(),
                           parts=[where, timezone.get_current_timezone_name(),
                                  getattr(request, "timezone_source", ""),
                                  self.varies.resolve(context) if self.varies is not None else ""])
        generations, stored = versions.cached_with_generations(key, kinds)
        if stored is not None and stored[0] == generations:
            return stored[1]
        html = self.nodelist.render(context)
        if CSRF_FIELD not in html:
            cache.set(key, (generations, html), timeout=min(settings.CACHE_SECONDS, CARD_SECONDS))
        return html


@register.tag
def card(parser: template.base.Parser, token: template.base.Token) -> CardNode:
    bits = token.split_contents()
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError('{% card "kind …" object [varies] %} takes the kinds, the object and '
                                           'what else the block differs by.')
    nodelist = parser.parse(("endcard",))
    parser.delete_first_token()
    return CardNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]),
                    parser.compile_filter(bits[3]) if len(bits) == 4 else None)
