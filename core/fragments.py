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

A block that renders a form with a CSRF token is never stored (a token belongs to one session).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from core import versions

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
