"""The channel layer chat runs on: channels-redis, with a batched send and a cancellable Redis connection.

**One trip for a commit's events.** Saving a message to a group of 100 tells the conversation's sockets
(the message, the sender's read mark) and each member's own group (100 unread counts). Sent one
`group_send` at a time, that was about four Redis round trips per event to send, and on the receiving
worker one blocking pop (four more trips) per event: 800 trips per message, run one after another.
`group_send_many` reads every group's members in one pipelined call per Redis host, then writes ONE
message per receiving channel key (channels-redis gives every socket of a worker process the same key)
in one script call: a `chat.batch` event carrying the events in order and, for each socket, which of
them are its own. The receiving worker pops it once and hands it to each of its sockets;
`chat.consumers.ChatConsumer.chat_batch` dispatches that socket's events in order.

**Cancellation that is not lost.** redis-py 8 writes a command through `asyncio.wait_for` when the
connection has a socket timeout. On Python 3.11, `wait_for` returns the result instead of raising when
the task is cancelled as the wrapped write completes (CPython gh-86296, fixed in 3.12). A socket that
closes while its consumer's channel receive is writing (the opening commands of a new connection, or the
clean-up script before each blocking pop) then keeps a receive task that loops on blocking pops forever:
the consumer never ends, its server never stops (the test hang that kept the read timeout at redis-py's
default). `CancellableConnection` writes under `asyncio.timeout`, which propagates the cancellation, so
the read timeout can outlast channels-redis's 5 s blocking pop and still bound a hung Redis.

**One reader per process.** channels-redis gives every socket of a process the same Redis key, and each
socket's receive raced for one lock to pop it: two new tasks per socket and message, the lock handed from
socket to socket, each loser's wait cancelled (13-17 % of the worker's event loop at 1,000 sockets, py-spy).
Here one task per event loop pops the key (channels-redis's own receive_single, with its backup queue) and
puts each message in the inbox of each channel it names; a socket's receive takes from its own inbox. A
channel's inbox exists from new_channel() until a receive on it is cancelled (its consumer ended): a message
for a channel without one is dropped instead of kept for nobody. When the pop fails (Redis gone), each
waiting receive raises the error, as the lock holder's did, and the next receive starts a new reader.
"""

import asyncio
import collections
import logging
import time
import weakref

from channels_redis.core import RedisChannelLayer
from channels_redis.utils import create_pool
from redis.asyncio import BlockingConnectionPool, Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis connections per worker process, and how long a command waits for one when all are busy.
DEFAULT_MAX_CONNECTIONS = 100
POOL_WAIT_SECONDS = 10

# The event type a batch travels under; the consumer's handler is chat_batch.
BATCH_TYPE = "chat.batch"

# Per channel key: drop expired messages, then add the batch unless the key is at capacity
# (channels-redis's own group_send script, with its separate expiry pipeline folded in).
_SEND_BATCHES = """
local over_capacity = 0
local now = tonumber(ARGV[#ARGV - 1])
local expiry = tonumber(ARGV[#ARGV])
for i = 1, #KEYS do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, math.floor(now) - expiry)
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
        redis.call('ZADD', KEYS[i], now, ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""

# Each group's members, after dropping the memberships older than ARGV[1] (channels-redis's group_expiry).
_READ_GROUPS = """
local members = {}
for i = 1, #KEYS do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, tonumber(ARGV[1]))
    members[i] = redis.call('ZRANGE', KEYS[i], 0, -1)
