"""`{% card "events.event accounts.organisation" event %}…{% endcard %}`: a list row or card rendered once per object,
language and time zone, and kept until one of the named kinds is bumped (core/versions.py).

For blocks that show the object's own data the same way to every viewer, or whose few personal bits are named:
a block that differs between kinds of viewers names what it differs by as a third argument, which goes into the
key: `{% card "accounts.organisation accounts.member" organisation user.is_authenticated %}` (members see every
profile in an organisation's member list, visitors the public ones). A row whose object carries its own version
(a chat message's change number) names it there too, and the viewer's own bits (their reactions, "edit" on their
own posts), so that every viewer with the same bits shares one block.

Forms inside a card are kept with a stand-in for the CSRF token, and each request's own token is put in when the
block is shown: a kept block never holds a token, and every member posts with theirs. The stand-in is derived from
SECRET_KEY, so a member cannot write it into their text to have a viewer's token put into a link.

Each block is told apart by its template and line, so the same event shown as a list row and as a calendar cell are
two cards. One cache round trip per card; a list of 20 rows costs 20 small reads instead of 20 renderings, or one
read for all of them with `in`:

    {% for message in history %}{% card "accounts.member" message message.card_varies in history %}

The first row looks up every row of `history` at once (the object must then be the loop's variable, and what the
block differs by must follow from that object and the page). A list that reads its rows' details only for the
rows rendered afresh (core.fragments.ReadWhenShown) is told which ones, all together, right after that lookup.

A page with several cards wraps them in `{% cards %}…{% endcards %}`: where the block starts, every card in it
whose object is known there, and each row of a `… in list` card, is looked up in one round trip for all of them
(versions.found_together, as {% page_sections %} does for sections): the topic page's heading, 20 posts and reply
form ask the cache once. The cards of a template it includes by name (`{% include "chat/_list.html" %}`) are
looked up too; a card inside another card is not: it is rendered only when the outer one is not kept, and looks
itself up then (the messenger's history block is read, not its 50 messages).

A block that belongs to no object (a list's filter form) names itself with a string in the object's place:
`{% card "core.taxonomy" "events:filters" request.GET.urlencode %}`. The kinds may also be a list from the
context, holding one object's generations too: `{% card list_kinds "core:notifications" list_varies %}` with
`["accounts.member", ("core.notifications", user.pk)]` (a member's own list, kept until it changes).
"""

from weakref import WeakKeyDictionary

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader_tags import IncludeNode
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject

from core import versions

register = template.Library()

CSRF_FIELD = 'name="csrfmiddlewaretoken"'
CARD_SECONDS = 60  # rows say "in 2 hours" and show seats taken; a minute at most whatever is bumped
# What a kept block holds where the request's CSRF token goes (lazy: SECRET_KEY is read at the first card).
TOKEN_STAND_IN = SimpleLazyObject(lambda: salted_hmac("core.cards.csrf", "stand-in").hexdigest())


def with_token(html: str, context: template.Context) -> str:
    """The kept block with the request's own CSRF token in place of the stand-in (no field without a token)."""
    stand_in = str(TOKEN_STAND_IN)
    if stand_in not in html:
        return html
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return html.replace(f'<input type="hidden" {CSRF_FIELD} value="{stand_in}">', "")
    return html.replace(stand_in, str(token))


def _state(context: template.Context) -> dict:
    """Where a card keeps what it looked up during one rendering of a page: the page's own render context, which an
    included template sees too (each template's state is its own), so a card of an included template finds what
    {% cards %} looked up for it. What is kept there names the key or the list it is for, and a card checks it."""
    return context.render_context.dicts[0]


