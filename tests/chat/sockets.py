"""Connect to the chat sockets through the real ASGI application (origin check, session auth, router)."""

import json

from asgiref.sync import sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from django.test import Client

from accounts.models import User
from config.asgi import application
from tests.errors import frame_error

WAIT = 10  # seconds a test waits for a frame before it fails; frames normally arrive in milliseconds


def _session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def open_socket(user: User | None, path: str, *, origin: str = "http://testserver") -> WebsocketCommunicator:
    headers = [(b"origin", origin.encode())]
    if user is not None:
        headers.append((b"cookie", (await sync_to_async(_session_cookie)(user)).encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def connected(user: User, path: str) -> WebsocketCommunicator:
    """A socket that is open and has told the client it is ready (after any replay)."""
    socket = await open_socket(user, path)
    ok, _ = await socket.connect(timeout=WAIT)
    assert ok, f"{user} could not connect to {path}"
    return socket


async def refused_with(socket: WebsocketCommunicator) -> int | None:
    """The close code the server sent right after accepting, or None when it did not close.

    The socket is then disconnected, as a browser would: a consumer left running until the event loop
    ends is cancelled there, mid-read on the channel layer, which is what made this suite hang before.
    """
    ok, _ = await socket.connect(timeout=WAIT)
    assert ok
    output = await socket.receive_output(timeout=WAIT)
    await socket.disconnect()
    return output.get("code") if output["type"] == "websocket.close" else None


async def frames_until(socket: WebsocketCommunicator, kind: str) -> list[dict]:
    """Every frame up to and including the first of type `kind`."""
    frames = []
    while True:
        frame = await socket.receive_json_from(timeout=WAIT)
        frames.append(frame)
        if frame["type"] == kind:
            return frames


async def next_of(socket: WebsocketCommunicator, kind: str) -> dict:
    return (await frames_until(socket, kind))[-1]


async def send(socket: WebsocketCommunicator, frame: dict | str) -> None:
    await socket.send_to(text_data=frame if isinstance(frame, str) else json.dumps(frame))


async def next_error(socket: WebsocketCommunicator) -> dict:
    """The next error frame, checked to carry the one error body (tests.errors.frame_error)."""
    frame = await next_of(socket, "error")
    frame_error(frame)
    return frame
