"""Reads with rules: a member's inbox, a conversation's history and read state, who may be invited,
who is online among the people one talks to, and search across one's own conversations."""

from collections.abc import Iterable

from django.conf import settings
from django.db import connections, router
from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, When
from django.db.models.query import prefetch_related_objects
from django.utils import timezone

from accounts.models import Membership, User
from accounts.selectors import FACE_FIELDS, beside_content
from chat.models import Attachment, Block, Connection, Conversation, Message, Participant, Reaction
from core.statements import Statement

HISTORY_PAGE = 50
# Read markers ("seen by") are shown per member in groups up to this size.
READ_STATE_GROUP_LIMIT = 10


# The API's conversation list names at most this many members of each conversation, with the count of all.
PARTICIPANTS_PREVIEW = 5


def inbox_for(user: User, *, details: bool = True) -> QuerySet[Participant]:
    """The member's conversations, latest message first, each with its last message, how many members it has
    (`participant_count`) and a preview of at most PARTICIPANTS_PREVIEW of them (`preview`): the others in the
    order they joined, the member themself last, so a direct conversation's peer comes first. A group of 100
    costs what a group of 5 does. Without `details`, the last messages' files and reactions are left for
    `read_last_message_details`, for the rows that need them."""
    preview = (Participant.objects.select_related("user").defer(*beside_content("user"))
               .annotate(is_viewer=Case(When(user=user, then=1), default=0, output_field=IntegerField()))
               .order_by("is_viewer", "joined_at", "id")[:PARTICIPANTS_PREVIEW])
    members = (Participant.objects.filter(conversation=OuterRef("conversation")).order_by()
               .values("conversation").annotate(n=Count("id")).values("n"))
    rows = (Participant.objects.filter(user=user)
            .select_related("conversation", "conversation__last_message", "conversation__last_message__sender",
                            "conversation__last_message__reply_to__sender")
            .defer(*beside_content("conversation__last_message__sender",
                                   "conversation__last_message__reply_to__sender"))
            .annotate(participant_count=Subquery(members, output_field=IntegerField()))
            .prefetch_related(Prefetch("conversation__participants", queryset=preview, to_attr="preview"))
            .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id"))
    return rows.prefetch_related(*_LAST_MESSAGE_DETAILS) if details else rows


def inbox_order(user: User) -> QuerySet[Participant]:
    """The member's conversations in `inbox_for`'s order, with only what is the member's own (unread count, read
    mark, mute): a list whose items are kept per conversation reads the rest (`inbox_for`) for the items not kept."""
    return (Participant.objects.filter(user=user)
            .only("id", "conversation_id", "user_id", "unread_count", "last_read_message_id", "muted")
            .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id"))


_LAST_MESSAGE_DETAILS = ("conversation__last_message__attachments",
                         Prefetch("conversation__last_message__reactions",
                                  queryset=Reaction.objects.select_related("user").defer(*beside_content("user"))
                                  .order_by("id")))


def read_last_message_details(rows: list[Participant]) -> None:
    """The files and reactions of the last message of each of `rows` (`inbox_for` without details)."""
    prefetch_related_objects(rows, *_LAST_MESSAGE_DETAILS)


def conversation_list_for(user: User) -> QuerySet[Participant]:
    """The member's conversations as the messenger's list shows them, latest message first, with only what is the
    member's own (unread count, mute) and the conversation's `direct_key` (`other_in` names a direct
    conversation's other member from it). The rest of a row is kept under its conversation's generation
    (chat.conversation) and read by `read_list_details`, for the rows rendered afresh."""
    return (Participant.objects.filter(user=user).only("id", "conversation_id", "user_id", "unread_count", "muted")
            .annotate(direct_key=F("conversation__direct_key"))
            .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id"))


def other_in(direct_key: str | None, user_id: int) -> int | None:
    """The other member of a direct conversation, from its key ("<lower id>:<higher id>"); None for a group."""
    if not direct_key:
        return None
    low, high = (int(part) for part in direct_key.split(":"))
    return high if low == user_id else low


def read_list_details(rows: list[Participant]) -> None:
    """The conversation, its last message and that message's sender of each of `rows` (conversation_list_for), in
    one query."""
    found = (Conversation.objects.select_related("last_message__sender")
             .defer(*beside_content("last_message__sender")).in_bulk([row.conversation_id for row in rows]))
    for row in rows:
        if row.conversation_id in found:  # not one deleted since the list was read
            row.conversation = found[row.conversation_id]


def faces(user_ids: Iterable[int]) -> dict[int, User]:
    """Members by id with what a face shows of them (name, avatar), in one query."""
    return User.objects.only(*FACE_FIELDS).in_bulk(list(user_ids))


def unread_total(user: User) -> int:
    """Unread messages over all the member's conversations: the navigation badge of every member page.

    The ORM's aggregate with the same SQL cost ~0.4 ms of CPU to build on each page, a third of what the header
    adds for a member; this statement is written once."""
    if not user.is_authenticated:
        return 0
    connection = connections[router.db_for_read(Participant)]
    quote, meta = connection.ops.quote_name, Participant._meta
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM({quote(meta.get_field('unread_count').column)}), 0) "
                       f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('user').column)} = %s", [user.pk])
        return int(cursor.fetchone()[0])