class CardNode(template.Node):
    def __init__(self, nodelist: template.NodeList, kinds: template.base.FilterExpression,
                 obj: template.base.FilterExpression, varies: template.base.FilterExpression | None,
                 items: template.base.FilterExpression | None) -> None:
        self.nodelist, self.kinds, self.obj, self.varies, self.items = nodelist, kinds, obj, varies, items

    def _key(self, context: template.Context, obj: object) -> str:
        name = f"card:{obj}" if isinstance(obj, str) else f"card:{obj._meta.label}:{obj.pk}"
        return versions.key(name, kinds=(), lang=translation.get_language(),
                            parts=[f"{self.origin.template_name}:{self.token.lineno}",
                                   timezone.get_current_timezone_name(),
                                   getattr(context.get("request"), "timezone_source", ""),
                                   self.varies.resolve(context) if self.varies is not None else ""])

    def _lookup(self, context: template.Context, obj: object, kinds: list[str]) -> tuple[str, list[int], object]:
        """The block's key, the kinds' generations and what is kept under the key: alone, or read with every row
        of `items` (each row's key made once, there)."""
        if self.items is None:
            key = self._key(context, obj)
            planned = _state(context).get(self)  # looked up with its block's other cards ({% cards %})
            if planned is not None and planned[0] == key:
                return planned
            return key, *versions.cached_with_generations(key, kinds)
        items = self.items.resolve(context)
        batch = _state(context).get(self)
        if batch is None or batch[0] is not items:
            keys = self._item_keys(context, items)
            generations, found = versions.many_with_generations(list(keys.values()), kinds)
            batch = self._keep_batch(context, items, keys, generations, found)
        key = batch[3].get(id(obj))
        if key is None:  # not one of the rows read together (a list changed under the loop)
            key = self._key(context, obj)
            return key, *versions.cached_with_generations(key, kinds)
        return key, batch[1], batch[2].get(key)

    def _item_keys(self, context: template.Context, items) -> dict[int, str]:
        name = self.obj.var.var
        keys = {}
        for item in items:
            with context.push({name: item}):
                keys[id(item)] = self._key(context, item)
        return keys

    def _keep_batch(self, context: template.Context, items, keys: dict[int, str], generations: list[int],
                    found: dict) -> tuple:
        """What the rows of `items` found, for each row's card; the list is told which rows missed."""
        batch = _state(context)[self] = (items, generations, found, keys)
        self._shown(items, [item for item in items
                            if keys[id(item)] not in found or found[keys[id(item)]][0] != generations])
        return batch

    def plan(self, context: template.Context) -> tuple[list[str], list, tuple | None] | None:
        """For {% cards %}: the keys this card will look up, known where the block starts, its kinds and, for a
        list's rows, the list and each row's key; None when its object is not known there (the variable of a loop
        it is not a row of)."""
        kinds = self.kinds.resolve(context)
        kinds = kinds.split() if isinstance(kinds, str) else list(kinds)
        if self.items is not None:
            items = self.items.resolve(context)
            if not items:
                return None
            keys = self._item_keys(context, items)
            return list(keys.values()), kinds, (items, keys)
        obj = self.obj.resolve(context)
        if not isinstance(obj, str) and getattr(obj, "pk", None) is None:
            return None
        return [self._key(context, obj)], kinds, None

    def planned(self, context: template.Context, plan: tuple, generations: list[int], found: dict) -> None:
        """Keep what plan()'s keys found for render() (a list's rows as _lookup keeps them)."""
        keys, _kinds, rows = plan
        if rows is None:
            _state(context)[self] = (keys[0], generations, found.get(keys[0]))
        else:
            self._keep_batch(context, rows[0], rows[1], generations, found)

    def _shown(self, items: object, rows: list) -> None:
        """Tell a list that reads its rows' details when shown (core.fragments.ReadWhenShown) which rows are."""
        if rows and hasattr(items, "shown"):
            items.shown(rows)

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        obj = self.obj.resolve(context)
        if not settings.CACHE_RENDERED or request is None or (
                not isinstance(obj, str) and getattr(obj, "pk", None) is None):
            if self.items is not None:
                items = self.items.resolve(context)
                self._shown(items, list(items))
            return self.nodelist.render(context)
        kinds = self.kinds.resolve(context)
        kinds = kinds.split() if isinstance(kinds, str) else list(kinds)
        key, generations, stored = self._lookup(context, obj, kinds)
        if stored is not None and stored[0] == generations:
            return with_token(stored[1], context)
        if self.items is not None:  # read already with the rows that missed together, unless the list changed
            self._shown(self.items.resolve(context), [obj])
        with context.push(csrf_token=str(TOKEN_STAND_IN)):
            html = self.nodelist.render(context)
        cache.set(key, (generations, html), timeout=min(settings.CACHE_SECONDS, CARD_SECONDS))
        return with_token(html, context)


