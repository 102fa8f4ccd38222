"""/api/chat/conversations/ keeps each conversation's item (core/fragments.py, kept_rows): an edit, a reaction, a
deletion, a new message, a new name or a member who joins or leaves shows on the next request, in each member's
language, and each member gets their own unread count and read mark."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services as accounts_services
from chat import services
from tests import factories
from tests.chat.helpers import direct, group, say

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

URL = reverse("api-chat-conversations")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _items(user, language: str = "en") -> dict[int, dict]:
    """The member's items, asked twice so the second answer is built from what the first one kept."""
    api = APIClient()
    api.force_authenticate(user)
    api.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    return {item["id"]: item for item in api.get(URL, HTTP_ACCEPT_LANGUAGE=language).json()["results"]}


def test_an_edit_a_reaction_a_reply_and_a_deletion_show_on_the_next_request_in_each_language(member, peer):
    conversation = group(member, peer)
    [message] = say(peer, conversation, "Agenda for Thursday")
    for language in ("en", "fr"):
        assert _items(member, language)[conversation.pk]["last_message"]["body"] == "Agenda for Thursday"
    services.edit_message(user=peer, message=message, body="Agenda for Friday")
    services.toggle_reaction(user=member, message=message, emoji="heart")
    for language in ("en", "fr"):
        last = _items(member, language)[conversation.pk]["last_message"]
        assert last["body"] == "Agenda for Friday"
        assert [(r["emoji"], [u["id"] for u in r["users"]]) for r in last["reactions"]] == [("heart", [member.pk])]
    reply = services.send_message(sender=member, conversation=conversation, body="Noted", reply_to=message.pk)
    assert _items(peer)[conversation.pk]["last_message"]["reply_to"]["excerpt"] == "Agenda for Friday"
    services.edit_message(user=peer, message=message, body="Agenda for Monday")
    assert _items(peer)[conversation.pk]["last_message"]["reply_to"]["excerpt"] == "Agenda for Monday"
    services.delete_message(user=member, message=reply)
    assert _items(peer)[conversation.pk]["last_message"]["deleted"] is True


def test_a_new_name_and_new_members_show_and_each_member_has_their_own_unread_count(member, peer):
    conversation = direct(member, peer)
    say(peer, conversation, "hello")
    crowd = group(member, peer)
    say(member, crowd, "welcome")
    assert _items(member)[conversation.pk]["title"] == peer.full_name
    accounts_services.update_profile(user=peer, full_name="Pia Peer-Rossi")
    assert _items(member)[conversation.pk]["title"] == "Pia Peer-Rossi"
    assert _items(member)[conversation.pk]["unread"] == 1 and _items(peer)[conversation.pk]["unread"] == 0
    newcomer = factories.UserFactory()
    services.add_group_members(actor=member, conversation=crowd, members=[newcomer])
    item = _items(member)[crowd.pk]
    assert item["participant_count"] == 3 and newcomer.pk in [p["id"] for p in item["participants"]]
    services.remove_group_member(actor=member, conversation=crowd, member=newcomer)
    item = _items(member)[crowd.pk]
    assert item["participant_count"] == 2 and newcomer.pk not in [p["id"] for p in item["participants"]]


def test_kept_items_read_no_files_or_reactions(member, peer):
    say(peer, direct(member, peer), "hello")
    api = APIClient()
    api.force_authenticate(member)
    api.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert api.get(URL).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries
                if 'FROM "chat_attachment"' in q["sql"] or 'FROM "chat_reaction"' in q["sql"]]


def test_a_new_message_shows_to_each_member_with_their_own_unread_count(member, peer):
    third = factories.UserFactory(full_name="Tom Third")
    crowd = group(member, peer, third)
    say(member, crowd, "first")
    for user in (member, peer, third):
        assert _items(user)[crowd.pk]["last_message"]["body"] == "first"
    say(peer, crowd, "second", "third")
    services.mark_read(user=third, conversation=crowd)
    items = {user: _items(user)[crowd.pk] for user in (member, peer, third)}
    assert {user: item["last_message"]["body"] for user, item in items.items()} == dict.fromkeys(items, "third")
    assert {user: item["unread"] for user, item in items.items()} == {member: 2, peer: 0, third: 0}
    assert items[third]["last_read_message_id"] == items[third]["last_message"]["id"]
    assert items[member]["last_read_message_id"] < items[member]["last_message"]["id"]


def test_a_member_who_leaves_or_joins_shows_in_every_members_item(member, peer):
    third = factories.UserFactory(full_name="Tom Third")
    crowd = group(member, peer, third)
    for user in (member, peer, third):
        assert _items(user)[crowd.pk]["participant_count"] == 3
    services.leave_conversation(user=third, conversation=crowd)
    for user in (member, peer):
        item = _items(user)[crowd.pk]
        assert item["participant_count"] == 2 and third.pk not in [p["id"] for p in item["participants"]]
    assert crowd.pk not in _items(third)
    services.add_group_members(actor=member, conversation=crowd, members=[third])
    for user in (member, peer, third):
        item = _items(user)[crowd.pk]
        assert item["participant_count"] == 3 and third.pk in [p["id"] for p in item["participants"]]


def test_kept_items_are_looked_up_by_the_members_own_rows_alone(member, peer):
    """A page whose items are all kept reads the member's rows (count and page) and nothing of the
    conversations' messages or members, however many conversations there are."""
    counts = []
    for _round in range(2):
        say(peer, group(member, peer, factories.UserFactory()), "hello")
        say(member, direct(member, factories.UserFactory()), "hi")
        api = APIClient()
        api.force_authenticate(member)
        api.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        assert not [q["sql"] for q in queries.captured_queries
                    if 'FROM "chat_message"' in q["sql"] or '"accounts_user"' in q["sql"]]
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2
