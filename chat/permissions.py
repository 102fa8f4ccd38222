"""Who may do what in chat, as plain functions shared by views, the API and the socket consumers."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from accounts.permissions import AnyUser
from chat.models import Block, Message, Participant

# Own messages can be edited or deleted for this long after sending.
EDIT_WINDOW = timedelta(minutes=15)


def participation(user: AnyUser, conversation_id: int) -> Participant | None:
    """The member's place in the conversation, or None: only participants read or write it."""
    if not user.is_authenticated or not user.is_active:
        return None
    return (Participant.objects.filter(user=user, conversation_id=conversation_id)
            .select_related("conversation").first())


def participation_among(user: AnyUser, participants: list[Participant]) -> Participant | None:
    """`participation` answered from the conversation's participants as read already (the conversation page reads
    them all, each with the conversation): the member's own row among them, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return next((p for p in participants if p.user_id == user.pk), None)


def can_manage_members(participant: Participant | None) -> bool:
    """Add, remove and promote members: the admins of a group (its creator is its first admin)."""
    return participant is not None and participant.conversation.is_group and participant.is_admin


def can_change_message(user: AnyUser, message: Message) -> bool:
    """Edit or delete: the sender, while the message is not deleted and within the edit window."""
    return (user.is_authenticated and message.sender_id == user.pk and not message.is_deleted
            and timezone.now() - message.created_at <= EDIT_WINDOW)


def blocked_between(first: User, second: User) -> Block | None:
    """The block, if either member has blocked the other."""
    return (Block.objects.filter(blocker=first, blocked=second).first()
            or Block.objects.filter(blocker=second, blocked=first).first())


def can_start_direct_conversation(user: AnyUser, other: User) -> bool:
    return (user.is_authenticated and user.pk != other.pk and other.is_active
            and blocked_between(user, other) is None)


def can_report_message(user: AnyUser, message: Message) -> bool:
    """Participants report messages others sent; a deleted message has nothing left to report."""
    return (user.is_authenticated and message.sender_id != user.pk and not message.is_deleted
            and participation(user, message.conversation_id) is not None)
