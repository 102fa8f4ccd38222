"""The messenger's socket events through the real ASGI stack: replies, reactions and files arrive live and in
catch-up; bad input gets an error frame naming the field; presence changes reach the other participants."""

import base64

import pytest
from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile

from chat import services
from chat.models import Attachment, Message, Reaction
from tests.chat.helpers import PDF_BYTES, direct, png_bytes, say
from tests.chat.sockets import connected, frames_until, next_error, next_of, send
from tests.errors import frame_error, frame_fields

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_socket_connections")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def path(conversation, after=0, changes=None) -> str:
    return f"/ws/chat/{conversation.pk}/?after={after}" + (f"&changes={changes}" if changes is not None else "")


async def test_a_reply_sent_over_the_socket_arrives_live_with_the_quoted_original(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    [original] = await database_sync_to_async(say)(peer, conversation, "Who funds the pilot?")
    sender = await connected(member, path(conversation, after=original.pk))
    receiver = await connected(peer, path(conversation, after=original.pk))
    await frames_until(sender, "ready")
    await frames_until(receiver, "ready")
    await send(sender, {"type": "message.send", "body": "The region does.", "reply_to": original.pk, "client_id": "r"})
    message = (await next_of(receiver, "message"))["message"]
    assert message["reply_to"] == {"id": original.pk, "sender": "Pia Peer", "excerpt": "Who funds the pilot?",
                                   "deleted": False}
    await sender.disconnect()
    await receiver.disconnect()


async def test_a_reply_to_an_unknown_message_gets_an_error_frame_naming_the_field(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    socket = await connected(member, path(conversation))
    await frames_until(socket, "ready")
    for bad in (999999, "abc", [1], {"id": 1}, True):
        await send(socket, {"type": "message.send", "body": "hi", "reply_to": bad, "client_id": "x"})
        frame = await next_error(socket)
        assert frame_fields(frame) == {"reply_to"} and frame["client_id"] == "x"
    assert not await database_sync_to_async(Message.objects.exists)()
    await socket.disconnect()


async def test_a_reaction_arrives_live_and_survives_a_reconnect_catch_up(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    [message] = await database_sync_to_async(say)(peer, conversation, "Funding approved!")
    watcher = await connected(peer, path(conversation, after=message.pk))
    ready = await next_of(watcher, "ready")
    reactor = await connected(member, path(conversation, after=message.pk))
    await frames_until(reactor, "ready")
    await send(reactor, {"type": "reaction", "id": message.pk, "emoji": "party", "client_id": "re"})
    updated = (await next_of(watcher, "message.updated"))["message"]
    [reaction] = updated["reactions"]
    assert (reaction["emoji"], reaction["symbol"], reaction["count"]) == ("party", "🎉", 1)
    assert [(u["id"], u["name"]) for u in reaction["users"]] == [(member.pk, member.full_name)]
    assert (await next_of(reactor, "ack"))["added"] is True
    await watcher.disconnect()
    # While the watcher is away, the reaction is taken back and another given.
    await send(reactor, {"type": "reaction", "id": message.pk, "emoji": "party"})
    await send(reactor, {"type": "reaction", "id": message.pk, "emoji": "thanks"})
    await next_of(reactor, "ack")
    await next_of(reactor, "ack")
    back = await connected(peer, path(conversation, after=message.pk, changes=ready["seq"]))
    frames = await frames_until(back, "ready")
    replayed = [f["message"] for f in frames if f["type"] == "message.updated"]
    assert replayed and replayed[-1]["id"] == message.pk
    assert [r["emoji"] for r in replayed[-1]["reactions"]] == ["thanks"]
    assert not [f for f in frames if f["type"] == "message"]  # nothing new, only the change
    await back.disconnect()
    await reactor.disconnect()


async def test_a_client_without_a_change_number_gets_no_replay_of_changes(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    [message] = await database_sync_to_async(say)(peer, conversation, "hello")
    await database_sync_to_async(services.toggle_reaction)(user=member, message=message, emoji="heart")
    socket = await connected(peer, path(conversation, after=message.pk))
    frames = await frames_until(socket, "ready")
    assert not [f for f in frames if f["type"] == "message.updated"]
    await socket.disconnect()


@pytest.mark.parametrize("frame", [
    {"type": "reaction", "id": "1", "emoji": "heart"},
    {"type": "reaction", "emoji": "heart"},
    {"type": "reaction", "id": 1, "emoji": "poop"},
    {"type": "reaction", "id": 1, "emoji": ["heart"]},
    {"type": "reaction", "id": 1},
])
async def test_a_bad_reaction_frame_gets_an_error_naming_the_field(member, peer, frame):
    conversation = await database_sync_to_async(direct)(member, peer)
    [message] = await database_sync_to_async(say)(peer, conversation, "hello")
    frame = {**frame, "id": message.pk} if frame.get("id") == 1 else frame
    socket = await connected(member, path(conversation, after=message.pk))
    await frames_until(socket, "ready")
    await send(socket, frame)
    assert frame_fields(await next_error(socket)) <= {"id", "emoji"}
    assert not await database_sync_to_async(Reaction.objects.exists)()
    await socket.disconnect()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def test_a_file_sent_over_the_socket_goes_through_the_same_checks_and_arrives_live(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    sender = await connected(member, path(conversation))
    receiver = await connected(peer, path(conversation))
    await frames_until(sender, "ready")
    await frames_until(receiver, "ready")
    await send(sender, {"type": "message.send", "body": "", "client_id": "f",
                        "files": [{"name": "site.png", "data": b64(png_bytes((900, 300)))},
                                  {"name": "minutes.pdf", "data": b64(PDF_BYTES)}]})
    message = (await next_of(receiver, "message"))["message"]
    image, document = message["files"]
    assert image["name"] == "site.png" and image["is_image"] and image["thumbnail_url"]
    assert (image["width"], image["height"]) == (900, 300)
    assert document["name"] == "minutes.pdf" and document["size"] == len(PDF_BYTES) and not document["is_image"]
    await sender.disconnect()
    await receiver.disconnect()


@pytest.mark.parametrize(("files", "says"), [
    ([{"name": "photo.png", "data": b64(b"<html><script>alert(1)</script></html>")}], "not a"),
    ([{"name": "photo.png", "data": b64(PDF_BYTES)}], "content is PDF"),
    ([{"name": "run.exe", "data": b64(b"MZ")}], "Upload a"),
    ([{"name": "a.png", "data": "not base64!"}], "base64"),
    ([{"name": 5, "data": "AAAA"}], "name"),
    ("a string", "list"),
    ([{"name": f"{n}.pdf", "data": b64(PDF_BYTES)} for n in range(9)], "at most"),
])
async def test_a_file_with_the_wrong_content_type_is_refused_over_the_socket(member, peer, files, says):
    conversation = await database_sync_to_async(direct)(member, peer)
    socket = await connected(member, path(conversation))
    await frames_until(socket, "ready")
    await send(socket, {"type": "message.send", "body": "see attached", "files": files, "client_id": "bad"})
    frame = await next_error(socket)
    assert frame_fields(frame) == {"files"} and says in frame_error(frame)["message"] and frame["client_id"] == "bad"
    assert not await database_sync_to_async(Attachment.objects.exists)()
    assert not await database_sync_to_async(Message.objects.exists)()
    await socket.disconnect()


async def test_a_large_frame_without_files_is_still_refused(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    socket = await connected(member, path(conversation))
    await frames_until(socket, "ready")
    await send(socket, {"type": "message.send", "body": "x" * 40_000})
    assert frame_fields(await next_error(socket)) == {"frame"}
    await socket.disconnect()


async def test_the_other_participant_is_told_when_a_member_comes_online_and_goes(member, peer):
    conversation = await database_sync_to_async(direct)(member, peer)
    watcher = await connected(member, path(conversation))
    await frames_until(watcher, "ready")
    arriving = await connected(peer, path(conversation))
    await frames_until(arriving, "ready")
    came = await next_of(watcher, "presence.changed")
    assert came == {"type": "presence.changed", "user_id": peer.pk, "online": True}
    await send(watcher, {"type": "ping"})
    assert (await next_of(watcher, "presence"))["online"] == [peer.pk]
    await arriving.disconnect()
    went = await next_of(watcher, "presence.changed")
    assert went == {"type": "presence.changed", "user_id": peer.pk, "online": False}
    await watcher.disconnect()


async def test_an_http_file_arrives_live_on_the_socket(member, peer, client):
    conversation = await database_sync_to_async(direct)(member, peer)
    receiver = await connected(peer, path(conversation))
    await frames_until(receiver, "ready")

    def post():
        return services.send_message(sender=member, conversation=conversation, body="by HTTP",
                                     files=[SimpleUploadedFile("plan.pdf", PDF_BYTES)])

    await database_sync_to_async(post)()
    message = (await next_of(receiver, "message"))["message"]
    assert message["body"] == "by HTTP" and message["files"][0]["name"] == "plan.pdf"
    await receiver.disconnect()