def unread_totals(user_ids: list[int]) -> dict[int, int]:
    """Unread messages per member, in one query."""
    rows = Participant.objects.filter(user_id__in=user_ids).values("user_id").annotate(total=Sum("unread_count"))
    return {row["user_id"]: row["total"] or 0 for row in rows}


def participants_of(conversation: Conversation) -> QuerySet[Participant]:
    return Participant.objects.filter(conversation=conversation).select_related("user").order_by("joined_at", "id")


def participants_shown(conversation: Conversation) -> QuerySet[Participant]:
    """`participants_of` with only what the conversation page shows of each member (their face), not their
    settings, biography or sanctions."""
    return participants_of(conversation).defer(*beside_content("user"))


def participants_shown_in(conversation_id: int) -> list[Participant]:
    """`participants_shown` of the conversation `conversation_id`, read with the conversation in the same query
    (one object, shared by every row), for a page that checks the viewer is among them
    (permissions.participation_among) rather than reading the viewer's row first."""
    rows = _MEMBERS_WITH_CONVERSATION.rows(conversation_id)
    for row in rows[1:]:
        row.conversation = rows[0].conversation
    return rows


# Asked on every conversation page: compiled once per connection (core.statements).
_MEMBERS_WITH_CONVERSATION = Statement(Participant, lambda conversation_id: (
    Participant.objects.filter(conversation_id=conversation_id).select_related("user", "conversation")
    .defer(*beside_content("user")).order_by("joined_at", "id")))


def title_for(conversation: Conversation, viewer: User, participants: list[Participant]) -> str:
    """A group's title; for a direct conversation, the other member's name."""
    if conversation.is_group:
        return conversation.title
    others = [p.user.full_name for p in participants if p.user_id != viewer.pk]
    return others[0] if others else viewer.full_name


