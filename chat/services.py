"""Every chat write: conversations, messages, read state, blocks, group membership, open sockets.

A message is saved before anyone hears of it: the database is the source of truth, and the
channel-layer broadcast happens on commit. A broadcast that fails (Redis unreachable) is logged
and never undoes or fails the write; clients catch up from the database when they reconnect.
"""

import asyncio
import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from chat import files as chat_files
from chat import permissions, selectors, tasks
from chat.layers import send_events
from chat.models import (
    MAX_MESSAGE_LENGTH,
    MAX_TITLE_LENGTH,
    REACTIONS,
    Attachment,
    Block,
    Connection,
    Conversation,
    Message,
    Participant,
    Reaction,
    conversation_group,
    user_group,
)
from chat.serializers import message_payload
from chat.text import clean_text, linkify
from core import versions
from core.ratelimit import Rate, consume
from core.tasks import enqueue
from moderation.permissions import is_global_moderator

logger = logging.getLogger(__name__)

MESSAGE_RATE = Rate(limit=30, period=60)
REACTION_RATE = Rate(limit=60, period=60)
MAX_GROUP_SIZE = 100
# A socket's presence lasts this long past its last heartbeat (the client pings every 25 seconds).
CONNECTION_TTL = timedelta(seconds=75)


async def _send_bounded(events: list[tuple[str, dict]]) -> None:
    # A hung Redis (accepting connections, answering nothing) would hold the caller for as long as
    # redis-py's timeouts and retries allow (about 20 s for a chat post): bound it to a short wait.
    async with asyncio.timeout(settings.CHAT_BROADCAST_TIMEOUT):
        await send_events(get_channel_layer(), events)


def _broadcast(events: list[tuple[str, dict]]) -> None:
    """Send one commit's events, in order, in one hop to the event loop and one batch (chat.layers)."""
    try:
        async_to_sync(_send_bounded)(events)
    except Exception:  # the channel layer is down or hung: the write stands, sockets catch up from the database
        logger.warning("chat: could not broadcast %s", ", ".join(sorted({e.get("type", "?") for _g, e in events})),
                       exc_info=True)


def _broadcast_on_commit(events: list[tuple[str, dict]]) -> None:
    transaction.on_commit(lambda: _broadcast(events))


def _shows_read_state(participants: int) -> bool:
    """Whether the conversation's page shows who read what (chat.views), and so needs its live read marks.

    A larger group's pages show none: its read marks were one frame to each socket of the group for every
    message, and again for every member whose page marked it read (100 x 100 frames per message in a group
    of 100 with everyone's page open). A page keeps what it decided when it was rendered: one opened before
    the group grew past the limit no longer moves its marks until it is loaded again.
    """
    return participants <= selectors.READ_STATE_GROUP_LIMIT


def _unread_events(conversation: Conversation, user_ids: list[int]) -> list[tuple[str, dict]]:
    """Each member's new unread count in the conversation and in total, for badges and inboxes."""
    counts = dict(Participant.objects.filter(conversation=conversation, user_id__in=user_ids)
                  .values_list("user_id", "unread_count"))
    totals = selectors.unread_totals(list(counts))
    return [(user_group(uid), {"type": "chat.unread", "conversation": conversation.pk, "count": count,
                               "total": totals.get(uid, 0)}) for uid, count in counts.items()]


def _clean_body(body: object, *, allow_empty: bool = False) -> str:
    if not isinstance(body, str):
        raise ValidationError({"body": [_("Write the message as text.")]})
    text = clean_text(body)
    if not text and not allow_empty:
        raise ValidationError({"body": [_("Write a message before sending.")]})
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError({"body": ValidationError(
            _("A message can be at most %(max)s characters (this one has %(count)s).") % {
                "max": number_format(MAX_MESSAGE_LENGTH, force_grouping=True),
                "count": number_format(len(text), force_grouping=True)},
            code="too_long")})
    return text


def _clean_title(title: object) -> str:
    if not isinstance(title, str):
        raise ValidationError({"title": [_("Give the group a name.")]})
    text = " ".join(clean_text(title).split())
    if not text:
        raise ValidationError({"title": [_("Give the group a name.")]})
    if len(text) > MAX_TITLE_LENGTH:
        raise ValidationError({"title": [_("A group name can be at most %(count)d characters.")
                                         % {"count": MAX_TITLE_LENGTH}]})
    return text


