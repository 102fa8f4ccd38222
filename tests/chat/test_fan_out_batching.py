"""What keeps a thousand sockets' fan-out small: presence announcements sent together, one presence frame per
batch, no read marks where the page shows none, a late live message waited for instead of read again, and one
shared database read for the sockets of a process that need the same messages."""

import asyncio
import threading
import time

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from chat import consumers, layers, services
from chat.models import conversation_group
from chat.serializers import message_payload
from tests import factories
from tests.chat.helpers import direct, group, say
from tests.chat.sockets import connected, frames_until, next_of, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_socket_connections")]


def path(conversation, after=None) -> str:
    return f"/ws/chat/{conversation.pk}/" + (f"?after={after}" if after is not None else "")


async def until_pong(socket) -> list[dict]:
    await send(socket, {"type": "ping"})
    return await frames_until(socket, "pong")


class CountingLayer:
    """A layer that records each send_events batch and holds the first one until released."""

    def __init__(self) -> None:
        self.batches: list[list[tuple[str, dict]]] = []
        self.release = asyncio.Event()

    async def group_send_many(self, events):
        self.batches.append(list(events))
        await self.release.wait()


async def test_announcements_queued_while_a_send_is_in_flight_go_in_one_batch():
    layer = CountingLayer()
    first = asyncio.ensure_future(layers.send_soon(layer, "g", {"type": "chat.presence", "user_id": 0}))
    await asyncio.sleep(0)  # the first goes at once, alone
    rest = [asyncio.ensure_future(layers.send_soon(layer, "g", {"type": "chat.presence", "user_id": n}))
            for n in range(1, 20)]
    await asyncio.sleep(0)
    layer.release.set()
    await asyncio.gather(first, *rest)
    assert [[event["user_id"] for _group, event in batch] for batch in layer.batches] == [[0], list(range(1, 20))]


async def test_a_failed_batch_fails_each_announcement_in_it():
    class Down:
        async def group_send_many(self, events):
            raise ConnectionError("Redis is down")

    results = await asyncio.gather(*(layers.send_soon(Down(), "g", {"type": "chat.presence"}) for _ in range(3)),
                                   return_exceptions=True)
    assert [type(result) for result in results] == [ConnectionError] * 3


@pytest.mark.redis
async def test_presence_changes_in_one_batch_reach_a_socket_as_one_frame(member, peer):
    others = await database_sync_to_async(factories.UserFactory.create_batch)(3)
    conversation = await database_sync_to_async(group)(member, peer, *others)
    watcher = await connected(member, path(conversation))
    await frames_until(watcher, "ready")
    changes = [{"user_id": user.pk, "online": True} for user in others] + [{"user_id": others[0].pk, "online": False}]
    await layers.send_events(get_channel_layer(), [
        (conversation_group(conversation.pk), {"type": "chat.presence", **change})
        for change in [*changes, {"user_id": member.pk, "online": True}]  # the watcher's own: left out
    ])
    frame = await next_of(watcher, "presence.changes")
    assert frame == {"type": "presence.changes", "changes": changes}
    await watcher.disconnect()


@pytest.mark.redis
async def test_a_storm_of_openings_is_announced_in_one_batch_and_reaches_a_socket_as_one_frame(member, peer,
                                                                                            monkeypatch):
    others = await database_sync_to_async(factories.UserFactory.create_batch)(8)
    conversation = await database_sync_to_async(group)(member, peer, *others)
    watcher = await connected(member, path(conversation))
    await frames_until(watcher, "ready")
    await until_pong(watcher)  # answered once the watcher's own opening, its announcement included, is over
    sent: list[list[int]] = []
    all_open = asyncio.Event()
    real = layers.send_events

    async def slow_first(layer, events):  # the first announcement's send is in flight until all have opened
        sent.append([event["user_id"] for _group, event in events])
        if len(sent) == 1:
            await all_open.wait()
        await real(layer, events)

    monkeypatch.setattr(layers, "send_events", slow_first)
    first = await connected(peer, path(conversation))
    await frames_until(first, "ready")
    rest = await asyncio.gather(*(connected(user, path(conversation)) for user in others))
    await asyncio.gather(*(frames_until(socket, "ready") for socket in rest))
    for _ in range(100):  # until the eight announcements wait behind the first (each after its socket's "ready")
        boxes = layers._outboxes.get(asyncio.get_running_loop(), {}).values()
        if sum(len(box.next[0]) for box in boxes if box.next) == 8:
            break
        await asyncio.sleep(0.1)
    all_open.set()
    assert (await next_of(watcher, "presence.changed"))["user_id"] == peer.pk
    frame = await next_of(watcher, "presence.changes")
    assert sorted(change["user_id"] for change in frame["changes"]) == sorted(user.pk for user in others)
    assert [sorted(batch) for batch in sent] == [[peer.pk], sorted(user.pk for user in others)]
    for socket in [watcher, first, *rest]:
        await socket.disconnect()