def with_details(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Messages with what a page or a frame shows of them: sender, the quoted original, files, reactions."""
    return (messages.select_related("sender", "reply_to__sender").defer(*beside_content("sender", "reply_to__sender"))
            .prefetch_related("attachments",
                              Prefetch("reactions", queryset=Reaction.objects.select_related("user")
                                       .defer(*beside_content("user")).order_by("id"))))


def message_with_details(message_id: int) -> Message:
    return with_details(Message.objects.filter(pk=message_id)).get()


def _page_of(conversation: Conversation | int, detailed: bool) -> QuerySet[Message]:
    """A conversation's messages: `with_details`, or the messages alone with the change number of the quoted
    original (`reply_to_seq`) for a page that reads the details of only some of them (`read_details`), their
    text too: a page whose kept cards hit shows none of it."""
    messages = Message.objects.filter(conversation=conversation)
    if detailed:
        return with_details(messages)
    return messages.defer("body", "body_html").annotate(reply_to_seq=F("reply_to__change_seq"))


# The latest page of a conversation (and whether older messages are left), without details: asked on every
# conversation page, compiled once per connection (core.statements).
_LATEST = Statement(Message, lambda conversation_id: (
    _page_of(conversation_id, detailed=False).order_by("-id")[:HISTORY_PAGE + 1]))
_LATEST_BEFORE = Statement(Message, lambda conversation_id, before: (
    _page_of(conversation_id, detailed=False).filter(id__lt=before).order_by("-id")[:HISTORY_PAGE + 1]))


def history(conversation: Conversation, *, before: int | None = None, limit: int = HISTORY_PAGE,
            detailed: bool = True) -> list[Message]:
    """A page of messages in order, the newest `limit` ones before the id `before` (or the latest)."""
    if not detailed and limit == HISTORY_PAGE + 1:
        return list(reversed(_LATEST.rows(conversation.pk) if before is None
                             else _LATEST_BEFORE.rows(conversation.pk, before)))
    qs = _page_of(conversation, detailed)
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(reversed(qs.order_by("-id")[:limit]))


def history_and_more(conversation: Conversation, *, before: int | None = None, limit: int = HISTORY_PAGE,
                     detailed: bool = True) -> tuple[list[Message], bool]:
    """`history`, and whether older messages are left: one more row read instead of a second query."""
    page = history(conversation, before=before, limit=limit + 1, detailed=detailed)
    return page[-limit:], len(page) > limit


def history_from(conversation: Conversation, message_id: int, *, context: int = 10,
                 limit: int = HISTORY_PAGE, detailed: bool = True) -> list[Message]:
    """A page that starts `context` messages before the message `message_id` and runs on after it:
    a search result or the first unread message, with what was said around it."""
    qs = _page_of(conversation, detailed)
    earlier = list(reversed(qs.filter(id__lt=message_id).order_by("-id")[:context]))
    later = list(qs.filter(id__gte=message_id).order_by("id")[:limit - len(earlier)])
    return earlier + later


def read_details(messages: list[Message]) -> None:
    """What `with_details` reads, for messages read without it: the page's messages whose kept cards missed
    (chat/views.py), one query per relation however many they are, and one for their text if it was left."""
    unread_text = [message for message in messages if "body_html" in message.get_deferred_fields()]
    if unread_text:
        texts = {pk: (body, html) for pk, body, html in Message.objects.filter(
            pk__in=[message.pk for message in unread_text]).values_list("pk", "body", "body_html")}
        for message in unread_text:
            message.body, message.body_html = texts.get(message.pk, ("", ""))
    prefetch_related_objects(
        messages, Prefetch("sender", queryset=User.objects.only(*FACE_FIELDS)),
        Prefetch("reply_to", queryset=Message.objects.select_related("sender").defer(*beside_content("sender"))),
        "attachments",
        Prefetch("reactions", queryset=Reaction.objects.select_related("user").defer(*beside_content("user"))
                 .order_by("id")))


def own_reactions(user: User, conversation_id: int, message_ids: list[int]) -> dict[int, set[str]]:
    """The reactions the member gave to each of the messages of the conversation, in one small query: asked of
    the conversation's messages from the first to the last of them (a page's messages follow each other), by a
    statement compiled once per connection (core.statements)."""
    if not message_ids:
        return {}
    wanted, mine = set(message_ids), {}
    for message_id, emoji in _OWN_REACTIONS.rows(user.pk, conversation_id, min(wanted), max(wanted)):
        if message_id in wanted:
            mine.setdefault(message_id, set()).add(emoji)
    return mine


_OWN_REACTIONS = Statement(Reaction, lambda user_id, conversation_id, first, last: (
    Reaction.objects.filter(user_id=user_id, message_id__in=Message.objects.filter(
        conversation_id=conversation_id, id__gte=first, id__lte=last).values("id"))
    .order_by().values_list("message_id", "emoji")))


def first_unread_id(participant: Participant) -> int | None:
    """The first message after the member's read mark that someone else sent: none, without a query, when the mark
    is at the conversation's last message (`participant.conversation` read with it, as `participation` does)."""
    last = participant.conversation.last_message_id
    if last is not None and participant.last_read_message_id >= last:
        return None
    return (Message.objects.filter(conversation_id=participant.conversation_id,
                                   id__gt=participant.last_read_message_id)
            .exclude(sender_id=participant.user_id).order_by("id").values_list("id", flat=True).first())


def messages_after(conversation_id: int, after: int, *, limit: int = 200) -> list[Message]:
    """The messages after the id `after`, oldest first: what a reconnecting client is missing."""
    return list(with_details(Message.objects.filter(conversation_id=conversation_id, id__gt=after))
                .order_by("id")[:limit])