def _check_may_write(sender: User, conversation: Conversation, participants: list[Participant]) -> None:
    if sender.is_silenced:
        raise PermissionDenied(_("You are silenced by the moderators and cannot send messages for now."))
    if conversation.is_group:
        return
    other = next((p.user for p in participants if p.user_id != sender.pk), None)
    if other is None:
        return
    block = permissions.blocked_between(sender, other)
    if block is not None and block.blocker_id == sender.pk:
        raise PermissionDenied(_("You blocked %(name)s; unblock them to write to them.") % {"name": other.full_name})
    if block is not None:
        raise PermissionDenied(_("%(name)s does not accept messages from you.") % {"name": other.full_name})
    if not other.is_active:
        raise PermissionDenied(_("%(name)s has left the platform.") % {"name": other.full_name})


@transaction.atomic
def open_direct_conversation(*, user: User, other: User) -> Conversation:
    """The direct conversation between the two members, created on first use and reused after.

    An existing conversation stays readable after a block; a new one needs neither to have blocked the other.
    """
    if other.pk == user.pk:
        raise ValidationError({"other": [_("You cannot start a conversation with yourself.")]})
    low, high = sorted((user.pk, other.pk))
    key = f"{low}:{high}"
    existing = Conversation.objects.filter(direct_key=key).first()
    if existing is not None:
        return existing
    if not other.is_active:
        raise ValidationError({"other": [_("%(name)s has left the platform.") % {"name": other.full_name}]})
    if not permissions.can_start_direct_conversation(user, other):
        raise PermissionDenied(_("You cannot message %(name)s.") % {"name": other.full_name})
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(kind=Conversation.Kind.DIRECT, direct_key=key,
                                                       created_by=user)
            Participant.objects.bulk_create([Participant(conversation=conversation, user=user),
                                             Participant(conversation=conversation, user=other)])
    except IntegrityError:  # the other member opened it at the same moment
        return Conversation.objects.get(direct_key=key)
    versions.bump_each("chat.list", [user.pk, other.pk])  # it shows in both members' lists
    return conversation


def _check_invitees(creator: User, members: Iterable[User]) -> list[User]:
    invitees = list({m.pk: m for m in members if m.pk != creator.pk}.values())
    inactive = [m.full_name for m in invitees if not m.is_active]
    if inactive:
        raise ValidationError({"members": [_("Not on the platform any more: %(names)s.")
                                           % {"names": ", ".join(inactive)}]})
    blocked = selectors.blocking_ids(creator, [m.pk for m in invitees])
    if blocked:
        names = ", ".join(m.full_name for m in invitees if m.pk in blocked)
        raise ValidationError({"members": [_("A block stands between you and %(names)s.") % {"names": names}]})
    return invitees


@transaction.atomic
def create_group_conversation(*, creator: User, title: str, members: Iterable[User]) -> Conversation:
    """A named group with the creator as its first admin and the invited members."""
    title = _clean_title(title)
    if creator.is_silenced:
        raise PermissionDenied(_("You are silenced by the moderators and cannot start conversations for now."))
    invitees = _check_invitees(creator, members)
    if not invitees:
        raise ValidationError({"members": [_("Invite at least one member.")]})
    if len(invitees) + 1 > MAX_GROUP_SIZE:
        raise ValidationError({"members": [_("A group can have at most %(count)d members.")
                                           % {"count": MAX_GROUP_SIZE}]})
    conversation = Conversation.objects.create(kind=Conversation.Kind.GROUP, title=title, created_by=creator)
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=creator, role=Participant.Role.ADMIN)]
        + [Participant(conversation=conversation, user=m) for m in invitees]
    )
    versions.bump_each("chat.list", [creator.pk, *(m.pk for m in invitees)])
    return conversation


def _locked_participation(user: User, conversation: Conversation) -> tuple[Conversation, Participant]:
    """Lock the conversation row, then find the member's place in it (PermissionDenied if none).

    Every write that changes a conversation's messages or members takes this lock first, so
    messages of one conversation commit one after another, in the order of their ids.
    """
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    participant = Participant.objects.filter(conversation=locked, user=user).first()
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    participant.conversation = locked
    return locked, participant


