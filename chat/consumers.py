"""WebSocket consumers: the member's live unread counts, and one conversation's live messages.

Frames are JSON objects with a "type". The server sends messages in id order and never twice:
on connect it replays from the database everything after the id the client says it has, and a
live message whose predecessor the client has not been sent triggers the same catch-up first.
Changes to messages the client already has (edits, deletions, reactions) carry the conversation's
change number; a client that reconnects with `changes=<the last number it saw>` gets each message
changed since as a "message.updated" frame.

A frame the server refuses (malformed, or a service's refusal) is answered, and the socket stays open, with
{"type": "error", "error": {"code", "message", "fields"?, "retry_after"?}, "client_id"?}: the API's one
error body (core.errors.refusal), with the client_id of the refused frame when it gave one.
"""

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

from asgiref.sync import SyncToAsync
from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connections
from django.utils.translation import gettext as _

from chat import files as chat_files
from chat import permissions, selectors, services
from chat.layers import send_soon
from chat.models import Message, conversation_group, user_group
from chat.serializers import message_payload
from core.errors import SERVICE_ERRORS, socket_error, socket_refusal, unstorable

logger = logging.getLogger(__name__)

# Close codes: 4401 not logged in (or suspended), 4403 not a participant (or removed), 1011 the server cannot
# serve chat now (the client retries with back-off).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_UNAVAILABLE = 1011
# Large enough for a 4,000-character message even when every character is JSON-escaped.
MAX_FRAME_BYTES = 32 * 1024
# A frame that carries files (base64, a third larger than the files) may be this large; larger files go by HTTP.
MAX_FILE_FRAME_BYTES = 8 * 1024 * 1024
REPLAY_BATCH = 200
TYPING_INTERVAL = 2.0  # seconds
# Frames are flat objects; anything nested deeper is refused before it is looked at.
MAX_FRAME_DEPTH = 8
# Ids are PostgreSQL bigints: a larger number cannot name anything, and the database refuses to compare it.
MAX_ID = 2**63 - 1
# How long leaving or renewing the channel-layer groups may take (Redis may be hung).
CLEANUP_TIMEOUT = 5.0
# How long a live message that came before its predecessor's waits for it before the socket reads the gap from
# the database. Two commits' broadcasts race (each is sent from its own database thread after its commit), so
# under load the later message's event often comes first, its predecessor's a few milliseconds after.
GAP_WAIT = 0.5
# Where a live event keeps the text of its frame, made by the first of the process's sockets that sends it.
FRAME_TEXT = "_frame_text"
# A chat database thread's connection that served a call less than this many seconds ago is not checked again
# (CONN_HEALTH_CHECKS' `SELECT 1`) before the next call.
HEALTH_CHECK_AFTER_IDLE = 1.0


# The sockets' database work runs in a pool of CHAT_DB_THREADS threads, each with its own connection.
# Channels' default (thread_sensitive=True) runs every socket's queries in ONE thread, so a message sent
# by one member waited behind every other socket's heartbeat, replay and read mark. Each call here is a
# whole unit of work (a service runs in one transaction; nothing is carried between calls but the
# connection), and channels' wrapper closes a connection past its CONN_MAX_AGE before and after each call.
_DATABASE_THREADS = ThreadPoolExecutor(max_workers=settings.CHAT_DB_THREADS, thread_name_prefix="chat-db")


_thread_state = threading.local()


