"""Members' pages cache their shared fragments: each cross-app section (core.extensions.Section) says how.

A section's `cache` rule answers, for one request: the kinds of content the block shows (core/versions.py) and
who sees the same block — every viewer, all visitors, all members, or this one member — or None to render it
afresh. `{% page_sections %}` (core/templatetags/sections.py) then keeps the rendered block under a versioned key
with the language, the time zone, the host and the page's object, and the page adds the personal bits around it
(the header's unread counts, "you are registered", the member's own buttons are outside the sections).

    Section("home", "events/partials/home_events.html", home_section, cache=visitors_and_members("events.event"))

Rules, from the widest sharing to the narrowest; pick the widest that is true for the block's selector:

    everyone(*kinds)             the same block whoever looks (published practices)
    visitors_and_members(*kinds) one for visitors, one for members (members-only events are listed to members)
    per_viewer(*kinds, own=())   one for visitors; each member their own, keyed also by the member's own
                                 generations in `own` (their read marks) and by memberships and roles

A section that renders a form is kept with a stand-in for its CSRF token, and each request's own token is put in
as it is shown ({% card %}'s, core/templatetags/cards.py). A `block()` with a token is never stored.

The frame's blocks that depend on the language alone (base.html's links, search form and footer, the language
menu's choices) are kept by `per_language()` in the process's memory, {% per_language %} in templates
(core/templatetags/site.py): they are made from the code, its URLs and its catalogues, which a running process does
not change, so they need no generation and no cache round trip.

A view keeps a block of its own page the same way with `block()`: the directory's lists keep their filters,
rows and pages for members (`everyone` when the list is the same for every viewer, `per_viewer` when it
depends on the member's organisations), while the page around them, with its personal header, is rendered
for each request.

What a kept block shows is read only when it is rendered afresh: `prefetched_when_shown(obj, *lookups)` gives the
template the object whose relations are read then (a page's cards), `ReadWhenShown(rows, read)` does the same for
the rows of a `{% card … in rows %}` list (the cards look every row up first, then `read` is called once with the
rows whose cards are rendered afresh), and `kept_rows(...)` keeps a list's items (an API's serialized rows) per
object, reading and building only those not kept, in one round trip for the list.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from core import versions

# Rendered into a form: such a block belongs to one session and is never stored.
CSRF_FIELD = 'name="csrfmiddlewaretoken"'
# Blocks list what is upcoming and say "5 minutes ago": a minute at most, whatever CACHE_SECONDS says.
BLOCK_SECONDS = 60

# (the kinds and objects whose generations the block depends on, who sees the same block)
Rule = Callable[[HttpRequest, Any], tuple[list[versions.Kind], str] | None]

# A member's rights come from memberships and roles (accounts.organisation) and from groups (accounts.member).
RIGHTS_KINDS = ("accounts.organisation", "accounts.member")


def _check(kinds: tuple[str, ...]) -> list[versions.Kind]:
    for kind in kinds:
        if kind not in versions.KINDS:
            raise ValueError(f"Unknown cache kind {kind!r}; add it to core.versions.KINDS.")
    return list(kinds)


def everyone(*kinds: str) -> Rule:
    checked = _check(kinds)
    return lambda request, obj: (checked, "everyone")


def visitors_and_members(*kinds: str) -> Rule:
    checked = _check(kinds)
    return lambda request, obj: (checked, "member" if request.user.is_authenticated else "visitor")


def per_viewer(*kinds: str, own: tuple[str, ...] = ()) -> Rule:
    checked, own = _check(kinds), _check(own)

    def rule(request: HttpRequest, obj: Any) -> tuple[list[versions.Kind], str]:
        user = request.user
        if not user.is_authenticated:
            return checked, "visitor"
        return [*checked, *RIGHTS_KINDS, *((kind, user.pk) for kind in own)], f"member:{user.pk}"

    return rule


def per_language(kept: dict[str | None, str], render: Callable[[], str]) -> str:
    """The block in the active language: `kept` (the block's own dict, language -> HTML, held by the template
    node) or `render()` once per process and language. Only for HTML that nothing but the language changes: no
    viewer, no request, no content (the page's path, a token, a count). A template edited under `make run`
    gets new nodes when Django reloads it, and so new dicts."""
    if not settings.CACHE_RENDERED:
        return render()
    language = translation.get_language()
    html = kept.get(language)
    if html is None:
        html = kept[language] = render()
    return html


def kept(key: str, kinds: Iterable[versions.Kind], render: Callable[[], str], *,
         timeout: int = BLOCK_SECONDS) -> str:
    """The HTML kept under `key` while no generation of `kinds` changed (one cache round trip), else `render()`
    kept for next time, unless it holds a CSRF token."""
    generations, stored = versions.cached_with_generations(key, kinds)
    if stored is not None and stored[0] == generations:
        return stored[1]
    html = render()
    if CSRF_FIELD not in html:
        cache.set(key, (generations, html), timeout=min(settings.CACHE_SECONDS, timeout))
    return html


def block(request: HttpRequest, name: str, rule: Rule | None, render: Callable[[], str], *,
          parts: Iterable[object] = ()) -> str:
    """A block of a view's page, rendered once for every viewer `rule` says sees the same block, per language,
    time zone, host, path and `parts` (the query string), and kept until one of its kinds is bumped. With no
    rule, the block is rendered for each request."""
    found = rule(request, None) if rule is not None and settings.CACHE_RENDERED else None
    if found is None:
        return render()
    kinds, audience = found
    key = versions.key(f"block:{name}", kinds=(), lang=translation.get_language(), parts=[
        audience, timezone.get_current_timezone_name(), getattr(request, "timezone_source", ""),
        request.get_host(), request.path, *parts])
    return kept(key, kinds, render)


def prefetched_when_shown(obj: Model, *lookups: Any) -> Any:
    """`obj` for a kept block ({% card %}) that shows its relations: they are read (one query each, as
    prefetch_related would) the first time the block is rendered afresh, and not at all when it is kept."""

    def read() -> Model:
        prefetch_related_objects([obj], *lookups)
        return obj

    return SimpleLazyObject(read)


class ReadWhenShown(list):
    """The rows of a `{% card … in rows %}` list whose details are read only for the rows rendered afresh: the
    card tag calls `shown(rows)` with those whose cards missed, once for the list, before rendering the first,
    and `read` gets each row at most once (all of them when nothing is kept). What the cards' keys vary by must
    come from the rows as they are, without the details."""

    def __init__(self, rows: Iterable[Any], read: Callable[[list[Any]], None]) -> None:
        super().__init__(rows)
        self._read = read
        self._done: set[int] = set()

    def shown(self, rows: Iterable[Any]) -> None:
        todo = [row for row in rows if id(row) not in self._done]
        if todo:
            self._read(todo)
            self._done.update(id(row) for row in todo)


def kept_rows(name: str, objects: Sequence[Model], kinds: Sequence[versions.Kind],
              build: Callable[[list[Model]], list[Any]], *, parts: Sequence[object] = (),
              varies: Callable[[Model], object] | None = None,
              own: Callable[[Model], Sequence[versions.Kind]] | None = None) -> list[Any]:
    """Each object's row of a list (an API's serialized item), the same for every viewer, kept per object and
    language until one of `kinds` is bumped: one cache round trip for the whole list, and `build` called once
    with only the objects whose row was not kept (so what it reads, it reads for those alone). Rows come back in
    the order of `objects`. A row that shows what no kind covers names it with `varies`, read from the object as
    it is, or names the object generations that cover it with `own` (a conversation's: its members, its last
    message), read in the same round trip. With CACHE_RENDERED off, every row is built."""
    if not settings.CACHE_RENDERED or not objects:
        return build(list(objects)) if objects else []
    lang = translation.get_language()
    keys = [versions.key(f"row:{name}:{obj.pk}", kinds=(), lang=lang,
                         parts=[*parts, varies(obj)] if varies is not None else parts) for obj in objects]
    owned = [list(own(obj)) for obj in objects] if own is not None else [[] for _obj in objects]
    shared = list(kinds)
    everyone = [*shared, *dict.fromkeys(kind for obj_kinds in owned for kind in obj_kinds)]
    generations, found = versions.many_with_generations(keys, everyone)
    of = dict(zip(everyone, generations, strict=True))
    wanted = {key: [of[kind] for kind in (*shared, *obj_kinds)] for key, obj_kinds in zip(keys, owned, strict=True)}
    rows = {key: found[key][1] for key in keys if key in found and found[key][0] == wanted[key]}
    missing = [(key, obj) for key, obj in zip(keys, objects, strict=True) if key not in rows]
    if missing:
        built = dict(zip([key for key, _obj in missing], build([obj for _key, obj in missing]), strict=True))
        cache.set_many({key: (wanted[key], row) for key, row in built.items()},
                       timeout=min(settings.CACHE_SECONDS, BLOCK_SECONDS))
        rows.update(built)
    return [rows[key] for key in keys]