def _next_seq(conversation_id: int) -> int:
    """The conversation's next change number; the UPDATE holds its row until commit, so numbers commit in order.

    Every change to a message (new, edited, deleted, reacted to) takes it before locking any message row:
    the conversation's row is always locked first, so two changes cannot wait on each other. So it is here that
    the conversation's generation moves (its last message, or the original that message quotes, may be the one).
    """
    versions.bump("chat.conversation", conversation_id)
    Conversation.objects.filter(pk=conversation_id).update(change_seq=F("change_seq") + 1)
    return Conversation.objects.filter(pk=conversation_id).values_list("change_seq", flat=True).get()


def _reply_target(conversation: Conversation, reply_to: object) -> Message | None:
    if reply_to is None or reply_to == "":
        return None
    if isinstance(reply_to, bool) or not isinstance(reply_to, int | str) or not str(reply_to).isdigit():
        raise ValidationError({"reply_to": ValidationError(_("Name the message you reply to by its id."),
                                                           code="invalid")})
    target = Message.objects.filter(conversation=conversation, pk=int(reply_to)).first()
    if target is None:
        raise ValidationError({"reply_to": ValidationError(
            _("The message you reply to is not in this conversation."), code="not_found")})
    return target


def _attach(message: Message, checked: list[tuple[UploadedFile, str]]) -> None:
    for upload, kind in checked:
        attachment = Attachment(message=message, name=chat_files.clean_name(upload.name or ""), kind=kind,
                                size=upload.size)
        if kind in chat_files.IMAGES:
            thumb, attachment.width, attachment.height = chat_files.thumbnail(upload)
            attachment.thumbnail.save(thumb.name, thumb, save=False)
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.save()


@transaction.atomic
def write_to(*, sender: User, recipients: Iterable[User], title: str, body: str) -> Conversation:
    """Write to people as a platform message, for another app (core.extensions.ACTIONS "chat.write_to"):
    a direct conversation with one recipient, else a group named `title` with all of them, reused when the
    sender wrote to that group before and is still in it. Chat's own rules apply (length, rate limit, blocks,
    silenced members)."""
    recipients = [u for u in {u.pk: u for u in recipients}.values() if u.pk != sender.pk][:MAX_GROUP_SIZE - 1]
    if not recipients:
        raise ValidationError({"message": [_("There is nobody else to write to.")]})
    if len(recipients) == 1:
        conversation = open_direct_conversation(user=sender, other=recipients[0])
    else:
        title = title[:MAX_TITLE_LENGTH]
        conversation = (selectors.group_created_by(sender, title)
                        or create_group_conversation(creator=sender, title=title, members=recipients))
    send_message(sender=sender, conversation=conversation, body=body)
    return conversation


def send_message(*, sender: User, conversation: Conversation, body: str, reply_to: int | None = None,
                 files: Sequence[UploadedFile] = ()) -> Message:
    """Save a message, then (on commit) send it to every open socket of the conversation.

    Holds the conversation's row lock while saving, so that ids grow in commit order within a
    conversation: a client that has message N and asks for "everything after N" never misses one
    that commits later with a smaller id. The live event carries the previous message's id, so a
    socket that sees a gap fetches the missing messages from the database first.

    What only reads (the message with its details for the event, the members' unread counts) runs
    after the lock is released: every message of a conversation waits for that lock, so the time it is
    held bounds how many messages a conversation takes a second. Inside a caller's transaction the
    lock is held to its end, and the broadcast waits for its commit, as before.

    `reply_to` is the id of a message of the same conversation that this one answers. `files` are
    checked by content (chat.files) whether they came by HTTP or over the socket; a message with
    files may have no text.
    """
    with transaction.atomic():
        message, previous_id, member_ids = _save_message(sender=sender, conversation=conversation, body=body,
                                                         reply_to=reply_to, files=files)
    conversation = message.conversation
    message = selectors.message_with_details(message.pk)
    events = [(conversation.group_name, {"type": "chat.message", "message": message_payload(message),
                                         "previous_id": previous_id})]
    if _shows_read_state(len(member_ids)):
        events.append((conversation.group_name, {"type": "chat.read", "user_id": sender.pk, "up_to": message.pk}))
    events += _unread_events(conversation, member_ids)
    _broadcast_on_commit(events)
    return message


