"""Template tags for chat bits shown on other apps' pages: the unread badge, the block state."""

from django import template

from accounts.models import User
from chat import permissions
from chat.models import Block
from core.memberfacts import member_fact

register = template.Library()


@register.simple_tag
def chat_unread_total(user: User) -> int:
    """The header's badge: kept per member until a message to them, their reading or their leaving a conversation
    (chat.services bumps chat.unread for the member), read with the member's other facts (core.memberfacts)."""
    return member_fact(user, "chat.unread")


@register.simple_tag
def chat_block_between(user: User, person: User) -> Block | None:
    if not user.is_authenticated or user.pk == person.pk:
        return None
    return permissions.blocked_between(user, person)

