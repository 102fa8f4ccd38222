"""Chat's background work: telling members with no chat socket open about a new message.

`send_message` saves the message and enqueues one job; this task looks who is offline (on any server
process: open sockets are rows with an expiry) and notifies them, in batches for a large group.
"""

from django.conf import settings

from chat import selectors
from chat.models import Message, Participant
from core.models import Notification
from core.tasks import batched, notify_in_batches, task

NOTIFICATION_KIND = "chat.message"


@task()
def notify_offline_members(*, message_id: int) -> int:
    """An in-app notification (and e-mail as each prefers) for members with no chat socket open.

    One unread notification per conversation is enough: a member who has not opened the last one is not
    told again for each further message. Returns how many were told.
    """
    message = Message.objects.select_related("conversation", "sender").filter(pk=message_id).first()
    if message is None or message.is_deleted:
        return 0
    conversation, sender = message.conversation, message.sender
    url = conversation.get_absolute_url()
    where = f" in {conversation.title}" if conversation.is_group else ""
    member_ids = (Participant.objects.filter(conversation=conversation, user__is_active=True)
                  .exclude(user=sender).order_by("user_id").values_list("user_id", flat=True))
    told = 0
    for chunk in batched(member_ids.iterator(), settings.TASKS_FANOUT_BATCH):
        online = selectors.online_user_ids(chunk)
        already = set(Notification.objects.filter(kind=NOTIFICATION_KIND, url=url, read_at__isnull=True,
                                                  recipient_id__in=chunk).values_list("recipient_id", flat=True))
        due = [pk for pk in chunk if pk not in online and pk not in already]
        told += notify_in_batches(recipient_ids=due, source=f"chat.message:{message.pk}", kind=NOTIFICATION_KIND,
                                  url=url, title=f"New message from {sender.full_name}{where}",
                                  body=message.body[:300], actor_id=sender.pk)
    return told