def _save_message(*, sender: User, conversation: Conversation, body: str, reply_to: int | None,
                  files: Sequence[UploadedFile]) -> tuple[Message, int, list[int]]:
    """send_message's writes under the conversation's lock: the message, the previous message's id, the members."""
    files = list(files)
    text = _clean_body(body, allow_empty=bool(files))
    checked = chat_files.check_files(files)
    conversation, _participant = _locked_participation(sender, conversation)
    participants = list(selectors.participants_of(conversation))
    _check_may_write(sender, conversation, participants)
    target = _reply_target(conversation, reply_to)
    consume(action="messages", key=sender.pk, rate=MESSAGE_RATE)

    seq = _next_seq(conversation.pk)
    message = Message.objects.create(conversation=conversation, sender=sender, body=text, body_html=linkify(text),
                                     reply_to=target, change_seq=seq)
    _attach(message, checked)
    previous_id = conversation.last_message_id or 0
    Conversation.objects.filter(pk=conversation.pk).update(last_message=message, last_message_at=message.created_at)
    conversation.last_message, conversation.last_message_at = message, message.created_at
    Participant.objects.filter(conversation=conversation).exclude(user=sender).update(
        unread_count=F("unread_count") + 1)
    Participant.objects.filter(conversation=conversation, user=sender).update(
        last_read_message_id=message.pk, unread_count=0)
    # Every member's header badge, and their list: the conversation moves to the top with this message.
    versions.bump_each(("chat.unread", "chat.list"), [p.user_id for p in participants])

    # Mentioned members and members with no socket open are told by a job (chat.tasks).
    enqueue(tasks.notify_offline_members, message_id=message.pk)
    return message, previous_id, [p.user_id for p in participants]


