"""How chat messages join the moderators' one report queue (moderation.registry): context and actions.

Moderators cannot open a private conversation, so the report carries its context in the snapshot:
where the message was, the message itself and the few messages before it.
"""

from django.utils.text import Truncator

from accounts.models import User
from chat import permissions, services
from chat.models import Message
from moderation.registry import ReportAction, ReportContext, register_reportable
from moderation.services import log_moderation_action

CONTEXT_MESSAGES = 3


def _where(message: Message) -> str:
    conversation = message.conversation
    if conversation.is_group:
        return f"Message in the group “{conversation.title}”"
    names = " and ".join(p.user.full_name for p in conversation.participants.select_related("user"))
    return f"Direct message between {names}"


def _line(message: Message) -> str:
    name = message.sender.full_name if message.sender else "A former member"
    text = "(deleted)" if message.is_deleted else Truncator(message.body).chars(200)
    return f"{name}: {text}"


def describe(message: Message) -> ReportContext:
    """A snapshot taken when the report is filed: the message, then what came just before it."""
    before = list(Message.objects.filter(conversation_id=message.conversation_id, id__lt=message.pk)
                  .select_related("sender").order_by("-id")[:CONTEXT_MESSAGES])
    excerpt = Truncator(message.body).chars(500)
    if before:
        excerpt += "\n\nBefore it:\n" + "\n".join(_line(m) for m in reversed(before))
    return ReportContext(excerpt=excerpt, author=message.sender, where=_where(message),
                         url=f"{message.conversation.get_absolute_url()}#m{message.pk}")


def _delete(*, moderator: User, target: Message, reason: str, **extra) -> None:
    author = target.sender
    services.remove_message_as_moderator(moderator=moderator, message=target)
    log_moderation_action(moderator=moderator, action="chat_message_removed", target=target,
                          label=f"Chat message {target.pk}", member=author, reason=reason)


DELETE = ReportAction("Delete the message", _delete, outcome="A moderator has removed the message.")


def register() -> None:
    register_reportable("chat.message", Message, describe=describe, actions={"delete": DELETE},
                        can_report=permissions.can_report_message)
