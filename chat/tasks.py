"""Chat's background work: telling mentioned members and members with no chat socket open of a message.

`send_message` saves the message and enqueues one job; this task looks who is offline (on any server
process: open sockets are rows with an expiry) and notifies them, in batches, each once per message.
"""

from django.conf import settings

from accounts.mentions import mentioned_ids
from chat import selectors
from chat.models import Message, Participant
from core.models import Notification
from core.tasks import batched, notify_in_batches, task

NOTIFICATION_KIND = "chat.message"
MENTION_KIND = "chat.mention"


@task()
def notify_offline_members(*, message_id: int) -> int:
    """Notify (and e-mail as each prefers) the members a new message concerns; returns how many were told.

    - Members of a group mentioned by their handle are told, even when they muted the conversation; only
      participants count: mentioning someone outside the group tells them nothing of it.
    - Other members with no socket open are told unless they muted it. One unread notification per
      conversation is enough: a member who has not opened the last one is not told again.
    """
    message = Message.objects.select_related("conversation", "sender").filter(pk=message_id).first()
    if message is None or message.is_deleted:
        return 0
    conversation, sender = message.conversation, message.sender
    url = conversation.get_absolute_url()
    participants = list(Participant.objects.filter(conversation=conversation, user__is_active=True)
                        .exclude(user=sender).order_by("user_id").values_list("user_id", "muted"))
    # Worded when each reader sees it, in their language (chat.notifications).
    params = {"name": sender.full_name, "excerpt": message.body[:300]}
    told = 0
    mentioned: set[int] = set()
    if conversation.is_group:
        named = set(mentioned_ids(message.body))
        mentioned = {user_id for user_id, _muted in participants if user_id in named}
        told += notify_in_batches(recipient_ids=sorted(mentioned), source=f"chat.mention:{message.pk}",
                                  kind=MENTION_KIND, url=f"{url}?around={message.pk}#m{message.pk}",
                                  params={**params, "group": conversation.title}, actor_id=sender.pk)
    others = [user_id for user_id, muted in participants if not muted and user_id not in mentioned]
    for chunk in batched(others, settings.TASKS_FANOUT_BATCH):
        online = selectors.online_user_ids(chunk)
        already = set(Notification.objects.filter(kind=NOTIFICATION_KIND, url=url, read_at__isnull=True,
                                                  recipient_id__in=chunk).values_list("recipient_id", flat=True))
        due = [pk for pk in chunk if pk not in online and pk not in already]
        told += notify_in_batches(recipient_ids=due, source=f"chat.message:{message.pk}", kind=NOTIFICATION_KIND,
                                  url=url, actor_id=sender.pk,
                                  params={**params, "group": conversation.title if conversation.is_group else ""})
    return told