def _locked_own_message(user: User, message: Message) -> Message:
    seq = _next_seq(message.conversation_id)
    locked = Message.objects.select_for_update(of=("self",)).select_related("sender").get(pk=message.pk)
    locked.change_seq = seq
    if not permissions.can_change_message(user, locked):
        if locked.sender_id != user.pk:
            raise PermissionDenied(_("You can only change your own messages."))
        if locked.is_deleted:
            raise ValidationError({"message": [_("This message is deleted.")]})
        minutes = int(permissions.EDIT_WINDOW.total_seconds() // 60)
        raise ValidationError({"message": [ngettext("Messages can be changed for %(count)d minute after sending.",
                                                      "Messages can be changed for %(count)d minutes after sending.",
                                                      minutes) % {"count": minutes}]})
    return locked


def _bump_lists_showing(message: Message) -> None:
    """Every member's list shows the conversation's last message: an edit or deletion of that one changes them all
    (one query, and one cache round trip however many members); of an earlier message, none."""
    versions.bump_each("chat.list", Participant.objects.filter(
        conversation_id=message.conversation_id, conversation__last_message_id=message.pk)
        .values_list("user_id", flat=True))


def _broadcast_update(message: Message) -> None:
    """Send the changed message, with its files and reactions, to the conversation's sockets on commit."""
    payload = message_payload(selectors.message_with_details(message.pk))
    _broadcast_on_commit([(conversation_group(message.conversation_id),
                           {"type": "chat.message.updated", "message": payload})])


@transaction.atomic
def edit_message(*, user: User, message: Message, body: str) -> Message:
    """Change the text of one's own message within the edit window; it shows as edited."""
    text = _clean_body(body)
    message = _locked_own_message(user, message)
    if user.is_silenced:
        raise PermissionDenied(_("You are silenced by the moderators and cannot send messages for now."))
    message.body, message.body_html, message.edited_at = text, linkify(text), timezone.now()
    message.save(update_fields=["body", "body_html", "edited_at", "change_seq"])
    _bump_lists_showing(message)
    _broadcast_update(message)
    return message


def _erase(message: Message) -> Message:
    # The files go with the text: nobody downloads what the sender took back.
    for attachment in Attachment.objects.filter(message=message):
        stored = [f for f in (attachment.file, attachment.thumbnail) if f]
        attachment.delete()
        transaction.on_commit(lambda stored=stored: [f.storage.delete(f.name) for f in stored])
    message.body, message.body_html, message.deleted_at = "", "", timezone.now()
    message.save(update_fields=["body", "body_html", "deleted_at", "change_seq"])
    _bump_lists_showing(message)
    _broadcast_update(message)
    return message


@transaction.atomic
def delete_message(*, user: User, message: Message) -> Message:
    """Delete one's own message within the edit window: it stays in place, shown as deleted, without its text."""
    return _erase(_locked_own_message(user, message))


@transaction.atomic
def remove_message_as_moderator(*, moderator: User, message: Message) -> Message:
    """A moderator removes a reported message, at any age."""
    if not is_global_moderator(moderator):
        raise PermissionDenied(_("Only moderators remove other members' messages."))
    seq = _next_seq(message.conversation_id)
    message = Message.objects.select_for_update(of=("self",)).select_related("sender").get(pk=message.pk)
    if message.is_deleted:
        return message
    message.change_seq = seq
    return _erase(message)


@transaction.atomic
def toggle_reaction(*, user: User, message: Message, emoji: str) -> bool:
    """Add the member's reaction to a message, or take it back when they had given it; True when added.

    Everyone in the conversation sees the new counts live, and a socket that was away gets the
    message again on catch-up (its change number moved).
    """
    if not isinstance(emoji, str) or emoji not in REACTIONS:
        raise ValidationError({"emoji": ValidationError(
            _("Choose one of the reactions: %(list)s.") % {"list": ", ".join(REACTIONS)}, code="invalid")})
    _locked_participation(user, Conversation(pk=message.conversation_id))
    if user.is_silenced:
        raise PermissionDenied(_("You are silenced by the moderators and cannot react for now."))
    consume(action="reactions", key=user.pk, rate=REACTION_RATE)
    seq = _next_seq(message.conversation_id)
    locked = Message.objects.select_for_update(of=("self",)).get(pk=message.pk)
    if locked.is_deleted:
        raise ValidationError({"id": ValidationError(_("This message is deleted."), code="deleted")})
    removed, _count = Reaction.objects.filter(message=locked, user=user, emoji=emoji).delete()
    if not removed:
        Reaction.objects.create(message=locked, user=user, emoji=emoji)
    Message.objects.filter(pk=locked.pk).update(change_seq=seq)
    _broadcast_update(locked)
    return not removed


@transaction.atomic
def set_muted(*, user: User, conversation: Conversation, muted: bool) -> Participant:
    """Mute or unmute a conversation for the member: muted, only mentions notify them."""
    participant = Participant.objects.filter(user=user, conversation_id=conversation.pk).first()
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    participant.muted = bool(muted)
    participant.save(update_fields=["muted"])
    versions.bump("chat.list", user.pk)
    return participant


@transaction.atomic
def mark_read(*, user: User, conversation: Conversation, up_to: int | None = None) -> Participant:
    """Mark the conversation read up to the message `up_to` (the latest when None); never moves back."""
    participant = (Participant.objects.select_for_update(of=("self",)).select_related("conversation")
                   .filter(user=user, conversation_id=conversation.pk).first())
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    latest = participant.conversation.last_message_id or 0
    target = latest if up_to is None else min(int(up_to), latest)
    if target <= participant.last_read_message_id and participant.unread_count == 0:
        return participant
    participant.last_read_message_id = max(participant.last_read_message_id, target)
    participant.unread_count = (Message.objects.filter(conversation_id=conversation.pk,
                                                       id__gt=participant.last_read_message_id)
                                .exclude(sender=user).count())
    participant.save(update_fields=["last_read_message_id", "unread_count"])
    versions.bump_each(("chat.unread", "chat.list"), [user.pk])  # the header's badge and the row's count
    events = []
    if (not participant.conversation.is_group
            or _shows_read_state(Participant.objects.filter(conversation_id=conversation.pk).count())):
        events.append((participant.conversation.group_name, {"type": "chat.read", "user_id": user.pk,
                                                             "up_to": participant.last_read_message_id}))
    events += _unread_events(participant.conversation, [user.pk])
    _broadcast_on_commit(events)
    return participant


@transaction.atomic
def block_member(*, user: User, other: User) -> Block:
    """Stop direct messages between the two members, both ways; the blocked member is not told."""
    if other.pk == user.pk:
        raise ValidationError({"other": [_("You cannot block yourself.")]})
    block, _created = Block.objects.get_or_create(blocker=user, blocked=other)
    return block


@transaction.atomic
def unblock_member(*, user: User, other: User) -> None:
    Block.objects.filter(blocker=user, blocked=other).delete()


def _check_group_admin(actor: User, conversation: Conversation) -> Conversation:
    conversation, participant = _locked_participation(actor, conversation)
    if not permissions.can_manage_members(participant):
        raise PermissionDenied(_("Only the group's admins manage its members."))
    return conversation


@transaction.atomic
def add_group_members(*, actor: User, conversation: Conversation, members: Iterable[User]) -> list[Participant]:
    """An admin invites members into the group; those already in it are left as they are."""
    conversation = _check_group_admin(actor, conversation)
    present = set(Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True))
    invitees = [m for m in _check_invitees(actor, members) if m.pk not in present]
    if len(present) + len(invitees) > MAX_GROUP_SIZE:
        raise ValidationError({"members": [_("A group can have at most %(count)d members.")
                                           % {"count": MAX_GROUP_SIZE}]})
    versions.bump("chat.conversation", conversation.pk)
    versions.bump_each("chat.list", [m.pk for m in invitees])  # the group shows in the newcomers' lists
    return Participant.objects.bulk_create([Participant(conversation=conversation, user=m) for m in invitees])


