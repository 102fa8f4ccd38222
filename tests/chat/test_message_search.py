"""Message search across the member's own conversations: words in any language, found by what a message says
now (an edit, a deletion), never in a conversation the member is not in. On PostgreSQL it reads each message's
stored vector (migration chat 0005), which the database keeps current on every write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chat import selectors, services
from tests.chat.helpers import direct, group, say

pytestmark = pytest.mark.django_db


def _found(user, query: str) -> list[int]:
    return [message.pk for message in selectors.search_messages(user, query)[0:100]]


def test_words_in_any_language_are_found_in_my_conversations_only(member, peer, outsider):
    mine = direct(member, peer)
    [russian] = say(peer, mine, "Жильё для беженцев в Казани")
    [arabic] = say(peer, mine, "برنامج الإسكان للاجئين")
    [chinese] = say(member, mine, "住房 辅导 计划")
    say(outsider, group(outsider, peer), "Казани 辅导 الإسكان")
    assert _found(member, "Казани") == [russian.pk]
    assert _found(member, "الإسكان") == [arabic.pk]
    assert _found(member, "辅导") == [chinese.pk]
    assert russian.pk not in _found(outsider, "Казани")


def test_a_message_is_found_by_what_it_says_now(member, peer):
    conversation = direct(member, peer)
    [edited] = say(member, conversation, "The budget meeting")
    [deleted] = say(member, conversation, "mentoring notes to delete")
    assert _found(member, "budget") == [edited.pk] and _found(member, "mentoring") == [deleted.pk]
    services.edit_message(user=member, message=edited, body="The mentoring meeting")
    services.delete_message(user=member, message=deleted)
    assert _found(member, "budget") == []
    assert _found(member, "mentoring") == [edited.pk]


def test_a_member_who_left_a_group_no_longer_finds_its_messages(client, member, peer):
    crowd = group(peer, member)
    say(peer, crowd, "housing mentoring in Lyon")
    client.force_login(member)
    url = f"{reverse('chat:search')}?q=housing+mentoring"
    assert "housing mentoring in Lyon" in client.get(url).content.decode()
    services.leave_conversation(user=member, conversation=crowd)
    assert "housing mentoring in Lyon" not in client.get(url).content.decode()


@pytest.mark.postgres
def test_messages_are_matched_on_their_stored_vector_in_one_statement_with_their_count(client, member, peer):
    say(peer, direct(member, peer), "The housing guarantee fund")
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        assert "housing guarantee fund" in client.get(reverse("chat:search"), {"q": "housing"}).content.decode()
    searches = [q["sql"] for q in queries.captured_queries if "chat_message" in q["sql"]]
    assert len(searches) == 1
    assert "search_vector @@" in searches[0] and "count(*) OVER ()" in searches[0] and "to_tsvector" not in searches[0]


def test_results_are_paged_with_the_count_of_all_matches(client, member, peer):
    conversation = direct(member, peer)
    sent = say(peer, conversation, *[f"mentoring round {n}" for n in range(25)])
    say(peer, conversation, "nothing to find here")
    client.force_login(member)
    url = f"{reverse('chat:search')}?q=mentoring"
    first = client.get(url).content.decode()
    assert "25 messages found" in first and "Page 1 of 2" in first
    assert first.count("?around=") == 20
    for page in ("2", "9"):  # the last page, and a page past the end shown as the last
        last = client.get(f"{url}&page={page}").content.decode()
        assert "25 messages found" in last and "Page 2 of 2" in last and last.count("?around=") == 5
    assert f"?around={sent[0].pk}#" in last
    assert peer.full_name in first  # a direct conversation is named by the other member
    empty = client.get(f"{reverse('chat:search')}?q=nowhere").content.decode()
    assert "No messages match." in empty
