"""How chat messages join the moderators' one report queue (moderation.registry): context and actions.

Moderators cannot open a private conversation, so the report carries its context in the snapshot:
where the message was, the message itself and the few messages before it.
"""

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from chat import permissions, services
from chat.models import Message
from moderation.registry import ReportAction, ReportContext, register_reportable
from moderation.services import log_moderation_action

CONTEXT_MESSAGES = 3


def _where(message: Message) -> str:
    conversation = message.conversation
    if conversation.is_group:
        return _("a message in the group “%(name)s”") % {"name": conversation.title}
    names = [p.user.full_name for p in conversation.participants.select_related("user")]
    first, second = [*names, "", ""][:2]
    return _("a direct message between %(first)s and %(second)s") % {"first": first, "second": second}


def _line(message: Message) -> str:
    name = message.sender.full_name if message.sender else _("A former member")
    text = _("(deleted)") if message.is_deleted else Truncator(message.body).chars(200)
    # Translators: one earlier message in a reported conversation: its sender, then its text.
    return _("%(name)s: %(text)s") % {"name": name, "text": text}


def describe(message: Message) -> ReportContext:
    """A snapshot taken when the report is filed: the message, then what came just before it."""
    before = list(Message.objects.filter(conversation_id=message.conversation_id, id__lt=message.pk)
                  .select_related("sender").order_by("-id")[:CONTEXT_MESSAGES])
    excerpt = Truncator(message.body).chars(500)
    if before:
        # Translators: heads the messages sent just before a reported one, for the moderators.
        excerpt += "\n\n" + _("Before it:") + "\n" + "\n".join(_line(m) for m in reversed(before))
    return ReportContext(excerpt=excerpt, author=message.sender, where=_where(message),
                         url=f"{message.conversation.get_absolute_url()}#m{message.pk}")


def _delete(*, moderator: User, target: Message, reason: str, **extra) -> None:
    author = target.sender
    services.remove_message_as_moderator(moderator=moderator, message=target)
    log_moderation_action(moderator=moderator, action="chat_message_removed", target=target,
                          label=_("Chat message %(number)s") % {"number": target.pk}, member=author, reason=reason)


DELETE = ReportAction(gettext_lazy("Delete the message"), _delete,
                      outcome=gettext_lazy("A moderator has removed the message."))


def register() -> None:
    register_reportable("chat.message", Message, describe=describe, actions={"delete": DELETE},
                        can_report=permissions.can_report_message)