def _drop(conversation: Conversation, user_id: int) -> None:
    versions.bump("chat.conversation", conversation.pk)
    # Their unread messages there no longer count, and the group leaves their list.
    versions.bump_each(("chat.unread", "chat.list"), [user_id])
    Participant.objects.filter(conversation=conversation, user_id=user_id).delete()
    if not Participant.objects.filter(conversation=conversation, role=Participant.Role.ADMIN).exists():
        # A group is never left without an admin: the longest-standing member takes over.
        heir = Participant.objects.filter(conversation=conversation).order_by("joined_at", "id").first()
        if heir is not None:
            Participant.objects.filter(pk=heir.pk).update(role=Participant.Role.ADMIN)
    _broadcast_on_commit([(user_group(user_id), {"type": "chat.removed", "conversation": conversation.pk})])


@transaction.atomic
def remove_group_member(*, actor: User, conversation: Conversation, member: User) -> None:
    """An admin removes another member; their open sockets on the group are closed."""
    conversation = _check_group_admin(actor, conversation)
    if member.pk == actor.pk:
        raise ValidationError({"member": [_("Leave the group instead of removing yourself.")]})
    if not Participant.objects.filter(conversation=conversation, user=member).exists():
        raise ValidationError({"member": [_("%(name)s is not in this group.") % {"name": member.full_name}]})
    _drop(conversation, member.pk)


@transaction.atomic
def make_group_admin(*, actor: User, conversation: Conversation, member: User) -> Participant:
    conversation = _check_group_admin(actor, conversation)
    participant = Participant.objects.filter(conversation=conversation, user=member).first()
    if participant is None:
        raise ValidationError({"member": [_("%(name)s is not in this group.") % {"name": member.full_name}]})
    participant.role = Participant.Role.ADMIN
    participant.save(update_fields=["role"])
    versions.bump("chat.conversation", conversation.pk)
    return participant


def changed_by_staff(*, conversation: Conversation, member_ids: Iterable[int] = ()) -> None:
    """Staff changed a conversation in the admin (its name, its members): what lists show of it is stale, in the
    lists of its members now and of those it had before (`member_ids`), one cache round trip for all."""
    versions.bump("chat.conversation", conversation.pk)
    versions.bump_each("chat.list", [*member_ids, *Participant.objects.filter(conversation_id=conversation.pk)
                                     .values_list("user_id", flat=True)])


@transaction.atomic
def leave_conversation(*, user: User, conversation: Conversation) -> None:
    """Leave a group; a direct conversation cannot be left (block the member instead)."""
    conversation, _participant = _locked_participation(user, conversation)
    if not conversation.is_group:
        raise ValidationError({"conversation": [_("A direct conversation cannot be left; block the member instead.")]})
    _drop(conversation, user.pk)


@transaction.atomic
def open_connection(*, user: User, channel_name: str) -> Connection:
    """Record an open socket, so that messages to this member do not become notifications meanwhile."""
    connection, _created = Connection.objects.update_or_create(
        channel_name=channel_name, defaults={"user": user, "expires_at": timezone.now() + CONNECTION_TTL})
    return connection


@transaction.atomic
def keep_connection_alive(*, channel_name: str) -> None:
    Connection.objects.filter(channel_name=channel_name).update(expires_at=timezone.now() + CONNECTION_TTL)


@transaction.atomic
def close_connection(*, channel_name: str) -> None:
    Connection.objects.filter(channel_name=channel_name).delete()
    # Sockets of processes that died without closing: expired, they are swept here.
    Connection.objects.filter(expires_at__lt=timezone.now() - CONNECTION_TTL).delete()