class _DatabaseCall(DatabaseSyncToAsync):
    """Channels' database call (old connections closed before and after), with the health check kept for idle
    connections only.

    With CONN_HEALTH_CHECKS, closing old connections before and after every call made each call start with a
    `SELECT 1`: at 1,000 sockets that was 12 % of the worker's samples (py-spy). A connection that served a call
    less than HEALTH_CHECK_AFTER_IDLE seconds ago is taken as alive: a database that went away in that second
    fails one call per thread (the consumer answers it with an error frame), which marks the connection
    (errors_occurred) so that it is checked, and replaced, before the next. Age (CONN_MAX_AGE) and a connection
    left outside autocommit are handled as before.
    """

    def thread_handler(self, loop, *args, **kwargs):
        close_old_connections()
        if time.monotonic() - getattr(_thread_state, "last_call", float("-inf")) < HEALTH_CHECK_AFTER_IDLE:
            for connection in connections.all(initialized_only=True):
                if connection.connection is not None and not connection.errors_occurred:
                    connection.health_check_done = True
        try:
            return SyncToAsync.thread_handler(self, loop, *args, **kwargs)
        finally:
            close_old_connections()
            _thread_state.last_call = time.monotonic()


def db(function: Callable) -> Callable:
    """`function` as a coroutine that runs in one of the chat's database threads."""
    return _DatabaseCall(function, thread_sensitive=False, executor=_DATABASE_THREADS)


# Reads that sockets of this process share while they run: (key) -> (when the read started, its future).
_shared_reads: dict[tuple, tuple[float, asyncio.Future]] = {}


async def shared_read(key: tuple, since: float, function: Callable, *args) -> object:
    """`function(*args)` in a database thread, shared with the sockets of this process that ask for the same
    `key` while it runs: one read instead of one per socket when a conversation's sockets all need the same
    messages (a gap in the live events, a reconnection storm). A caller joins only a read that started at or
    after `since` (time.monotonic()), the moment from which it needs what is committed: it never gets an older
    answer than its own read would have given. The result is shared: callers must not change it.
    """
    running = _shared_reads.get(key)
    if running is None or running[0] < since or running[1].done():
        future = asyncio.ensure_future(db(function)(*args))
        running = _shared_reads[key] = (time.monotonic(), future)

        def forget(_done: asyncio.Future, key: tuple = key, entry: tuple = running) -> None:
            if _shared_reads.get(key) is entry:
                del _shared_reads[key]

        future.add_done_callback(forget)
    # Shielded: one caller cancelled (its socket closed) must not cancel the read for the others.
    return await asyncio.shield(running[1])


def close_database_threads_connections() -> None:
    """Close the connection of every chat database thread (tests do, before the test database is dropped).

    Each of the pool's threads takes one of the closing calls: they wait for one another at the barrier.
    """
    size = settings.CHAT_DB_THREADS
    barrier = threading.Barrier(size, timeout=30)

    def close() -> None:
        connections.close_all()
        barrier.wait()

    for future in [_DATABASE_THREADS.submit(close) for _thread in range(size)]:
        future.result()


