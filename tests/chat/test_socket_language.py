"""The chat socket answers in the member's language (accounts.middleware.ChannelsLanguageMiddleware in
config.asgi): the same refusal reads in English for one member and in French for another."""

import pytest
from channels.db import database_sync_to_async

from tests.chat.helpers import direct
from tests.chat.sockets import connected, frames_until, next_error, send
from tests.errors import frame_error

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_socket_connections")]


async def _refusal_read_by(user, conversation) -> str:
    socket = await connected(user, f"/ws/chat/{conversation.pk}/?after=0")
    await frames_until(socket, "ready")
    await send(socket, {"type": "message.send", "body": "x" * 4001, "client_id": "long"})
    message = frame_error(await next_error(socket))["message"]
    await socket.disconnect()
    return message


async def test_a_socket_refusal_reads_in_the_members_language(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    peer.language = "fr"
    await database_sync_to_async(peer.save)(update_fields=["language"])

    english = await _refusal_read_by(member, conversation)
    french = await _refusal_read_by(peer, conversation)
    assert english != french
    assert "4,000" in english and "4" in french
