"""What chat offers other apps through core.extensions.ACTIONS: opening a group conversation for people
who start working together, and adding people to it later. Registered in ChatConfig.ready()."""

from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from chat import services
from chat.models import Conversation, Participant
from core.extensions import ACTIONS


def open_group_conversation(*, creator: User, title: str, members: Iterable[User]) -> Conversation:
    """A named group with the creator as its admin (see chat.services.create_group_conversation)."""
    return services.create_group_conversation(creator=creator, title=title, members=members)


@transaction.atomic
def add_to_group_conversation(*, conversation_id: int, members: Iterable[User]) -> list[Participant]:
    """Add people to a group another app opened, as its first admin; those already in it stay as they are."""
    conversation = Conversation.objects.get(pk=conversation_id, kind=Conversation.Kind.GROUP)
    admin = (Participant.objects.filter(conversation=conversation, role=Participant.Role.ADMIN)
             .select_related("user").order_by("id").first())
    if admin is None:
        return []
    return services.add_group_members(actor=admin.user, conversation=conversation,
                                      members=[m for m in members if m.pk != admin.user_id])


def register() -> None:
    ACTIONS.register("chat.open_group_conversation", open_group_conversation)
    ACTIONS.register("chat.add_to_group_conversation", add_to_group_conversation)