def changed_since(conversation_id: int, *, up_to: int, seq: int, limit: int = 200) -> list[Message]:
    """Messages the client already has (id up to `up_to`) that changed after its change number `seq`:
    edits, deletions and reactions it missed while away, oldest change first."""
    return list(with_details(Message.objects.filter(conversation_id=conversation_id, id__lte=up_to,
                                                    change_seq__gt=seq)).order_by("change_seq")[:limit])


def change_seq(conversation_id: int) -> int:
    return Conversation.objects.filter(pk=conversation_id).values_list("change_seq", flat=True).first() or 0


def latest_message_id(conversation_id: int) -> int:
    return (Message.objects.filter(conversation_id=conversation_id).order_by("-id")
            .values_list("id", flat=True).first()) or 0


def has_older(conversation: Conversation, first_id: int) -> bool:
    return Message.objects.filter(conversation=conversation, id__lt=first_id).exists()


def message_in(conversation: Conversation, message_id: int) -> Message | None:
    return with_details(Message.objects.filter(conversation=conversation, pk=message_id)).first()


def attachment_in(conversation_id: int, attachment_id: int) -> Attachment | None:
    """A file of a message in the conversation (the caller has checked the member takes part)."""
    return (Attachment.objects.filter(pk=attachment_id, message__conversation_id=conversation_id,
                                      message__deleted_at__isnull=True).first())


def blocked_by(user: User) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("blocked").order_by("blocked__full_name")


def blocking_ids(user: User, others: list[int]) -> set[int]:
    """Of `others`, those who blocked the member or whom the member blocked."""
    rows = Block.objects.filter(Q(blocker=user, blocked_id__in=others) | Q(blocked=user, blocker_id__in=others))
    return {b.blocked_id if b.blocker_id == user.pk else b.blocker_id for b in rows}


def online_user_ids(user_ids: Iterable[int]) -> set[int]:
    """Those of the members who have a chat socket open on any server process.

    Every conversation page asks it (the list's direct conversations and the open one's members), and the ORM took
    ~0.5 ms of CPU to build its filter, twice what the rest of a kept list costs: the statement is written once,
    as `unread_total`'s is."""
    ids = [int(pk) for pk in user_ids]
    if not ids:
        return set()
    connection = connections[router.db_for_read(Connection)]
    quote, meta = connection.ops.quote_name, Connection._meta
    user, expires = quote(meta.get_field("user").column), quote(meta.get_field("expires_at").column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT {user} FROM {quote(meta.db_table)} "
                       f"WHERE {user} IN ({', '.join(['%s'] * len(ids))}) AND {expires} > %s",
                       [*ids, connection.ops.adapt_datetimefield_value(timezone.now())])
        return {row[0] for row in cursor.fetchall()}


def online_among(viewer: User, user_ids: list[int]) -> set[int]:
    """Who of `user_ids` is online now, as `viewer` may know it: only people who share a conversation
    with the viewer. The open-socket rows come from every server process."""
    shared = Participant.objects.filter(conversation__participants__user=viewer, user_id__in=user_ids)
    return set(Connection.objects.filter(user_id__in=shared.values("user_id"), expires_at__gt=timezone.now())
               .exclude(user=viewer).values_list("user_id", flat=True))


# Search results a page shows.
SEARCH_PAGE = 20


def search_messages(user: User, query: str, *, page: object = 1) -> "QuerySet[Message] | SearchResults":
    """Messages matching the query in the conversations the member takes part in, best match first, for a
    Paginator; a direct conversation's message with the other member's name (`other_name`).

    PostgreSQL: full-text search with the "simple" configuration (messages are in many languages) on each
    message's stored vector (migration chat 0005): the member's conversations' messages are few enough to filter
    one by one, and computing each one's vector was most of a search's time. The page asked for (`page`) is read
    with the count of all matches by one statement written once (`SearchResults`): the ORM took longer to build
    the search and its count than the rest of the page. SQLite: a plain case-insensitive match.
    """
    if settings.IS_POSTGRES:
        return SearchResults(user, query, page)
    mine = Participant.objects.filter(user=user).values("conversation_id")
    other = (Participant.objects.filter(conversation_id=OuterRef("conversation_id")).exclude(user=user)
             .order_by("id").values("user__full_name")[:1])
    return (Message.objects.filter(conversation_id__in=mine, deleted_at__isnull=True, body__icontains=query)
            .select_related("sender", "conversation").defer("body_html", *beside_content("sender"))
            .annotate(other_name=Case(When(conversation__kind=Conversation.Kind.DIRECT, then=Subquery(other)),
                                      default=None))
            .order_by("-id"))


