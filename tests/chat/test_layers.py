"""chat.layers on Redis: a commit's events reach each socket in order in one batch, one reader per process hands
them to its sockets, and a cancelled receive ends.

A socket's consumer whose channel receive was cancelled while it wrote to Redis used to run on, one blocking
pop after another, for as long as the process lived (redis-py's writes under asyncio.wait_for on Python 3.11):
it held the server open, and the read timeout had to stay at redis-py's default, which dropped idle sockets.
"""

import asyncio
import functools
import threading

import pytest
from django.conf import settings

from chat.layers import BATCH_TYPE, ChatChannelLayer, send_events

pytestmark = pytest.mark.redis

# Positions in a receive's start (0 to 39 passes of the event loop) at which it is cancelled: connecting,
# the connection's opening commands, the clean-up script, the blocking pop. Under redis-py's own writes
# about a fifth of them left the receive running.
CANCEL_POINTS = range(40)


def own_event_loop(test):
    """Run the coroutine test on a fresh event loop in a thread of its own: the layer's connections belong to
    that loop alone, whatever the test thread ran before (a loop another test left running there refused
    pytest-asyncio's runner in the parallel suite)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        outcome = {}

        def target():
            try:
                outcome["value"] = asyncio.run(test(*args, **kwargs))
            except BaseException as error:  # re-raised in the test thread, assertion errors included
                outcome["error"] = error

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    return run


def layer(**config) -> ChatChannelLayer:
    return ChatChannelLayer(**{**settings.CHANNEL_LAYERS["default"]["CONFIG"], "prefix": "crossroads-test-layers",
                               **config})


@own_event_loop
async def test_a_receive_cancelled_anywhere_in_its_start_ends_at_once():
    assert settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["socket_timeout"] > ChatChannelLayer.brpop_timeout
    still_running = []
    for passes in CANCEL_POINTS:
        fresh = layer()  # a new connection pool each time: the opening commands are written again
        receive = asyncio.ensure_future(fresh.receive(await fresh.new_channel()))
        for _ in range(passes):
            await asyncio.sleep(0)
        receive.cancel()
        # Nothing to wait for once cancelled: the bound is only there so that a failure ends the test.
        done, _pending = await asyncio.wait([receive], timeout=3)
        # The process's reader stops with its last channel's receive: no task of the layer is left popping.
        others = asyncio.all_tasks() - {asyncio.current_task()}
        if others:
            await asyncio.wait(others, timeout=3)
        if not done or any(not task.done() for task in others):
            still_running.append(passes)
            receive.cancel()
            await asyncio.wait([receive, *others], timeout=10)
        await fresh.flush()
    assert still_running == [], f"receives cancelled after {still_running} passes of the loop ran on"


@own_event_loop
async def test_a_commits_events_reach_each_channel_once_in_order_with_only_its_own():
    layer_ = layer()
    await layer_.flush()
    alice, bob, carol = [await layer_.new_channel() for _ in range(3)]
    for group, channel in [("conversation", alice), ("conversation", bob), ("user-a", alice), ("user-b", bob)]:
        await layer_.group_add(group, channel)
    events = [("conversation", {"type": "chat.message", "n": 1}), ("user-a", {"type": "chat.unread", "n": 2}),
              ("user-b", {"type": "chat.unread", "n": 3}), ("conversation", {"type": "chat.read", "n": 4}),
              ("nobody", {"type": "chat.unread", "n": 5})]
    await send_events(layer_, events)

    def own(batch: dict, channel: str) -> list[int]:
        return [batch["events"][i]["n"] for i in batch["to"].get(channel, [])]

    first = await asyncio.wait_for(layer_.receive(alice), 5)
    second = await asyncio.wait_for(layer_.receive(bob), 5)
    assert first["type"] == second["type"] == BATCH_TYPE
    # One process's sockets share one Redis key: one message for both, each socket's events in commit order.
    assert own(first, alice) == [1, 2, 4]
    assert own(second, bob) == [1, 3, 4]
    assert own(first, carol) == []
    # Nothing else was queued for them: the next receive waits.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer_.receive(alice), 0.3)
    await layer_.flush()


@own_event_loop
async def test_a_channel_at_capacity_is_skipped_and_the_others_still_get_the_batch():
    layer_ = layer(capacity=1)
    await layer_.flush()
    one = await layer_.new_channel()
    await layer_.group_add("g", one)
    await send_events(layer_, [("g", {"type": "chat.message", "n": 1})])
    await send_events(layer_, [("g", {"type": "chat.message", "n": 2})])  # the key holds one already: dropped
    batch = await asyncio.wait_for(layer_.receive(one), 5)
    assert [e["n"] for e in batch["events"]] == [1]
    await layer_.flush()


@own_event_loop
async def test_more_sockets_joining_and_leaving_at_once_than_the_pool_has_connections_all_succeed():
    # A thousand sockets closing together: redis-py's own pool refused every command past its 100th connection.
    layer_ = layer(hosts=[{**settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0], "max_connections": 5}])
    channels = [await layer_.new_channel() for _ in range(60)]
    await asyncio.gather(*(layer_.group_add("crowd", channel) for channel in channels))
    await asyncio.gather(*(layer_.group_discard("crowd", channel) for channel in channels))
    await send_events(layer_, [("crowd", {"type": "chat.message"})])
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer_.receive(channels[0]), 0.3)  # nobody is left in the group
    await layer_.flush()


@own_event_loop
async def test_one_reader_hands_a_batch_to_every_waiting_channel_and_keeps_nothing_for_an_ended_one():
    layer_ = layer()
    await layer_.flush()
    channels = [await layer_.new_channel() for _ in range(50)]
    for channel in channels:
        await layer_.group_add("crowd", channel)
    gone = channels.pop()
    ended = asyncio.ensure_future(layer_.receive(gone))
    await asyncio.sleep(0)
    ended.cancel()
    await asyncio.wait([ended])
    receives = [asyncio.ensure_future(layer_.receive(channel)) for channel in channels]
    await send_events(layer_, [("crowd", {"type": "chat.message", "n": 1})])
    await send_events(layer_, [("crowd", {"type": "chat.message", "n": 2})])
    firsts = await asyncio.wait_for(asyncio.gather(*receives), 5)
    assert {batch["events"][0]["n"] for batch in firsts} == {1}
    # The second batch was kept for each channel until its next receive; none for the ended one.
    seconds = await asyncio.wait_for(asyncio.gather(*(layer_.receive(channel) for channel in channels)), 5)
    assert {batch["events"][0]["n"] for batch in seconds} == {2}
    assert gone not in layer_._local.inboxes
    await layer_.flush()


@own_event_loop
async def test_when_the_reader_cannot_pop_every_waiting_receive_raises_and_the_next_receive_reads_again():
    layer_ = layer()
    await layer_.flush()
    one, two = await layer_.new_channel(), await layer_.new_channel()
    await layer_.group_add("pair", one)
    await layer_.group_add("pair", two)
    pop = layer_.receive_single

    async def unreachable(channel):
        await asyncio.sleep(0.05)
        raise ConnectionError("Redis is gone")

    layer_.receive_single = unreachable
    waiting = [asyncio.ensure_future(layer_.receive(one)), asyncio.ensure_future(layer_.receive(two))]
    results = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 5)
    assert [type(result) for result in results] == [ConnectionError, ConnectionError]
    layer_.receive_single = pop
    three = await layer_.new_channel()
    await layer_.group_add("pair", three)
    await send_events(layer_, [("pair", {"type": "chat.message", "n": 1})])
    batch = await asyncio.wait_for(layer_.receive(three), 5)
    assert [e["n"] for e in batch["events"]] == [1]
    await layer_.flush()