end
return members
"""


class CancellableConnection(Connection):
    """A redis-py connection whose writes keep a cancellation (see the module's docstring)."""

    async def send_packed_command(self, command, check_health: bool = True) -> None:
        if not self.is_connected:
            await self.connect_check_health(check_health=False)
        if check_health:
            await self.check_health()
        if isinstance(command, str):
            command = command.encode()
        if isinstance(command, bytes):
            command = [command]
        try:
            async with asyncio.timeout(self.socket_timeout or None):
                self._writer.writelines(command)
                await self._writer.drain()
        except TimeoutError:  # asyncio's: the write timed out (caught before OSError, its base class)
            await self.disconnect(nowait=True)
            raise RedisTimeoutError("Timeout writing to socket") from None
        except OSError as error:
            await self.disconnect(nowait=True)
            raise RedisConnectionError(f"Error while writing to socket: {error}") from error
        except BaseException:
            # Cancelled mid-write, or anything else: the command may be half sent, so the connection goes.
            await self.disconnect(nowait=True)
            raise


class _Inbox:
    """A process-local channel's messages not yet received, and the receives waiting for one."""

    __slots__ = ("messages", "waiters")

    def __init__(self, capacity: int) -> None:
        # At capacity the oldest message goes, as in channels-redis's BoundedQueue.
        self.messages: collections.deque = collections.deque(maxlen=capacity)
        self.waiters: collections.deque[asyncio.Future] = collections.deque()

    def wake(self, error: BaseException | None = None) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                if error is None:
                    waiter.set_result(None)
                    return
                waiter.set_exception(error)


class _LoopReaders:
    """One event loop's inboxes (by full channel name) and readers (by the Redis key's channel name)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.inboxes: dict[str, _Inbox] = {}
        self.listening: collections.Counter[str] = collections.Counter()  # inboxes per Redis key's channel
        self.readers: dict[str, asyncio.Task] = {}

    def add(self, channel: str, real_channel: str, capacity: int) -> _Inbox:
        inbox = self.inboxes.get(channel)
        if inbox is None:
            inbox = self.inboxes[channel] = _Inbox(capacity)
            self.listening[real_channel] += 1
        return inbox

    def running(self) -> bool:
        return any(not task.done() for task in self.readers.values())


class ChatChannelLayer(RedisChannelLayer):
    """channels-redis's layer with CancellableConnection, group_send_many and one reader per process."""

    _local: _LoopReaders | None = None

    def create_pool(self, index: int):
        host = dict(self.hosts[index])
        address = host.pop("address", None)
        # Plain TCP only: rediss://, unix:// and sentinels bring their own connection classes and pools.
        if not isinstance(address, str) or not address.startswith("redis://"):
            return create_pool(self.hosts[index])
        host.setdefault("connection_class", CancellableConnection)
        # redis-py 8's pool refuses a command once 100 connections are out ("Too many connections"): a
        # thousand sockets closing together lost their group clean-up that way. This one waits its turn.
        host.setdefault("max_connections", DEFAULT_MAX_CONNECTIONS)
        host.setdefault("timeout", POOL_WAIT_SECONDS)
        return BlockingConnectionPool.from_url(address, **host)

    def _loop_readers(self) -> _LoopReaders:
        loop = asyncio.get_running_loop()
        local = self._local
        if local is None or local.loop is not loop:
            if local is not None and local.running() and not local.loop.is_closed():
                raise RuntimeError("Two event loops are trying to receive() on one channel layer at once!")
            local = self._local = _LoopReaders(loop)
        return local

    async def new_channel(self, prefix: str = "specific") -> str:
        channel = await super().new_channel(prefix)
        self._loop_readers().add(channel, self.non_local_name(channel), self.capacity)
        return channel

    async def receive(self, channel: str) -> dict:
        """The next message for `channel`; a process-local channel's from its inbox, filled by the reader."""
        if "!" not in channel:
            return await super().receive(channel)
        assert self.require_valid_channel_name(channel)
        real_channel = self.non_local_name(channel)
        assert real_channel.endswith(self.client_prefix + "!"), "Wrong client prefix"
        local = self._loop_readers()
        inbox = local.add(channel, real_channel, self.capacity)
        try:
            while not inbox.messages:
                reader = local.readers.get(real_channel)
                if reader is None or reader.done():
                    local.readers[real_channel] = local.loop.create_task(self._read(local, real_channel))
                waiter = local.loop.create_future()
                inbox.waiters.append(waiter)
                await waiter
        except BaseException:
            # Cancelled (its consumer ended) or the reader's error, which ends the consumer: later messages for
            # the channel are dropped, and the last channel out stops the reader.
            self._forget(local, channel, real_channel)
            raise
        return inbox.messages.popleft()

    def _forget(self, local: _LoopReaders, channel: str, real_channel: str) -> None:
        if local.inboxes.pop(channel, None) is None:
            return
        local.listening[real_channel] -= 1
        if local.listening[real_channel] <= 0:
            del local.listening[real_channel]
            reader = local.readers.pop(real_channel, None)
            if reader is not None:
                reader.cancel()  # mid-pop is safe: the message stays in Redis (channels-redis's backup queue)

    async def _read(self, local: _LoopReaders, real_channel: str) -> None:
        """Pop the process's key and hand each message to the inboxes it names, while any channel listens."""
        while local.listening[real_channel] > 0:
            try:
                message_channel, message = await self.receive_single(real_channel)
            except Exception as error:  # Redis is gone: each waiting receive raises it, and the reader ends
                for inbox in list(local.inboxes.values()):
                    inbox.wake(error)
                return
            for channel in message_channel if isinstance(message_channel, list) else [message_channel]:
                inbox = local.inboxes.get(channel)
                if inbox is not None:
                    inbox.messages.append(message)
                    inbox.wake()

    async def close_pools(self) -> None:
        """Stop this loop's readers before their connections are closed under them."""
        local = self._local
        if local is not None and local.loop is asyncio.get_running_loop():
            readers, local.readers = list(local.readers.values()), {}
            for reader in readers:
                reader.cancel()
            if readers:
                await asyncio.wait(readers)
        await super().close_pools()

    async def group_send_many(self, events: list[tuple[str, dict]]) -> None:
        """Send each (group, event), in order, with one pipelined read and one script call per Redis host."""
        if not events:
            return
        groups = list(dict.fromkeys(group for group, _event in events))
        for group in groups:
            assert self.require_valid_group_name(group), "Group name not valid"
        members = await self._members(groups)

        # One batch per channel key: the events in order (each once), and each channel's own among them.
        batches: dict[str, dict] = {}
        positions: dict[str, dict[int, int]] = collections.defaultdict(dict)
        capacities: dict[str, int] = {}
        hosts: dict[int, list[str]] = collections.defaultdict(list)
        for position, (group, event) in enumerate(events):
            for channel in members[group]:
                non_local = self.non_local_name(channel) if "!" in channel else channel
                key = self.prefix + non_local
                batch = batches.get(key)
                if batch is None:
                    batch = batches[key] = {"type": BATCH_TYPE, "events": [], "to": {}, "__asgi_channel__": []}
                    capacities[key] = self.get_capacity(channel)
                    hosts[self.consistent_hash(non_local)].append(key)
                seen = positions[key]
                if position not in seen:
                    seen[position] = len(batch["events"])
                    batch["events"].append(event)
                own = batch["to"].get(channel)
                if own is None:
                    own = batch["to"][channel] = []
                    batch["__asgi_channel__"].append(channel)
                own.append(seen[position])

        now = time.time()
        for index, keys in hosts.items():
            args = [self.serialize(batches[key]) for key in keys]
            args += [capacities[key] for key in keys]
            args += [now, int(self.expiry)]
            over = await self.connection(index).eval(_SEND_BATCHES, len(keys), *keys, *args)
            if over:
                logger.info("chat: %s of %s channel keys over capacity in a batch of %s events",
                            over, len(keys), len(events))

    async def _members(self, groups: list[str]) -> dict[str, list[str]]:
        """Each group's channels, expired memberships dropped first, in one script call per Redis host.

        A script, not a pipeline: a message to a group of 100 reads 101 groups, and redis-py's pipeline
        parsed 202 replies one by one (18 % of the ASGI worker's event loop at 100 sockets, py-spy)."""
        by_host: dict[int, list[str]] = collections.defaultdict(list)
        for group in groups:
            by_host[self.consistent_hash(group)].append(group)
        oldest = int(time.time()) - self.group_expiry
        members: dict[str, list[str]] = {}
        for index, host_groups in by_host.items():
            keys = [self._group_key(group) for group in host_groups]
            replies = await self.connection(index).eval(_READ_GROUPS, len(keys), *keys, oldest)
            for group, names in zip(host_groups, replies, strict=True):
                members[group] = [name.decode("utf8") for name in names]
        return members


class _Outbox:
    """The events queued in one event loop for one layer (send_soon), and the send that is draining them."""

    def __init__(self) -> None:
        self.next: tuple[list[tuple[str, dict]], asyncio.Future] | None = None
        self.task: asyncio.Task | None = None


_outboxes: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, _Outbox]]" = weakref.WeakKeyDictionary()