class CardsNode(template.Node):
    """{% cards %}…{% endcards %}: the block's cards (in this template, not in those it includes) looked up together
    where the block starts, in one cache round trip for all of them and the generations of every kind they name
    (versions.found_together, as {% page_sections %} looks up a page's sections), instead of one per card."""

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.cards, self.includes = _outer_cards(nodelist)

    def _cards(self, context: template.Context) -> list[CardNode]:
        cards = list(self.cards)
        for name in self.includes:
            included = context.template.engine.get_template(name)
            found = _included_cards.get(included)
            if found is None:
                found = _included_cards[included] = _outer_cards(included.nodelist)[0]
            cards.extend(found)
        return cards

    def render(self, context: template.Context) -> str:
        cards = self._cards(context) if settings.CACHE_RENDERED and context.get("request") is not None else ()
        if cards:
            plans = [(card, plan) for card in cards if (plan := card.plan(context)) is not None]
            if plans:
                results = iter(versions.found_together(
                    (key, plan[1]) for _card, plan in plans for key in plan[0]))
                for card, plan in plans:
                    found, generations = {}, []
                    for key in plan[0]:
                        generations, stored = next(results)
                        if stored is not None:
                            found[key] = stored
                    card.planned(context, plan, generations, found)
        return self.nodelist.render(context)


# The outer cards of each template included by name in a {% cards %} block, found at its first rendering.
_included_cards: "WeakKeyDictionary[template.Template, list[CardNode]]" = WeakKeyDictionary()


def _outer_cards(nodelist: template.NodeList) -> tuple[list[CardNode], list[str]]:
    """The cards of `nodelist` that are not inside another card, and the templates it includes by a constant name
    (whose cards are found at rendering, where the engine is known)."""
    cards, includes = [], []
    for node in nodelist:
        if isinstance(node, CardNode):
            cards.append(node)
            continue
        if isinstance(node, IncludeNode) and isinstance(node.template.var, str) and not node.template.filters:
            includes.append(str(node.template.var))
        for attr in node.child_nodelists:
            inner = getattr(node, attr, None)
            if inner:
                found, named = _outer_cards(inner)
                cards.extend(found)
                includes.extend(named)
    return cards, includes


@register.tag
def cards(parser: template.base.Parser, token: template.base.Token) -> CardsNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% cards %} takes no arguments.")
    nodelist = parser.parse(("endcards",))
    parser.delete_first_token()
    return CardsNode(nodelist)


@register.tag
def card(parser: template.base.Parser, token: template.base.Token) -> CardNode:
    bits = token.split_contents()
    items = None
    if len(bits) in (5, 6) and bits[-2] == "in":
        items = parser.compile_filter(bits[-1])
        bits = bits[:-2]
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError('{% card "kind …" object [varies] [in list] %} takes the kinds, the object, '
                                           'what else the block differs by, and the list it is a row of.')
    obj = parser.compile_filter(bits[2])
    if items is not None and (obj.filters or not isinstance(obj.var, template.Variable)
                              or len(obj.var.lookups or ()) != 1):
        raise template.TemplateSyntaxError("{% card … in list %} needs the loop's variable as its object.")
    nodelist = parser.parse(("endcard",))
    parser.delete_first_token()
    return CardNode(nodelist, parser.compile_filter(bits[1]), obj,
                    parser.compile_filter(bits[3]) if len(bits) == 4 else None, items)
