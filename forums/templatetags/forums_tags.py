"""Forum template tags: the edit diff and a member's mention handle."""

import difflib

from django import template

from accounts.models import User
from forums.text import handle_of

register = template.Library()


@register.simple_tag
def diff(before: str, after: str) -> str:
    """A unified diff of two versions of a post's text (auto-escaped where it is shown)."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=2)
    return "\n".join(lines)


@register.simple_tag
def mention_handle(person: User) -> str:
    return f"@{handle_of(person)}"