async def send_soon(layer, group: str, event: dict) -> None:
    """Send (group, event) together with the events that other sockets of this process queue meanwhile.

    While one send_events call is in flight, events queue up and go in the next one: a thousand sockets
    opening together announced their presence with a thousand group_sends (four Redis round trips each, and
    one channel-layer message per announcement for every receiving process); now with a few batches, each
    one trip and one message per process. A lone event goes at once. Returns once its batch is sent, and
    raises what the send raised.
    """
    loop = asyncio.get_running_loop()
    box = _outboxes.setdefault(loop, {}).setdefault(id(layer), _Outbox())
    if box.next is None:
        box.next = ([], loop.create_future())
    events, done = box.next
    events.append((group, event))
    if box.task is None:
        box.task = loop.create_task(_drain(layer, box))
    failure = await asyncio.shield(done)
    if failure is not None:
        raise failure


async def _drain(layer, box: _Outbox) -> None:
    done: asyncio.Future | None = None
    try:
        while box.next is not None:
            (events, done), box.next = box.next, None
            try:
                await send_events(layer, events)
            except Exception as error:  # handed to each caller (a result, so that no caller's absence is logged)
                done.set_result(error)
            else:
                done.set_result(None)
    finally:
        box.task = None
        # Cancelled (the loop is closing): nobody waits for ever.
        for future in (done, box.next[1] if box.next else None):
            if future is not None and not future.done():
                future.set_result(ConnectionError("the channel layer's send was cancelled"))
        box.next = None


async def send_events(layer, events: list[tuple[str, dict]]) -> None:
    """Send a commit's events in order: batched on ChatChannelLayer, one group_send each on another layer."""
    if hasattr(layer, "group_send_many"):
        await layer.group_send_many(events)
        return
    for group, event in events:
        await layer.group_send(group, event)
