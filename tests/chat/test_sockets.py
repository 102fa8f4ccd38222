"""The chat sockets through the real ASGI stack: who may connect, order, catch-up, limits, bad frames."""

import asyncio
import json
import threading
from datetime import timedelta

import pytest
import redis
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chat import consumers, services
from chat.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED, CLOSE_UNAVAILABLE, MAX_FRAME_BYTES
from chat.models import Connection, Message
from core.models import Notification
from core.ratelimit import Rate
from tests.chat.helpers import direct, group, say
from tests.chat.sockets import connected, frames_until, next_error, next_of, open_socket, refused_with, send
from tests.errors import frame_error, frame_fields
from tests.hostile import XSS_PAYLOADS, assert_inert

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_socket_connections")]


def path(conversation, after=None) -> str:
    return f"/ws/chat/{conversation.pk}/" + (f"?after={after}" if after is not None else "")


async def test_a_visitor_is_refused_with_4401(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    assert await refused_with(await open_socket(None, path(conversation))) == CLOSE_UNAUTHENTICATED
    assert await refused_with(await open_socket(None, "/ws/chat/")) == CLOSE_UNAUTHENTICATED


@pytest.fixture(params=["outsider", "moderator", "staff"])
def intruder(request):
    return request.getfixturevalue(request.param)


async def test_a_non_participant_is_refused_with_4403(member, peer, intruder):
    conversation = await database_sync_to_async(direct)(member, peer)
    assert await refused_with(await open_socket(intruder, path(conversation))) == CLOSE_FORBIDDEN


async def test_a_foreign_origin_is_not_connected(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    socket = await open_socket(member, path(conversation), origin="http://evil.example")
    ok, _ = await socket.connect(timeout=10)
    assert not ok


async def test_a_participant_gets_what_they_miss_in_order_then_ready(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    first, _second, third = await database_sync_to_async(say)(member, conversation, "one", "two", "three")
    socket = await connected(peer, path(conversation, after=first.pk))
    frames = await frames_until(socket, "ready")
    assert [f["message"]["body"] for f in frames if f["type"] == "message"] == ["two", "three"]
    assert frames[-1]["last_id"] == third.pk
    assert (await next_of(socket, "unread"))["total"] == 3
    await socket.disconnect()


async def test_a_message_sent_by_one_member_arrives_live_at_the_other_in_order(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    sender = await connected(member, path(conversation, after=0))
    receiver = await connected(peer, path(conversation, after=0))
    await frames_until(sender, "ready")
    await frames_until(receiver, "ready")
    for n in range(5):
        await send(sender, {"type": "message.send", "body": f"message {n}", "client_id": f"c{n}"})
    received = [(await next_of(receiver, "message"))["message"] for _ in range(5)]
    assert [m["body"] for m in received] == [f"message {n}" for n in range(5)]
    assert [m["id"] for m in received] == sorted(m["id"] for m in received)
    acks = [f for f in await frames_until(sender, "ack") if f["type"] == "ack"]
    assert acks[0]["client_id"] == "c0"
    assert (await next_of(receiver, "unread"))["conversation"] == conversation.pk
    await sender.disconnect()
    await receiver.disconnect()


async def test_a_lost_live_event_is_filled_from_the_database_before_the_next_message(member, peer, monkeypatch):
    conversation = await database_sync_to_async(direct)(member, peer)
    receiver = await connected(peer, path(conversation, after=0))
    await frames_until(receiver, "ready")
    with monkeypatch.context() as patch:
        patch.setattr(services, "_broadcast", lambda events: None)  # the event for "lost" never arrives
        await database_sync_to_async(say)(member, conversation, "lost")
    await database_sync_to_async(say)(member, conversation, "found")
    first = (await next_of(receiver, "message"))["message"]
    second = (await next_of(receiver, "message"))["message"]
    assert [first["body"], second["body"]] == ["lost", "found"]
    await send(receiver, {"type": "ping"})
    frames = await frames_until(receiver, "pong")
    assert not [f for f in frames if f["type"] == "message"], "a message was sent twice"
    await receiver.disconnect()


async def test_a_reconnecting_member_catches_up_on_what_was_sent_meanwhile(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    receiver = await connected(peer, path(conversation, after=0))
    await frames_until(receiver, "ready")
    (seen,) = await database_sync_to_async(say)(member, conversation, "before the drop")
    assert (await next_of(receiver, "message"))["message"]["id"] == seen.pk
    await receiver.disconnect()
    await database_sync_to_async(say)(member, conversation, "while away 1", "while away 2")
    again = await connected(peer, path(conversation, after=seen.pk))
    frames = await frames_until(again, "ready")
    assert [f["message"]["body"] for f in frames if f["type"] == "message"] == ["while away 1", "while away 2"]
    await again.disconnect()


async def test_limits_answer_with_an_error_frame_naming_the_limit_and_the_socket_stays_usable(member, peer,
                                                                                              monkeypatch):
    monkeypatch.setattr(services, "MESSAGE_RATE", Rate(limit=2, period=60))
    conversation = await database_sync_to_async(direct)(member, peer)
    socket = await connected(member, path(conversation, after=0))
    await frames_until(socket, "ready")

    await send(socket, {"type": "message.send", "body": "x" * 4001, "client_id": "long"})
    frame = await next_error(socket)
    assert (frame_fields(frame), frame["client_id"]) == ({"body"}, "long")
    assert "4,000" in frame["error"]["message"] and "4,000" in frame["error"]["fields"]["body"][0]

    await send(socket, json.dumps({"type": "message.send", "body": "y" * MAX_FRAME_BYTES}))
    frame = await next_error(socket)
    assert frame_fields(frame) == {"frame"} and "32,768 bytes" in frame["error"]["message"]

    for n in range(2):
        await send(socket, {"type": "message.send", "body": f"within the limit {n}"})
        await next_of(socket, "ack")
    await send(socket, {"type": "message.send", "body": "over the limit"})
    error = frame_error(await next_error(socket))
    assert error["code"] == "rate_limited" and "2 per minute" in error["message"] and error["retry_after"] > 0

    await send(socket, {"type": "ping"})
    assert await next_of(socket, "pong")
    assert await database_sync_to_async(Message.objects.count)() == 2
    await socket.disconnect()


BAD_FRAMES = [
    ("not json at all", "frame"),
    ("[1, 2, 3]", "type"),
    ('{"no": "type"}', "type"),
    ('{"type": 5}', "type"),
    ('{"type": "launch.missiles"}', "type"),
    ('{"type": "message.send"}', "body"),
    ('{"type": "message.send", "body": 123}', "body"),
    ('{"type": "message.send", "body": null}', "body"),
    ('{"type": "message.send", "body": ["a"]}', "body"),
    ('{"type": "message.edit", "id": "7", "body": "x"}', "id"),
    ('{"type": "message.delete", "id": 999999999}', "id"),
    ('{"type": "read", "up_to": "last"}', "up_to"),
    # Hostile values: each once closed the socket instead of answering.
    ('{"type": "message.send", "body": "\\ud800"}', "body"),
    ('{"type": "message.send", "body": "lone \\udfff surrogate", "client_id": "s1"}', "body"),
    ('{"type": "message.send", "body": "ok", "client_id": "\\ud800"}', "client_id"),
    ('{"type": "message.send", "body": "nul \\u0000 inside", "extra": ["\\u0000"]}', "body"),
    ('{"type": "message.edit", "id": 99999999999999999999999, "body": "x"}', "id"),
    ('{"type": "message.edit", "id": -1, "body": "x"}', "id"),
    ('{"type": "message.delete", "id": 1e400}', "id"),
    ('{"type": "message.delete", "id": true}', "id"),
    ('{"type": "read", "up_to": 99999999999999999999999}', "up_to"),
    ('{"type": "read", "up_to": 2.5}', "up_to"),
    ('{"type": "read", "up_to": "\\u00b2"}', "up_to"),
    ('{"type": "ping", "x": ' + "[" * 5000 + "]" * 5000 + "}", "frame"),
    ('{"type": "ping", "x": ' + "[" * 20 + "]" * 20 + "}", "frame"),
    ('{"type": "\\ud800"}', "type"),
    ('{"\\ud800": 1, "type": "ping"}', "frame"),
]


async def test_bad_frames_get_an_error_frame_and_never_break_the_socket(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    socket = await connected(member, path(conversation, after=0))
    await frames_until(socket, "ready")
    for text, field in BAD_FRAMES:
        await send(socket, text)
        assert frame_fields(await next_error(socket)) == {field}, text
    await socket.send_to(bytes_data=b"\x00\x01binary")
    assert frame_fields(await next_error(socket)) == {"frame"}
    await send(socket, {"type": "message.send", "body": "still here"})
    assert await next_of(socket, "ack")
    await socket.disconnect()


@pytest.mark.parametrize("after", ["%C2%B2", "%D9%A3", "99999999999999999999999", "-1", "%00", "1e3", "%ED%A0%80"])
async def test_a_hostile_after_gets_an_error_frame_then_the_socket_starts_from_now(member, peer, after):
    conversation = await database_sync_to_async(direct)(member, peer)
    (last,) = await database_sync_to_async(say)(peer, conversation, "already on the page")
    socket = await connected(member, f"/ws/chat/{conversation.pk}/?after={after}")
    frames = await frames_until(socket, "ready")
    assert frame_fields(frames[0]) == {"after"}
    assert frames[-1]["last_id"] == last.pk and not [f for f in frames if f["type"] == "message"]
    await send(socket, {"type": "message.send", "body": "still usable"})
    assert await next_of(socket, "ack")
    await socket.disconnect()


async def test_a_blocked_member_gets_an_error_frame_and_nothing_is_delivered(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    await database_sync_to_async(services.block_member)(user=peer, other=member)
    socket = await connected(member, path(conversation, after=0))
    await frames_until(socket, "ready")
    await send(socket, {"type": "message.send", "body": "let me talk"})
    error = frame_error(await next_error(socket))
    assert error["code"] == "permission_denied" and "does not accept messages" in error["message"]
    assert not await database_sync_to_async(Message.objects.exists)()
    await socket.disconnect()
    # The same refusal through the API has the same body: one error contract, whatever the door.
    assert await database_sync_to_async(_api_refusal)(member, conversation) == {"error": error}


def _api_refusal(member, conversation) -> dict:
    client = Client()
    client.force_login(member)
    return client.post(reverse("api-chat-messages", args=[conversation.pk]), {"body": "let me talk"},
                       content_type="application/json").json()


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:4])
async def test_hostile_text_arrives_as_text_and_inert_html(member, peer, payload):
    conversation = await database_sync_to_async(direct)(member, peer)
    sender = await connected(member, path(conversation, after=0))
    receiver = await connected(peer, path(conversation, after=0))
    await frames_until(receiver, "ready")
    await send(sender, {"type": "message.send", "body": payload})
    message = (await next_of(receiver, "message"))["message"]
    assert message["body"] == payload
    assert_inert(message["html"])
    await sender.disconnect()
    await receiver.disconnect()


async def test_typing_edits_and_read_state_reach_the_others(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    sender = await connected(member, path(conversation, after=0))
    receiver = await connected(peer, path(conversation, after=0))
    await frames_until(sender, "ready")
    await frames_until(receiver, "ready")
    await send(sender, {"type": "typing"})
    assert (await next_of(receiver, "typing"))["user"]["name"] == member.full_name

    await send(sender, {"type": "message.send", "body": "Typo"})
    frames = await frames_until(sender, "ack")
    assert not [f for f in frames if f["type"] == "typing"], "the typist is not told of their own typing"
    message_id = frames[-1]["id"]
    await send(sender, {"type": "message.edit", "id": message_id, "body": "Fixed"})
    updated = (await next_of(receiver, "message.updated"))["message"]
    assert (updated["body"], updated["edited_at"] is not None) == ("Fixed", True)

    await send(receiver, {"type": "read", "up_to": message_id})
    read = await next_of(sender, "read")
    while read["user_id"] != peer.pk:
        read = await next_of(sender, "read")
    assert read["up_to"] == message_id
    await sender.disconnect()
    await receiver.disconnect()


async def test_a_member_removed_from_a_group_is_disconnected(member, peer, outsider):
    conversation = await database_sync_to_async(group)(member, peer, outsider)
    socket = await connected(peer, path(conversation, after=0))
    await frames_until(socket, "ready")
    await database_sync_to_async(services.remove_group_member)(actor=member, conversation=conversation, member=peer)
    while True:
        output = await socket.receive_output(timeout=10)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == CLOSE_FORBIDDEN
    await socket.disconnect()


async def test_an_open_socket_keeps_notifications_away_until_it_closes(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    socket = await connected(peer, "/ws/chat/")
    assert (await next_of(socket, "unread"))["total"] == 0
    await database_sync_to_async(say)(member, conversation, "you are online")
    assert (await next_of(socket, "unread"))["total"] == 1
    assert not await database_sync_to_async(Notification.objects.filter(recipient=peer).exists)()
    await socket.disconnect()
    assert not await database_sync_to_async(Connection.objects.filter(user=peer).exists)()
    await database_sync_to_async(say)(member, conversation, "now you are not")
    assert await database_sync_to_async(Notification.objects.filter(recipient=peer).count)() == 1


async def test_with_the_channel_layer_unreachable_the_socket_closes_with_1011_so_the_client_retries(member, peer,
                                                                                                     settings):
    conversation = await database_sync_to_async(direct)(member, peer)
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}}
    socket = await open_socket(member, path(conversation, after=0))
    assert (await socket.connect(timeout=10))[0]
    assert (await socket.receive_output(timeout=10))["code"] == CLOSE_UNAVAILABLE
    # The consumer then ends on the layer's connection error (it cannot listen either), which the server logs.
    with pytest.raises(redis.exceptions.ConnectionError):
        await socket.disconnect()


async def test_a_flood_of_typing_frames_reaches_the_others_once(member, peer, monkeypatch):
    monkeypatch.setattr(consumers, "TYPING_INTERVAL", 3600)
    conversation = await database_sync_to_async(direct)(member, peer)
    sender = await connected(member, path(conversation, after=0))
    receiver = await connected(peer, path(conversation, after=0))
    await frames_until(sender, "ready")
    await frames_until(receiver, "ready")
    for _ in range(5):
        await send(sender, {"type": "typing"})
    await send(sender, {"type": "message.send", "body": "done typing"})
    frames = await frames_until(receiver, "message")
    assert [f["type"] for f in frames].count("typing") == 1
    await sender.disconnect()
    await receiver.disconnect()


async def test_a_suspended_member_is_refused_with_4401(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    member.suspended_until = timezone.now() + timedelta(days=1)
    await database_sync_to_async(member.save)()
    assert await refused_with(await open_socket(member, path(conversation, after=0))) == CLOSE_UNAUTHENTICATED


async def test_a_member_removed_while_the_removal_event_was_lost_is_closed_at_the_next_heartbeat(member, peer,
                                                                                                  outsider,
                                                                                                  monkeypatch):
    conversation = await database_sync_to_async(group)(member, peer, outsider)
    socket = await connected(peer, path(conversation, after=0))
    await frames_until(socket, "ready")
    with monkeypatch.context() as patch:
        patch.setattr(services, "_broadcast", lambda events: None)
        await database_sync_to_async(services.remove_group_member)(actor=member, conversation=conversation,
                                                                   member=peer)
    await send(socket, {"type": "ping"})
    while True:
        output = await socket.receive_output(timeout=10)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == CLOSE_FORBIDDEN
    await socket.disconnect()


async def test_one_sockets_slow_database_work_does_not_hold_up_another_members_message(member, peer, monkeypatch):
    """The sockets' database work runs in a pool of threads: with every socket's queries in one thread (Channels'
    default), a message waited behind any other socket's slow query, here a heartbeat that hangs until the
    message is answered; the test then fails at its wait."""
    conversation = await database_sync_to_async(direct)(member, peer)
    slow = await connected(peer, path(conversation, after=0))
    sender = await connected(member, path(conversation, after=0))
    await frames_until(slow, "ready")
    await frames_until(sender, "ready")
    entered, released = threading.Event(), threading.Event()
    heartbeat = services.keep_connection_alive

    def hanging_heartbeat(*, channel_name: str) -> None:
        entered.set()
        released.wait(timeout=60)
        heartbeat(channel_name=channel_name)

    monkeypatch.setattr(services, "keep_connection_alive", hanging_heartbeat)
    await send(slow, {"type": "ping"})
    while not entered.is_set():
        await asyncio.sleep(0.01)
    await send(sender, {"type": "message.send", "body": "not behind the heartbeat", "client_id": "m"})
    try:
        assert (await next_of(sender, "ack"))["client_id"] == "m"
    finally:
        released.set()
    assert await next_of(slow, "pong")
    await slow.disconnect()
    await sender.disconnect()
