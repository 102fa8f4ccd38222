"""Reads with rules: a member's inbox, a conversation's history and read state, who may be invited."""

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Membership, User
from chat.models import Block, Connection, Conversation, Message, Participant

HISTORY_PAGE = 50
# Read markers ("seen by") are shown per member in groups up to this size.
READ_STATE_GROUP_LIMIT = 10


def inbox_for(user: User) -> QuerySet[Participant]:
    """The member's conversations, latest message first, each with its participants and last message."""
    return (Participant.objects.filter(user=user)
            .select_related("conversation", "conversation__last_message", "conversation__last_message__sender")
            .prefetch_related(Prefetch("conversation__participants",
                                       queryset=Participant.objects.select_related("user").order_by("joined_at", "id")))
            .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id"))


def unread_total(user: User) -> int:
    """Unread messages over all the member's conversations: the navigation badge."""
    if not user.is_authenticated:
        return 0
    return Participant.objects.filter(user=user).aggregate(total=Sum("unread_count"))["total"] or 0


def unread_totals(user_ids: list[int]) -> dict[int, int]:
    """Unread messages per member, in one query."""
    rows = Participant.objects.filter(user_id__in=user_ids).values("user_id").annotate(total=Sum("unread_count"))
    return {row["user_id"]: row["total"] or 0 for row in rows}


def participants_of(conversation: Conversation) -> QuerySet[Participant]:
    return Participant.objects.filter(conversation=conversation).select_related("user").order_by("joined_at", "id")


def title_for(conversation: Conversation, viewer: User, participants: list[Participant]) -> str:
    """A group's title; for a direct conversation, the other member's name."""
    if conversation.is_group:
        return conversation.title
    others = [p.user.full_name for p in participants if p.user_id != viewer.pk]
    return others[0] if others else viewer.full_name


def history(conversation: Conversation, *, before: int | None = None, limit: int = HISTORY_PAGE) -> list[Message]:
    """A page of messages in order, the newest `limit` ones before the id `before` (or the latest)."""
    qs = Message.objects.filter(conversation=conversation).select_related("sender")
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(reversed(qs.order_by("-id")[:limit]))


def messages_after(conversation_id: int, after: int, *, limit: int = 200) -> list[Message]:
    """The messages after the id `after`, oldest first: what a reconnecting client is missing."""
    return list(Message.objects.filter(conversation_id=conversation_id, id__gt=after)
                .select_related("sender").order_by("id")[:limit])


def latest_message_id(conversation_id: int) -> int:
    return (Message.objects.filter(conversation_id=conversation_id).order_by("-id")
            .values_list("id", flat=True).first()) or 0


def has_older(conversation: Conversation, first_id: int) -> bool:
    return Message.objects.filter(conversation=conversation, id__lt=first_id).exists()


def message_in(conversation: Conversation, message_id: int) -> Message | None:
    return Message.objects.filter(conversation=conversation, pk=message_id).select_related("sender").first()


def blocked_by(user: User) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("blocked").order_by("blocked__full_name")


def blocking_ids(user: User, others: list[int]) -> set[int]:
    """Of `others`, those who blocked the member or whom the member blocked."""
    rows = Block.objects.filter(Q(blocker=user, blocked_id__in=others) | Q(blocked=user, blocker_id__in=others))
    return {b.blocked_id if b.blocker_id == user.pk else b.blocker_id for b in rows}


def online_user_ids(user_ids: list[int]) -> set[int]:
    """Those of the members who have a chat socket open on any server process."""
    return set(Connection.objects.filter(user_id__in=user_ids, expires_at__gt=timezone.now())
               .values_list("user_id", flat=True))


def contact_candidates(user: User) -> QuerySet[User]:
    """Whom the member may invite to a group: people they talk to directly, and their organisations' members."""
    talked_to = Participant.objects.filter(
        conversation__kind=Conversation.Kind.DIRECT, conversation__participants__user=user).values("user_id")
    colleagues = Membership.objects.filter(
        status=Membership.Status.ACTIVE,
        organisation__memberships__user=user, organisation__memberships__status=Membership.Status.ACTIVE,
    ).values("user_id")
    return (User.objects.filter(is_active=True).filter(Q(pk__in=talked_to) | Q(pk__in=colleagues))
            .exclude(pk=user.pk).order_by("full_name", "id"))


def group_created_by(user: User, title: str) -> Conversation | None:
    """The group named `title` that the member opened before, while they are still in it."""
    return (Conversation.objects.filter(kind=Conversation.Kind.GROUP, created_by=user, title=title,
                                        participants__user=user).order_by("-created_at").first())
