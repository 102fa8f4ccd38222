"""The chat load: N WebSocket clients in groups of 100, one group's members posting at a fixed rate.

Every client is a logged-in member connected to /ws/chat/<group>/ as the browser is (session cookie,
same-origin header). Members of the measured group take turns to send `message.send` frames (so no
one member passes chat's rate limit); every member's socket times each message from the moment its
frame was written to the moment it arrives, on the same monotonic clock (one process).

`python -m bench.chat --plan PLAN.json --url ws://127.0.0.1:PORT --clients N` prints one JSON line.
"""

import argparse
import asyncio
import json
import os
import statistics
import time
from collections.abc import Sequence

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

RATE = float(os.environ.get("BENCH_CHAT_RATE", "5"))  # messages a second into the measured group
SECONDS = float(os.environ.get("BENCH_CHAT_SECONDS", "15"))
CONNECT_AT_ONCE = 50
# Before timing, the opening storm's presence frames must have drained: timing starts once none came for QUIET
# seconds (measured, reported as settle_seconds), or after SETTLE_LIMIT seconds at most.
QUIET = 1.0
SETTLE_LIMIT = 60.0


class Load:
    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.sent_at: dict[int, int] = {}
        self.latencies_ns: list[int] = []
        self.last_arrival = 0
        self.errors: list[str] = []
        self.refused: list[str] = []
        self.dropped = 0
        self.presence_frames = 0
        self.last_presence = time.monotonic()

    def arrived(self, frame: dict) -> None:
        if frame.get("type") in ("presence.changed", "presence.changes"):
            self.presence_frames += 1
            self.last_presence = time.monotonic()
        elif frame.get("type") == "message":
            body = frame["message"].get("body", "")
            prefix = f"bench {self.run_id} "
            if body.startswith(prefix):
                now = time.monotonic_ns()
                self.latencies_ns.append(now - self.sent_at[int(body.removeprefix(prefix))])
                self.last_arrival = now
        elif frame.get("type") == "error":
            self.errors.append(frame.get("message", "error"))


async def _open(url: str, cookie: str, origin: str, load: Load) -> ClientConnection:
    socket = await connect(url, additional_headers={"Cookie": cookie}, origin=origin, open_timeout=60,
                           ping_interval=None, max_queue=None)
    while True:  # the replay, then "ready": live messages follow
        frame = json.loads(await socket.recv())
        if frame.get("type") == "ready":
            return socket
        load.arrived(frame)


async def _listen(socket: ClientConnection, load: Load) -> None:
    try:
        async for raw in socket:
            load.arrived(json.loads(raw))
    except ConnectionClosed:
        load.dropped += 1


async def run(plan: dict, base_url: str, clients: int) -> dict:
    groups = plan["chat"]["groups"]
    members = [(group["id"], member) for group in groups for member in group["members"]][:clients]
    measured = groups[0]["id"]
    origin = base_url.replace("ws://", "http://")
    load = Load(run_id=f"{time.time_ns()}")
    semaphore = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def open_one(conversation_id: int, member: dict) -> ClientConnection | None:
        async with semaphore:
            try:
                return await _open(f"{base_url}/ws/chat/{conversation_id}/", member["cookie"], origin, load)
            except (OSError, TimeoutError, ConnectionClosed) as error:
                load.refused.append(f"{type(error).__name__}: {error}")
                return None

    started = time.monotonic()
    opened = await asyncio.gather(*(open_one(c, m) for c, m in members))
    connect_seconds = time.monotonic() - started
    sockets = [s for s in opened if s is not None]
    listeners = [asyncio.create_task(_listen(s, load)) for s in sockets]
    senders = [s for s, (c, _m) in zip(opened, members, strict=True) if c == measured and s is not None]
    settle_started = time.monotonic()
    while True:  # the openings' presence announcements are still arriving: let them drain
        quiet_for = time.monotonic() - load.last_presence
        if quiet_for >= QUIET or time.monotonic() - settle_started >= SETTLE_LIMIT:
            break
        await asyncio.sleep(QUIET - quiet_for)
    await asyncio.sleep(max(0.0, 1 - (time.monotonic() - settle_started)))  # at least the second it always waited
    settle_seconds = time.monotonic() - settle_started
    presence_frames = load.presence_frames

    count = int(RATE * SECONDS)
    first_send = time.monotonic_ns()
    for seq in range(count):
        await asyncio.sleep(max(0.0, (first_send + seq * 1e9 / RATE - time.monotonic_ns()) / 1e9))
        frame = json.dumps({"type": "message.send", "body": f"bench {load.run_id} {seq}", "client_id": seq})
        load.sent_at[seq] = time.monotonic_ns()
        try:
            await senders[seq % len(senders)].send(frame)
        except ConnectionClosed:
            load.errors.append("a sender's socket was closed")
    expected = count * len(senders)
    deadline = time.monotonic() + 10
    while len(load.latencies_ns) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)

    latencies = sorted(n / 1e6 for n in load.latencies_ns)
    span = max(load.last_arrival - first_send, 1) / 1e9

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")

    return {
        "clients": len(sockets), "refused": len(load.refused), "refusals": sorted(set(load.refused))[:5],
        "dropped": load.dropped, "receivers": len(senders), "sent": count, "expected": expected,
        "delivered": len(latencies), "lost": expected - len(latencies), "rate_per_s": RATE,
        "connect_seconds": round(connect_seconds, 1), "settle_seconds": round(settle_seconds, 1),
        "presence_frames_before_timing": presence_frames, "delivered_per_s": len(latencies) / span,
        "p50_ms": percentile(0.50), "p95_ms": percentile(0.95), "p99_ms": percentile(0.99),
        "max_ms": latencies[-1] if latencies else float("nan"),
        "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
        "server_errors": load.errors[:5],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", required=True)
    parser.add_argument("--url", required=True, help="ws://host:port of the ASGI server")
    parser.add_argument("--clients", type=int, required=True)
    args = parser.parse_args(argv)
    with open(args.plan) as source:
        plan = json.load(source)
    print("CHATJSON " + json.dumps(asyncio.run(run(plan, args.url, args.clients))), flush=True)


if __name__ == "__main__":
    main()