def _frame_problem(frame: object) -> tuple[str, str] | None:
    """(field, message) for the first value of the frame that no handler can use: too deep, NUL, surrogate."""
    stack: list[tuple[object, str, int]] = [(frame, "frame", 0)]
    while stack:
        value, field, depth = stack.pop()
        if depth > MAX_FRAME_DEPTH:
            return "frame", _("A frame can be nested at most %(count)d levels deep.") % {"count": MAX_FRAME_DEPTH}
        if isinstance(value, dict):
            if any(unstorable(key) for key in value):
                return "frame", _("A field name is not valid text.")
            # Reversed onto the stack, so that the first field of the frame is reported first.
            stack.extend((item, key if depth == 0 else field, depth + 1) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((item, field, depth + 1) for item in reversed(value))
        elif isinstance(value, str):
            problem = unstorable(value)
            if problem:
                return field, problem
    return None


def _payloads_after(conversation_id: int, after: int) -> list[dict]:
    return [message_payload(m) for m in selectors.messages_after(conversation_id, after, limit=REPLAY_BATCH)]


def _message_id(value: object) -> int | None:
    """A message id as a frame or the address gives it, or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        # str.isdigit() accepts "²" and other digits int() refuses: only ASCII digits are a number here.
        if not (value.isascii() and value.isdigit() and len(value) <= 19):
            return None
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= MAX_ID:
        return None
    return value


class ChatConsumer(AsyncWebsocketConsumer):
    """/ws/chat/: the member's unread counts, for the navigation badge and the inbox."""

    frame_types: frozenset[str] = frozenset({"ping"})
    # Frame types that may carry files, and so be larger than MAX_FRAME_BYTES.
    file_frame_types: frozenset[str] = frozenset()
    groups_joined: list[str]
    cleaned_up = False

    async def __call__(self, scope, receive, send):
        """Run the socket; whichever way it ends, leave its groups and forget it.

        Channels calls disconnect() only when the server reports the close. A client that goes away
        while the server is still sending its opening frames makes that send raise instead, and the
        consumer ends without disconnect(): its presence row and group memberships used to stay behind.
        """
        self.groups_joined = []
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Shielded: a server cancelling the consumer must not cut the clean-up short.
            await asyncio.shield(self.clean_up())

    async def clean_up(self) -> None:
        if self.cleaned_up:
            return
        self.cleaned_up = True
        groups, self.groups_joined = self.groups_joined, []
        if not groups:
            return
        try:
            async with asyncio.timeout(CLEANUP_TIMEOUT):
                for group in groups:
                    await self.channel_layer.group_discard(group, self.channel_name)
        except Exception:  # the layer is gone or hung: its memberships expire there (group_expiry)
            logger.warning("chat: could not leave groups of %s", self.channel_name, exc_info=True)
        try:
            await db(services.close_connection)(channel_name=self.channel_name)
            async with asyncio.timeout(CLEANUP_TIMEOUT):
                await self.after_close()
        except Exception:  # the database is gone: the row expires on its own (CONNECTION_TTL)
            logger.warning("chat: could not forget connection %s", self.channel_name, exc_info=True)

    async def after_close(self) -> None:
        """What a socket's end tells others (a conversation's presence); run once, on every way out."""

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated or self.user.is_suspended:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        if not await self.authorise():
            await self.refuse(CLOSE_FORBIDDEN)
            return
        try:
            for group in self.listen_to():
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.append(group)
        except Exception:  # the channel layer (Redis) is unreachable: the client retries with back-off
            await self.refuse(CLOSE_UNAVAILABLE)
            return
        # From here on, what is committed reaches the socket live: a read that started since has the rest.
        self.listening_since = time.monotonic()
        self.opening = await db(self.open_and_read)()
        await self.accept()
        await self.on_open()

    def open_and_read(self) -> dict:
        """Record the open socket and read what the opening frames show, in one database call: a thousand
        sockets opening together each made up to four calls here, one thread hop and connection check each."""
        services.open_connection(user=self.user, channel_name=self.channel_name)
        return {"unread_total": selectors.unread_total(self.user)}

    async def refuse(self, code: int) -> None:
        # Accept first, so that the browser sees the close code and knows not to retry in vain.
        await self.accept()
        await self.close(code=code)

    async def authorise(self) -> bool:
        return True

    def listen_to(self) -> list[str]:
        return [user_group(self.user.pk)]

    async def on_open(self) -> None:
        await self.send_json({"type": "unread", "conversation": None, "count": None,
                              "total": self.opening["unread_total"]})

    async def disconnect(self, code: int) -> None:
        await self.clean_up()

    async def dispatch(self, message: dict) -> None:
        """Channels' dispatch without its hop to the one sync thread to close old database connections before
        every event: this consumer's database work runs in db(), which closes them in its own thread. At 100
        sockets that hop ran four times per socket for each message (the batch and its three events), one
        thread switch after another on the event loop."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content))

    async def send_error(self, message: str, *, field: str, client_id: str | None = None) -> None:
        """Refuse a frame the server cannot use, in the one error shape (core.errors.socket_error)."""
        await self.send_json(socket_error("invalid", message, field=field, client_id=client_id))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self.send_error(_("Send frames as JSON text, not binary."), field="frame")
            return
        size = len(text_data.encode())
        if size > (MAX_FILE_FRAME_BYTES if self.file_frame_types else MAX_FRAME_BYTES):
            await self.send_error(_("A frame can be at most %(bytes)s bytes.") % {"bytes": f"{MAX_FRAME_BYTES:,}"},
                                  field="frame")
            return
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.send_error(_("The frame is not valid JSON."), field="frame")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.send_error(_("A frame is a JSON object with a \"type\"."), field="type")
            return
        if size > MAX_FRAME_BYTES and (frame["type"] not in self.file_frame_types or not frame.get("files")):
            await self.send_error(_("A frame can be at most %(bytes)s bytes, or %(file_bytes)s with files.") % {
                "bytes": f"{MAX_FRAME_BYTES:,}", "file_bytes": f"{MAX_FILE_FRAME_BYTES:,}"}, field="frame")
            return
        client_id = frame.get("client_id")
        client_id = client_id if isinstance(client_id, str) and not unstorable(client_id) else None
        problem = _frame_problem(frame)
        if problem is not None:
            await self.send_error(problem[1], field=problem[0], client_id=client_id)
            return
        if frame["type"] not in self.frame_types:
            await self.send_error(_("Unknown frame type; expected one of %(types)s.") % {
                "types": ", ".join(sorted(self.frame_types))}, field="type", client_id=client_id)
            return
        handler = getattr(self, "on_" + frame["type"].replace(".", "_"))
        try:
            await handler(frame)
        except SERVICE_ERRORS as error:  # a refusal: the API's error body, as a frame (core.errors.refusal)
            await self.send_json(socket_refusal(error, client_id=client_id))
        except Exception:  # a fault of ours, or of the database or Redis: the socket stays, the client may retry
            logger.exception("chat: %s frame failed", frame["type"])
            await self.send_json(socket_error("server_error", _("The server could not do this now; try again in a "
                                                                "moment."), client_id=client_id))

    async def on_ping(self, frame: dict) -> None:
        if not await self.authorise():
            # Removed while connected, and the removal's event never came (the layer lost it).
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await db(services.keep_connection_alive)(channel_name=self.channel_name)
        # Renew the group memberships, which otherwise expire (CHAT_GROUP_EXPIRY) like those of vanished sockets.
        try:
            async with asyncio.timeout(CLEANUP_TIMEOUT):
                for group in self.groups_joined:
                    await self.channel_layer.group_add(group, self.channel_name)
        except Exception:  # Redis is down or hung: this socket would miss live messages; the client reconnects
            logger.warning("chat: could not renew the groups of %s", self.channel_name, exc_info=True)
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        await self.send_json({"type": "pong"})

    async def chat_batch(self, event: dict) -> None:
        """A commit's events in one channel-layer message (chat.layers): this socket's own, in order."""
        events = event["events"]
        for index in event["to"].get(self.channel_name, ()):
            await self.dispatch(events[index])

    async def chat_unread(self, event: dict) -> None:
        await self.send_json({"type": "unread", "conversation": event["conversation"], "count": event["count"],
                              "total": event["total"]})

    async def chat_removed(self, event: dict) -> None:
        await self.send_json({"type": "removed", "conversation": event["conversation"]})


class ConversationConsumer(ChatConsumer):
    """/ws/chat/<id>/?after=<last message id the client has>: one conversation, live and in order."""

    frame_types = frozenset({"ping", "message.send", "message.edit", "message.delete", "typing", "read", "reaction"})
    file_frame_types = frozenset({"message.send"})

    async def authorise(self) -> bool:
        """Whether the member is (still) in the conversation; checked on connect and on every heartbeat."""
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        self.participant = await db(permissions.participation)(self.user, self.conversation_id)
        return self.participant is not None

    def listen_to(self) -> list[str]:
        return [conversation_group(self.conversation_id), user_group(self.user.pk)]

    async def connect(self) -> None:
        # Live messages that came before their predecessor's (id -> event), held for up to GAP_WAIT; the order
        # lock keeps the gap's database read and the live messages from interleaving their frames.
        self.held: dict[int, dict] = {}
        self.gap_task: asyncio.Task | None = None
        self.order = asyncio.Lock()
        await super().connect()

    async def clean_up(self) -> None:
        if self.gap_task is not None:
            self.gap_task.cancel()
            self.gap_task = None
        await super().clean_up()

    def open_and_read(self) -> dict:
        """Also where the client starts (the latest message's id when it names none) and the change number."""
        opening = super().open_and_read()
        query = parse_qs(self.scope.get("query_string", b"").decode("utf-8", errors="replace"))
        opening["after"] = query.get("after", [""])[0]
        opening["changes"] = _message_id(query.get("changes", [""])[0])
        opening["last_sent"] = _message_id(opening["after"])
        if opening["last_sent"] is None:
            # A client that names no message starts from now; the page it came from showed the history.
            opening["last_sent"] = selectors.latest_message_id(self.conversation_id)
            opening["from_now"] = True
        opening["seq"] = selectors.change_seq(self.conversation_id)
        return opening

    async def on_open(self) -> None:
        """Replay what the client misses, then tell it that live messages follow."""
        self.last_typing: float | None = None
        opening = self.opening
        changes, seq = opening["changes"], opening["seq"]
        if opening.get("from_now") and opening["after"]:
            await self.send_error(_("\"after\" is the id of the last message the client has, "
                                    "in ASCII digits; starting from now instead."), field="after")
        self.last_sent = opening["last_sent"]
        had = self.last_sent
        await self.catch_up()
        if changes is not None and had:
            await self.catch_up_changes(up_to=had, seq=changes)
        await self.send_json({"type": "ready", "conversation": self.conversation_id, "last_id": self.last_sent,
                              "seq": seq})
        await super().on_open()
        self.announced = True
        await self.announce_presence(online=True)

    async def catch_up(self, since: float | None = None) -> None:
        """Send the messages after the last one sent, from the database; the read may be shared with this
        process's other sockets of the conversation that need the same, committed from `since` on (by default
        the moment the socket started listening)."""
        since = self.listening_since if since is None else since
        while True:
            batch = await shared_read(("after", self.conversation_id, self.last_sent), since,
                                      _payloads_after, self.conversation_id, self.last_sent)
            for payload in batch:
                await self.send_json({"type": "message", "message": payload})
                self.last_sent = payload["id"]
            if len(batch) < REPLAY_BATCH:
                return

    async def catch_up_changes(self, *, up_to: int, seq: int) -> None:
        """Send again the messages the client had that changed while it was away (edits, reactions)."""
        while True:
            batch = await db(self._changed_payloads)(up_to, seq)
            for payload in batch:
                await self.send_json({"type": "message.updated", "message": payload})
                seq = payload["seq"]
            if len(batch) < REPLAY_BATCH:
                return

    def _changed_payloads(self, up_to: int, seq: int) -> list[dict]:
        return [message_payload(m) for m in
                selectors.changed_since(self.conversation_id, up_to=up_to, seq=seq, limit=REPLAY_BATCH)]

    async def announce_presence(self, *, online: bool) -> None:
        """Tell the conversation's other sockets that this member came or (with no socket left) went."""
        try:
            # Batched with the announcements of this process's other sockets (a storm of openings or closings).
            await send_soon(self.channel_layer, conversation_group(self.conversation_id), {
                "type": "chat.presence", "user_id": self.user.pk, "online": online})
        except Exception:  # presence is a courtesy: the next heartbeat's presence frame corrects it
            return

    def _online(self) -> list[int]:
        ids = list(selectors.participants_of(self.participant.conversation).values_list("user_id", flat=True))
        return sorted(selectors.online_among(self.user, ids))

    async def on_ping(self, frame: dict) -> None:
        await super().on_ping(frame)
        if self.participant is not None:
            online = await db(self._online)()
            await self.send_json({"type": "presence", "online": online})

    async def after_close(self) -> None:
        # On every way out of the consumer (clean_up), not only when the server reports the close.
        if getattr(self, "announced", False):
            still = await db(selectors.online_user_ids)([self.user.pk])
            if not still:
                await self.announce_presence(online=False)

    async def _message(self, frame: dict) -> Message:
        message_id = frame.get("id")
        if not isinstance(message_id, int) or _message_id(message_id) is None:
            raise ValidationError({"id": ValidationError(_("Name the message by its numeric id."), code="invalid")})
        message = await db(selectors.message_in)(self.participant.conversation, message_id)
        if message is None:
            raise ValidationError({"id": ValidationError(_("No such message in this conversation."),
                                                                code="not_found")})
        return message

    async def on_message_send(self, frame: dict) -> None:
        if "body" not in frame and not frame.get("files"):
            raise ValidationError({"body": ValidationError(_("Write a message before sending."), code="required")})
        files = chat_files.files_from_frame(frame.get("files"))
        message = await db(self._send)(frame.get("body", ""), frame.get("reply_to"), files)
        self.last_typing = None  # whoever types next starts a new message: let the others know at once
        await self.send_json({"type": "ack", "client_id": frame.get("client_id"), "id": message.pk})

    def _send(self, body: object, reply_to: object, files: list) -> Message:
        conversation = self.participant.conversation
        return services.send_message(sender=self.user, conversation=conversation, body=body, reply_to=reply_to,
                                     files=files)

    async def on_reaction(self, frame: dict) -> None:
        """{"type": "reaction", "id": <message id>, "emoji": <code>}: give the reaction, or take it back."""
        message = await self._message(frame)
        added = await db(services.toggle_reaction)(user=self.user, message=message,
                                                                        emoji=frame.get("emoji"))
        await self.send_json({"type": "ack", "client_id": frame.get("client_id"), "id": message.pk, "added": added})

    async def on_message_edit(self, frame: dict) -> None:
        message = await self._message(frame)
        if "body" not in frame:
            raise ValidationError({"body": ValidationError(_("Write the new text."), code="required")})
        await db(services.edit_message)(user=self.user, message=message, body=frame["body"])
        await self.send_json({"type": "ack", "client_id": frame.get("client_id"), "id": message.pk})

    async def on_message_delete(self, frame: dict) -> None:
        message = await self._message(frame)
        await db(services.delete_message)(user=self.user, message=message)
        await self.send_json({"type": "ack", "client_id": frame.get("client_id"), "id": message.pk})

    async def on_read(self, frame: dict) -> None:
        up_to = frame.get("up_to")
        if up_to is not None and (not isinstance(up_to, int) or _message_id(up_to) is None):
            raise ValidationError({"up_to": ValidationError(_("Give the id of the last message read."),
                                                                   code="invalid")})
        await db(services.mark_read)(user=self.user, conversation=self.participant.conversation,
                                                         up_to=up_to)

    async def on_typing(self, frame: dict) -> None:
        # Not saved anywhere: an ephemeral signal to the other open sockets of the conversation,
        # passed on at most once per TYPING_INTERVAL so that a chatty client cannot flood the group.
        now = time.monotonic()
        if self.last_typing is not None and now - self.last_typing < TYPING_INTERVAL:
            return
        self.last_typing = now
        await self.channel_layer.group_send(conversation_group(self.conversation_id), {
            "type": "chat.typing", "channel": self.channel_name,
            "user": {"id": self.user.pk, "name": self.user.full_name},
        })

    async def chat_message(self, event: dict) -> None:
        async with self.order:
            message = event["message"]
            if message["id"] <= self.last_sent:
                return  # already sent by a catch-up
            if event["previous_id"] > self.last_sent:
                # An earlier message's event is late (most often by milliseconds) or lost: hold this one, and
                # read the gap from the database if the earlier one has not come within GAP_WAIT.
                self.held[message["id"]] = event
                if self.gap_task is None:
                    self.gap_task = asyncio.create_task(self._fill_gap(time.monotonic()))
                return
            await self._send_live(event)
            await self._send_held()

    async def _send_live(self, event: dict) -> None:
        # The frame's text is made once per process: the event is the one object all its sockets get (chat_batch).
        text = event.get(FRAME_TEXT)
        if text is None:
            text = event[FRAME_TEXT] = json.dumps({"type": "message", "message": event["message"]})
        await self.send(text_data=text)
        self.last_sent = event["message"]["id"]

    async def _send_held(self) -> None:
        """Send the held messages that now follow on, in order; stop the gap's timer once none is held."""
        for message_id in sorted(self.held):
            event = self.held[message_id]
            if message_id > self.last_sent:
                if event["previous_id"] > self.last_sent:
                    return  # still a gap before it
                await self._send_live(event)
            del self.held[message_id]
        if self.gap_task is not None and self.gap_task is not asyncio.current_task():
            self.gap_task.cancel()
        self.gap_task = None

    async def _fill_gap(self, since: float) -> None:
        """After GAP_WAIT, read what is still missing from the database (it was committed before the held
        message's event was sent: a read started after `since` has it), then send what was held."""
        await asyncio.sleep(GAP_WAIT)
        try:
            async with self.order:
                if self.gap_task is not asyncio.current_task():
                    return
                await self.catch_up(since)
                await self._send_held()
                if self.held:  # a held message the database did not have yet: wait again
                    self.gap_task = asyncio.create_task(self._fill_gap(time.monotonic()))
        except Exception:  # the database is gone: the client reconnects and catches up from its last message
            logger.warning("chat: could not fill a gap in the live messages of %s", self.channel_name, exc_info=True)
            await self.close(code=CLOSE_UNAVAILABLE)

    async def chat_message_updated(self, event: dict) -> None:
        message = event["message"]
        held = self.held.get(message["id"])
        if held is not None and message["seq"] >= held["message"]["seq"]:
            # Sent once its gap is filled, as it now is (a copy: the batch's events are shared by its sockets).
            self.held[message["id"]] = {"previous_id": held["previous_id"], "message": message}
        elif message["id"] <= self.last_sent:  # a later message reaches the client from the database
            await self.send_json({"type": "message.updated", "message": message})

    async def chat_read(self, event: dict) -> None:
        await self.send_json({"type": "read", "user_id": event["user_id"], "up_to": event["up_to"]})

    async def chat_batch(self, event: dict) -> None:
        """A batch's events for this socket, in order; its presence changes that follow one another go in one
        "presence.changes" frame (a storm of openings: one frame per batch instead of one per member)."""
        events = event["events"]
        changes: list[dict] = []
        for index in event["to"].get(self.channel_name, ()):
            own = events[index]
            if own["type"] == "chat.presence":
                if own["user_id"] != self.user.pk:
                    changes.append({"user_id": own["user_id"], "online": own["online"]})
                continue
            await self._send_presence(changes)
            changes = []
            await self.dispatch(own)
        await self._send_presence(changes)

    async def _send_presence(self, changes: list[dict]) -> None:
        if len(changes) == 1:
            await self.send_json({"type": "presence.changed", **changes[0]})
        elif changes:
            await self.send_json({"type": "presence.changes", "changes": changes})

    async def chat_presence(self, event: dict) -> None:
        if event["user_id"] != self.user.pk:
            await self.send_json({"type": "presence.changed", "user_id": event["user_id"], "online": event["online"]})

    async def chat_typing(self, event: dict) -> None:
        if event["channel"] != self.channel_name:
            await self.send_json({"type": "typing", "user": event["user"]})

    async def chat_removed(self, event: dict) -> None:
        if event["conversation"] == self.conversation_id:
            await self.close(code=CLOSE_FORBIDDEN)

