"""Scale-out, live: two ASGI server processes share PostgreSQL and Redis; members on either reach each other."""

import json

import pytest
from websockets.sync.client import ClientConnection, connect

from chat.models import Conversation
from tests.chat.helpers import direct
from tests.chat.servers import AsgiServer, session_cookie

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT = 20  # seconds to wait for a frame before failing; they arrive in milliseconds


@pytest.fixture
def two_servers(transactional_db):
    servers = [AsgiServer(), AsgiServer()]
    yield servers
    for server in servers:
        server.stop()


def open_socket(server: AsgiServer, cookie: str, conversation: Conversation, after: int) -> ClientConnection:
    return connect(f"{server.ws_url}/ws/chat/{conversation.pk}/?after={after}", open_timeout=WAIT,
                   additional_headers={"Cookie": f"sessionid={cookie}", "Origin": server.url})


def frames_until(socket: ClientConnection, kind: str) -> list[dict]:
    frames = []
    while True:
        frames.append(json.loads(socket.recv(timeout=WAIT)))
        if frames[-1]["type"] == kind:
            return frames


def messages_in(frames: list[dict]) -> list[dict]:
    return [f["message"] for f in frames if f["type"] == "message"]


def test_messages_cross_processes_in_order_and_a_dropped_member_catches_up_on_the_other(member, peer,
                                                                                        two_servers):
    first, second = two_servers
    conversation = direct(member, peer)
    member_cookie, peer_cookie = session_cookie(member), session_cookie(peer)

    with open_socket(first, member_cookie, conversation, 0) as sender:
        frames_until(sender, "ready")
        with open_socket(second, peer_cookie, conversation, 0) as receiver:
            frames_until(receiver, "ready")
            for n in range(10):
                sender.send(json.dumps({"type": "message.send", "body": f"live {n}", "client_id": str(n)}))
            received = []
            while len(received) < 10:
                received += messages_in(frames_until(receiver, "message"))
            assert [m["body"] for m in received] == [f"live {n}" for n in range(10)]
            assert [m["id"] for m in received] == sorted(m["id"] for m in received)
            last_seen = received[-1]["id"]
        # The peer's socket to the second process is gone; the member goes on writing through the first.
        for n in range(3):
            sender.send(json.dumps({"type": "message.send", "body": f"while away {n}", "client_id": f"a{n}"}))
        acked: set[str] = set()
        while acked != {"a0", "a1", "a2"}:
            acked |= {f["client_id"] for f in frames_until(sender, "ack") if f["type"] == "ack"} & {"a0", "a1", "a2"}

    with open_socket(first, peer_cookie, conversation, last_seen) as reconnected:
        caught_up = messages_in(frames_until(reconnected, "ready"))
    assert [m["body"] for m in caught_up] == [f"while away {n}" for n in range(3)]


def test_a_foreign_origin_is_refused_by_a_real_server(member, peer, two_servers):
    conversation = direct(member, peer)
    with pytest.raises(Exception, match="403"):
        connect(f"{two_servers[0].ws_url}/ws/chat/{conversation.pk}/?after=0", open_timeout=WAIT,
                additional_headers={"Cookie": f"sessionid={session_cookie(member)}", "Origin": "http://evil.example"})


def test_presence_shows_across_processes(member, peer, two_servers):
    first, second = two_servers
    conversation = direct(member, peer)
    with open_socket(first, session_cookie(member), conversation, 0) as watcher:
        frames_until(watcher, "ready")
        with open_socket(second, session_cookie(peer), conversation, 0) as arriving:
            frames_until(arriving, "ready")
            came = frames_until(watcher, "presence.changed")[-1]
            assert came["user_id"] == peer.pk and came["online"] is True
            watcher.send(json.dumps({"type": "ping"}))
            assert frames_until(watcher, "presence")[-1]["online"] == [peer.pk]
        went = frames_until(watcher, "presence.changed")[-1]
        assert went == {"type": "presence.changed", "user_id": peer.pk, "online": False}