async def test_a_large_group_gets_no_live_read_marks_and_a_small_one_does(member, peer):
    crowd = await database_sync_to_async(factories.UserFactory.create_batch)(services.selectors.READ_STATE_GROUP_LIMIT)
    large = await database_sync_to_async(group)(member, peer, *crowd)  # one more than the pages show marks for
    small = await database_sync_to_async(group)(member, peer, *crowd[:8], title="Small")
    for conversation, marks in [(small, True), (large, False)]:
        watcher = await connected(peer, path(conversation))
        await frames_until(watcher, "ready")
        await database_sync_to_async(say)(member, conversation, "Minutes are online.")
        frames = await frames_until(watcher, "message")
        await database_sync_to_async(services.mark_read)(user=crowd[0], conversation=conversation)
        if marks:  # the sender's mark and the reader's arrive, however late the commit's send is
            while not any(f["type"] == "read" and f["user_id"] == crowd[0].pk for f in frames):
                frames += await frames_until(watcher, "read")
            assert any(f["type"] == "read" and f["user_id"] == member.pk for f in frames), conversation.title
        else:  # given the time the small group's marks took, and more: none came
            await asyncio.sleep(0.5)
            frames += await until_pong(watcher)
            assert not any(f["type"] == "read" for f in frames), conversation.title
        await watcher.disconnect()


async def test_a_direct_conversation_still_gets_read_marks(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    watcher = await connected(member, path(conversation))
    await frames_until(watcher, "ready")
    [message] = await database_sync_to_async(say)(member, conversation, "Seen?")
    await database_sync_to_async(services.mark_read)(user=peer, conversation=conversation)
    assert (await next_of(watcher, "read"))["user_id"] == member.pk  # the sender's own, with the message
    assert (await next_of(watcher, "read")) == {"type": "read", "user_id": peer.pk, "up_to": message.pk}
    await watcher.disconnect()


async def test_a_message_whose_predecessor_comes_late_waits_for_it_without_reading_the_database(member, peer,
                                                                                            monkeypatch):
    conversation = await database_sync_to_async(direct)(member, peer)
    receiver = await connected(peer, path(conversation, after=0))
    await frames_until(receiver, "ready")
    with monkeypatch.context() as patch:
        patch.setattr(services, "_broadcast", lambda events: None)
        first, second = await database_sync_to_async(say)(member, conversation, "first", "second")
    reads = []
    real = consumers._payloads_after
    monkeypatch.setattr(consumers, "_payloads_after", lambda *args: reads.append(args) or real(*args))
    payloads = await database_sync_to_async(lambda: [message_payload(m) for m in (first, second)])()
    layer, group_name = get_channel_layer(), conversation_group(conversation.pk)
    # The second message's event wins the race between the two commits' broadcasts.
    await layer.group_send(group_name, {"type": "chat.message", "message": payloads[1], "previous_id": first.pk})
    await asyncio.sleep(consumers.GAP_WAIT / 5)
    await layer.group_send(group_name, {"type": "chat.message", "message": payloads[0], "previous_id": 0})
    frames = await frames_until(receiver, "message") + await frames_until(receiver, "message")
    assert [f["message"]["body"] for f in frames if f["type"] == "message"] == ["first", "second"]
    frames = await until_pong(receiver)
    assert not [f for f in frames if f["type"] == "message"], "a message was sent twice"
    assert reads == [], "the socket read from the database what came live"
    await receiver.disconnect()


def test_concurrent_reads_of_the_same_messages_share_one_query_and_a_later_need_reads_again():
    calls = []
    gate = threading.Event()

    def read(n):
        calls.append(n)
        gate.wait(5)
        return [n]

    async def scenario():
        since = time.monotonic()
        together = [asyncio.ensure_future(consumers.shared_read(("k",), since, read, len(calls)))
                    for _ in range(5)]
        await asyncio.sleep(0.05)
        later = asyncio.ensure_future(consumers.shared_read(("k",), time.monotonic() + 1, read, 1))
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(*together), await later

    together, later = asyncio.run(scenario())
    assert together == [[0]] * 5
    assert later == [1]
    assert calls == [0, 1]
