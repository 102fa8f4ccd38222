"""Template tags for chat bits shown on other apps' pages: the unread badge, the block state."""

from django import template

from accounts.models import User
from chat import permissions, selectors
from chat.models import Block

register = template.Library()


@register.simple_tag
def chat_unread_total(user: User) -> int:
    return selectors.unread_total(user)


@register.simple_tag
def chat_block_between(user: User, person: User) -> Block | None:
    if not user.is_authenticated or user.pk == person.pk:
        return None
    return permissions.blocked_between(user, person)

