"""Forum pieces shown on other apps' pages (home, organisation, profile) and the edit diff."""

import difflib

from django import template

from accounts.models import Organisation, User
from forums import selectors
from forums.text import handle_of

register = template.Library()


@register.simple_tag
def diff(before: str, after: str) -> str:
    """A unified diff of two versions of a post's text (auto-escaped where it is shown)."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=2)
    return "\n".join(lines)


@register.inclusion_tag("forums/_active_topics.html", takes_context=True)
def active_forum_topics(context: template.Context) -> dict:
    user = context["request"].user
    return {"topics": selectors.active_topics(user), "user": user}


@register.inclusion_tag("forums/_organisation_activity.html", takes_context=True)
def organisation_forum_activity(context: template.Context, organisation: Organisation) -> dict:
    return {"posts": selectors.recent_posts_by_organisation(organisation, context["request"].user),
            "organisation": organisation}


@register.simple_tag
def mention_handle(person: User) -> str:
    return f"@{handle_of(person)}"
