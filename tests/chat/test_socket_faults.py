"""Sockets under fault, through a real ASGI server (uvicorn serving config.asgi): idle sockets stay up on
Redis, sockets that vanish leave nothing behind, and a hung Redis never holds an HTTP request for long.
"""

import json
import socket
import threading
import time
from contextlib import ExitStack

import pytest
import redis
from django.conf import settings
from django.db import connections
from django.test import Client
from websockets.sync.client import ClientConnection, connect

from chat import tasks as chat_tasks
from chat.models import Connection, Message, user_group
from core.models import Notification
from tests.chat.helpers import direct, say
from tests.chat.servers import AsgiServer, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 20  # seconds to wait for a frame or for the server to tidy up before failing; both take milliseconds
IDLE_SOCKETS = 50
# Six of channels-redis's 5 s blocking pops, twice the layer's 15 s read timeout (CHANNEL_LAYER_READ_TIMEOUT), and
# longer than a browser's socket is ever idle (it pings every 25 s). It was a minute: the extra 30 s of sleep
# crossed no other timer (presence lasts 75 s past a heartbeat, group memberships 300 s).
IDLE_SECONDS = 30


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """One server for the module: it reads the test database by URL, so each test's committed data is seen."""
    server = AsgiServer()
    yield server
    server.stop()


def open_socket(server: AsgiServer, cookie: str, path: str) -> ClientConnection:
    return connect(f"{server.ws_url}{path}", open_timeout=WAIT,
                   additional_headers={"Cookie": f"sessionid={cookie}", "Origin": server.url})


def frames_until(sock: ClientConnection, kind: str) -> list[dict]:
    frames = []
    while True:
        frames.append(json.loads(sock.recv(timeout=WAIT)))
        if frames[-1]["type"] == kind:
            return frames


def eventually(condition, what: str) -> None:
    """Poll until the server has tidied up; the deadline only bounds a server that never does."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def group_size(group: str) -> int:
    layer = redis.Redis.from_url(settings.REDIS_URL)
    try:
        prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
        return layer.zcard(f"{prefix}:group:{group}")
    finally:
        layer.close()


@pytest.mark.redis
def test_fifty_idle_sockets_stay_open_past_the_read_timeout_on_redis(member, peer, server):
    conversation = direct(member, peer)
    cookie = session_cookie(member)
    with ExitStack() as stack:
        sockets = [stack.enter_context(open_socket(server, cookie, f"/ws/chat/{conversation.pk}/?after=0"))
                   for _ in range(IDLE_SOCKETS)]
        for sock in sockets:
            frames_until(sock, "unread")
        time.sleep(IDLE_SECONDS)  # idle: no frame either way, as a member who leaves the tab open
        for sock in sockets:
            sock.send(json.dumps({"type": "ping"}))
        pongs = 0
        for sock in sockets:
            pongs += frames_until(sock, "pong")[-1]["type"] == "pong"
        assert pongs == IDLE_SOCKETS
        # And they still receive: a message reaches every one of them.
        say(peer, conversation, "still there?")
        for sock in sockets:
            assert frames_until(sock, "message")[-1]["message"]["body"] == "still there?"


@pytest.mark.parametrize("abrupt", [False, True], ids=["closing", "dropped"])
def test_a_client_gone_during_the_opening_frames_leaves_no_presence_and_no_group_entry(member, peer, server,
                                                                                     abrupt):
    conversation = direct(member, peer)
    Message.objects.bulk_create([Message(conversation=conversation, sender=peer, body=f"old {n}",
                                         body_html=f"<p>old {n}</p>") for n in range(250)])
    cookie = session_cookie(member)
    groups_before = group_size(user_group(member.pk)) if settings.REDIS_URL else 0
    for _ in range(10):
        # The server replays hundreds of messages before "ready": the client leaves while it is sending.
        with open_socket(server, cookie, f"/ws/chat/{conversation.pk}/?after=0") as sock:
            if abrupt:
                sock.socket.shutdown(socket.SHUT_RDWR)
                sock.socket.close()
    eventually(lambda: not Connection.objects.filter(user=member).exists(),
               f"{Connection.objects.filter(user=member).count()} presence rows outlived their sockets")
    if settings.REDIS_URL:
        eventually(lambda: group_size(user_group(member.pk)) == groups_before,
                   "channel-layer group entries outlived their sockets")
    # Nobody is online, so the next message becomes a notification.
    say(peer, conversation, "are you there?")
    assert Notification.objects.filter(recipient=member, kind=chat_tasks.NOTIFICATION_KIND).exists()


class HungRedis:
    """A TCP server that accepts connections and never answers: Redis stopped, its port still open."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                self.accepted.append(self.listener.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self.listener.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def hung_redis(settings):
    hung = HungRedis()
    # The layer as redis-py configures it by default: only the broadcast's own bound protects the request.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [hung.url]}}}
    yield hung
    hung.close()


def test_with_redis_hung_a_chat_post_over_http_is_saved_and_answered_without_waiting_on_redis(member, peer,
                                                                                              hung_redis):
    conversation = direct(member, peer)
    client = Client()
    client.force_login(member)
    answered: list[int] = []

    def post() -> None:
        try:
            answered.append(client.post(f"/api/chat/conversations/{conversation.pk}/messages/",
                                        {"body": "Redis is hung"}, content_type="application/json").status_code)
        finally:
            connections.close_all()

    request = threading.Thread(target=post, daemon=True)
    request.start()
    # redis-py's defaults (5 s timeouts, retries) held this request about 20 s; the broadcast's bound is 1 s.
    request.join(timeout=10)
    assert answered == [201], "the request is still waiting on the hung Redis"
    assert hung_redis.accepted, "the broadcast did try Redis"
    assert Message.objects.get(conversation=conversation).body == "Redis is hung"