# The member's conversations' messages matching a websearch query, on the vector core.search's trigger keeps in
# chat_message.search_vector (not a model field, so that no other read of messages fetches it).
_MATCHES = """FROM chat_message m
    WHERE m.conversation_id IN (SELECT p.conversation_id FROM chat_participant p WHERE p.user_id = %(user)s)
    AND m.deleted_at IS NULL AND m.search_vector @@ websearch_to_tsquery('simple', %(query)s)"""
_SEARCH_PAGE = f"""SELECT m.id, m.conversation_id, m.sender_id, m.body, m.created_at, m.change_seq, c.kind, c.title,
    s.full_name, CASE WHEN c.kind = 'direct' THEN (
        SELECT u.full_name FROM chat_participant o JOIN accounts_user u ON u.id = o.user_id
        WHERE o.conversation_id = m.conversation_id AND o.user_id <> %(user)s ORDER BY o.id LIMIT 1) END,
    count(*) OVER ()
    {_MATCHES.replace("FROM chat_message m", "FROM chat_message m JOIN chat_conversation c ON c.id = m.conversation_id "
                      "LEFT JOIN accounts_user s ON s.id = m.sender_id")}
    ORDER BY ts_rank(m.search_vector, websearch_to_tsquery('simple', %(query)s)) DESC, m.id DESC
    LIMIT %(limit)s OFFSET %(offset)s"""
_SEARCH_COUNT = f"SELECT count(*) {_MATCHES}"


class SearchResults:
    """A member's matches for one query as a Paginator reads them (its count, then a slice): the page asked for
    is read with the count of all matches in one statement; another slice, or a page past the end, reads again."""

    def __init__(self, user: User, query: str, page: object) -> None:
        self.params = {"user": user.pk, "query": query}
        self.page = int(page) if str(page).isdigit() and int(page) > 0 else 1
        self.read: tuple[int, int, list[Message]] | None = None
        self.total: int | None = None

    def _rows(self, offset: int, limit: int) -> list[Message]:
        connection = connections[router.db_for_read(Message)]
        with connection.cursor() as cursor:
            cursor.execute(_SEARCH_PAGE, {**self.params, "offset": offset, "limit": limit})
            rows = cursor.fetchall()
        messages = []
        for pk, conversation_id, sender_id, body, created_at, seq, kind, title, sender_name, other, total in rows:
            message = Message(pk=pk, conversation_id=conversation_id, sender_id=sender_id, body=body,
                              created_at=created_at, change_seq=seq)
            message.conversation = Conversation(pk=conversation_id, kind=kind, title=title)
            message.sender = User(pk=sender_id, full_name=sender_name) if sender_id is not None else None
            message.other_name = other
            messages.append(message)
            self.total = total
        self.read = (offset, offset + limit, messages)
        return messages

    def count(self) -> int:
        # The page asked for first, counting all matches as it is read; a page past the end counts them alone.
        if self.total is None and not self._rows((self.page - 1) * SEARCH_PAGE, SEARCH_PAGE):
            connection = connections[router.db_for_read(Message)]
            with connection.cursor() as cursor:
                cursor.execute(_SEARCH_COUNT, self.params)
                self.total = int(cursor.fetchone()[0])
        return self.total

    def explain(self) -> str:
        """PostgreSQL's plan for the first page, as QuerySet.explain gives it."""
        connection = connections[router.db_for_read(Message)]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {_SEARCH_PAGE}", {**self.params, "offset": 0, "limit": SEARCH_PAGE})
            return "\n".join(row[0] for row in cursor.fetchall())

    def __getitem__(self, window: slice) -> list[Message]:
        if window.stop <= window.start:
            return []
        if self.read is not None and self.read[0] == window.start and window.stop <= self.read[1]:
            return self.read[2][:window.stop - window.start]
        return self._rows(window.start, window.stop - window.start)


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
