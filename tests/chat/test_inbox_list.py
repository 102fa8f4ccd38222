"""The member's list of conversations, kept whole per member (chat.views._conversation_list): a direct
conversation is named by the other member and shows their presence, mute is each member's own, the open
conversation is marked, and whatever changes a list (a message, an edit, a read mark, a member joining or leaving,
a new name) shows on the next request for each member whose list it is."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from chat import services
from chat.models import Connection
from tests import factories
from tests.chat.helpers import direct, group, logged_in, say

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

INBOX = reverse("chat:inbox")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _inbox(user) -> str:
    browser = Client()
    browser.force_login(user)
    browser.get(INBOX)
    return browser.get(INBOX).content.decode()


def _row(page: str, conversation_id: int) -> str:
    return page.split(f'data-conversation="{conversation_id}"', 1)[1].split("</li>", 1)[0]


def test_a_direct_row_names_the_other_member_for_each_side_and_shows_who_is_online(member, peer):
    conversation = direct(peer, member)  # opened by the member with the higher id or the lower: both sides
    say(peer, conversation, "hello")
    assert peer.full_name in _row(_inbox(member), conversation.pk)
    assert member.full_name in _row(_inbox(peer), conversation.pk)
    assert f'data-presence-for="{peer.pk}" hidden' in _row(_inbox(member), conversation.pk)
    Connection.objects.create(user=peer, channel_name="peer-socket", expires_at=timezone.now() + timedelta(minutes=1))
    row = _row(_inbox(member), conversation.pk)
    assert f'data-presence-for="{peer.pk}"' in row and f'data-presence-for="{peer.pk}" hidden' not in row
    assert f'data-presence-for="{peer.pk}"' not in _row(_inbox(peer), conversation.pk)


def test_mute_shows_in_the_muting_members_list_only(member, peer):
    crowd = group(member, peer)
    say(peer, crowd, "agenda")
    for user in (member, peer):
        assert "🔕" not in _row(_inbox(user), crowd.pk)
    services.set_muted(user=member, conversation=crowd, muted=True)
    assert "🔕" in _row(_inbox(member), crowd.pk)
    assert "🔕" not in _row(_inbox(peer), crowd.pk)


def test_a_member_who_joins_sees_the_group_and_one_who_leaves_no_longer_does(member, peer):
    newcomer = factories.UserFactory()
    crowd = group(member, peer, title="Housing mentors")
    say(peer, crowd, "welcome")
    assert "Housing mentors" not in _inbox(newcomer)
    services.add_group_members(actor=member, conversation=crowd, members=[newcomer])
    assert "Housing mentors" in _row(_inbox(newcomer), crowd.pk)
    services.leave_conversation(user=peer, conversation=crowd)
    assert "Housing mentors" not in _inbox(peer)
    assert "welcome" in _row(_inbox(member), crowd.pk)


def _twice(browser: Client, url: str) -> str:
    """The page asked twice, so the second answer is built from what the first one kept."""
    for _ in range(2):
        response = browser.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def _order(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="[^"]*" data-conversation="(\d+)"', page)]


def _badge(page: str, conversation_id: int) -> str:
    return _row(page, conversation_id).split(f'data-unread-for="{conversation_id}"', 1)[1].split("</span>", 1)[0]


def test_a_new_message_moves_its_conversation_up_with_its_preview_and_counts_in_every_members_list(member, peer,
                                                                                                   outsider):
    first, second = group(member, peer, outsider, title="Housing"), group(member, peer, outsider, title="Transport")
    say(peer, first, "old news")
    say(peer, second, "newer news")
    browsers = {user: logged_in(user) for user in (member, peer, outsider)}
    for browser in browsers.values():
        assert _order(_twice(browser, INBOX))[:2] == [second.pk, first.pk]
    say(outsider, first, "Rents are up")
    for user, browser in browsers.items():
        page = browser.get(INBOX).content.decode()
        assert _order(page)[:2] == [first.pk, second.pk]
        assert "Rents are up" in _row(page, first.pk) and "newer news" in _row(page, second.pk)
        assert _badge(page, first.pk) == {member: ">2", peer: ">1", outsider: " hidden>0"}[user]
        # The header's badge, read with the list (core.memberfacts.kept_with_facts), counts the other one too.
        assert re.search(r"data-chat-unread( hidden)?>(\d+)<", page).group(2) == {
            member: "3", peer: "1", outsider: "1"}[user]


def test_an_edit_or_deletion_of_the_last_message_shows_in_every_members_list_and_of_an_earlier_one_nowhere(
        member, peer):
    conversation = group(member, peer)
    earlier, last = say(peer, conversation, "Agenda soon", "Meeting at noon")
    browsers = [logged_in(member), logged_in(peer)]
    for browser in browsers:
        assert "Meeting at noon" in _row(_twice(browser, INBOX), conversation.pk)
    services.edit_message(user=peer, message=last, body="Meeting at two")
    services.edit_message(user=peer, message=earlier, body="Agenda below")
    for browser in browsers:
        row = _row(browser.get(INBOX).content.decode(), conversation.pk)
        assert "Meeting at two" in row and "noon" not in row and "Agenda" not in row
    services.toggle_reaction(user=member, message=last, emoji="heart")
    assert "Meeting at two" in _row(browsers[0].get(INBOX).content.decode(), conversation.pk)
    services.delete_message(user=peer, message=last)
    for browser in browsers:
        row = _row(browser.get(INBOX).content.decode(), conversation.pk)
        assert "Message deleted" in row and "Meeting" not in row


def test_opening_a_conversation_clears_its_count_in_the_list_beside_it_and_in_the_inbox(member, peer):
    conversation, other = group(member, peer, title="Housing"), group(member, peer, title="Transport")
    say(peer, conversation, "One", "Two")
    say(peer, other, "Three")
    browser = logged_in(member)
    page = _twice(browser, INBOX)
    assert _badge(page, conversation.pk) == ">2" and _badge(page, other.pk) == ">1"
    page = browser.get(conversation.get_absolute_url()).content.decode()
    assert _badge(page, conversation.pk) == " hidden>0" and _badge(page, other.pk) == ">1"
    page = browser.get(INBOX).content.decode()
    assert _badge(page, conversation.pk) == " hidden>0" and _badge(page, other.pk) == ">1"
    services.mark_read(user=member, conversation=other)
    assert _badge(browser.get(INBOX).content.decode(), other.pk) == " hidden>0"


def test_the_open_conversation_is_marked_in_the_kept_list_and_no_other(member, peer):
    first, second = group(member, peer, title="Housing"), group(member, peer, title="Transport")
    browser = logged_in(member)
    page = _twice(browser, first.get_absolute_url())
    assert 'aria-current="page"' in _row(page, first.pk) and 'aria-current="page"' not in _row(page, second.pk)
    page = _twice(browser, second.get_absolute_url())
    assert 'aria-current="page"' in _row(page, second.pk) and 'aria-current="page"' not in _row(page, first.pk)
    assert " current" in page.split(f'data-conversation="{second.pk}"', 1)[0].rsplit("<li", 1)[1]
    assert "aria-current" not in _inbox(member).split('data-testid="inbox"', 1)[1].split("</ul>", 1)[0]


def test_a_new_conversation_shows_in_the_lists_of_everyone_in_it(member, peer, outsider):
    for user in (member, peer, outsider):
        _inbox(user)
    crowd = group(member, peer, title="Newcomers desk")
    talk = direct(outsider, member)
    assert "Newcomers desk" in _row(logged_in(peer).get(INBOX).content.decode(), crowd.pk)
    page = logged_in(member).get(INBOX).content.decode()
    assert "Newcomers desk" in _row(page, crowd.pk) and outsider.full_name in _row(page, talk.pk)
    assert member.full_name in _row(logged_in(outsider).get(INBOX).content.decode(), talk.pk)


def test_a_member_an_admin_removes_no_longer_sees_the_group_and_the_others_still_do(member, peer, outsider):
    crowd = group(member, peer, outsider, title="Housing mentors")
    say(peer, crowd, "welcome")
    for user in (peer, outsider):
        assert "Housing mentors" in _row(_inbox(user), crowd.pk)
    services.remove_group_member(actor=member, conversation=crowd, member=outsider)
    assert "Housing mentors" not in logged_in(outsider).get(INBOX).content.decode()
    assert "welcome" in _row(logged_in(peer).get(INBOX).content.decode(), crowd.pk)


def test_a_group_renamed_and_a_member_taken_out_in_the_admin_show_in_every_members_list(member, peer, outsider,
                                                                                         staff):
    crowd = group(member, peer, outsider, title="Housing mentors")
    browsers = {user: logged_in(user) for user in (member, peer, outsider)}
    for browser in browsers.values():
        assert "Housing mentors" in _row(_twice(browser, INBOX), crowd.pk)
    rows = list(crowd.participants.order_by("id"))
    crowd.refresh_from_db()
    form = {"title": "Tenancy mentors", "change_seq": str(crowd.change_seq), "participants-TOTAL_FORMS": str(len(rows)),
            "participants-INITIAL_FORMS": str(len(rows)), "participants-MIN_NUM_FORMS": "0",
            "participants-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        form |= {f"participants-{i}-id": str(row.pk), f"participants-{i}-conversation": str(crowd.pk),
                 f"participants-{i}-user": str(row.user_id), f"participants-{i}-role": row.role}
        if row.user_id == outsider.pk:
            form[f"participants-{i}-DELETE"] = "on"
    response = logged_in(staff).post(reverse("admin:chat_conversation_change", args=[crowd.pk]), form)
    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode())
    for user in (member, peer):
        assert "Tenancy mentors" in _row(browsers[user].get(INBOX).content.decode(), crowd.pk)
    assert "mentors" not in browsers[outsider].get(INBOX).content.decode()


def test_a_new_name_and_a_new_face_of_a_member_show_in_the_others_lists(member, peer, settings, tmp_path):
    conversation = direct(member, peer)
    say(peer, conversation, "Hello")
    browser = logged_in(member)
    assert peer.full_name in _row(_twice(browser, INBOX), conversation.pk)
    accounts_services.update_profile(user=peer, full_name="Pia Peer-Rossi")
    assert "Pia Peer-Rossi" in _row(browser.get(INBOX).content.decode(), conversation.pk)
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.chat.helpers import png_bytes
    accounts_services.set_avatar(user=peer, upload=SimpleUploadedFile("me.png", png_bytes((256, 256)), "image/png"))
    assert "<img" in _row(browser.get(INBOX).content.decode(), conversation.pk).split("chat-list-text", 1)[0]


def test_a_block_leaves_the_direct_conversation_in_both_lists(member, peer):
    conversation = direct(member, peer)
    say(peer, conversation, "Hello")
    for user in (member, peer):
        _inbox(user)
    services.block_member(user=member, other=peer)
    assert "Hello" in _row(logged_in(member).get(INBOX).content.decode(), conversation.pk)
    assert "Hello" in _row(logged_in(peer).get(INBOX).content.decode(), conversation.pk)
    services.unblock_member(user=member, other=peer)
    say(member, conversation, "Sorry")
    assert "Sorry" in _row(logged_in(peer).get(INBOX).content.decode(), conversation.pk)


def test_presence_beside_an_open_conversation_follows_the_sockets_with_the_list_kept(member, peer, outsider):
    talk = direct(member, peer)
    crowd = group(member, peer, outsider)
    browser = logged_in(member)
    page = _twice(browser, crowd.get_absolute_url())
    assert f'data-presence-for="{peer.pk}" hidden' in _row(page, talk.pk)
    socket = services.open_connection(user=peer, channel_name="peer-socket")
    page = browser.get(crowd.get_absolute_url()).content.decode()
    assert f'data-presence-for="{peer.pk}" hidden' not in _row(page, talk.pk)
    assert f'data-presence-label="{peer.pk}" hidden' not in _row(page, talk.pk)
    services.close_connection(channel_name=socket.channel_name)
    assert f'data-presence-for="{peer.pk}" hidden' in _row(browser.get(INBOX).content.decode(), talk.pk)


def test_a_kept_list_asks_the_database_only_who_is_online(member, peer, outsider):
    direct(member, peer)
    say(peer, group(peer, member, outsider), "Agenda")
    browser = logged_in(member)
    _twice(browser, INBOX)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(INBOX).status_code == 200
    chat = [q["sql"] for q in queries.captured_queries if '"chat_' in q["sql"]]
    assert len(chat) == 1 and 'FROM "chat_connection"' in chat[0]


def _cache_calls(monkeypatch) -> list[str]:
    calls = []
    for name in ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many"):
        method = getattr(cache, name)
        monkeypatch.setattr(cache, name, lambda *args, _name=name, _method=method, **kwargs: (
            calls.append(_name), _method(*args, **kwargs))[1])
    return calls


@pytest.mark.parametrize("size", [5, 100])
def test_a_message_to_a_group_of_any_size_renews_every_members_list_in_the_same_cache_round_trips(
        member, size, monkeypatch):
    others = factories.UserFactory.create_batch(size - 1)
    crowd = group(member, *others)
    say(member, crowd, "warm up")
    calls = _cache_calls(monkeypatch)
    say(member, crowd, "The meeting moves to Thursday.")
    assert calls.count("set_many") <= 2  # at once, and again on commit
    if size == 100:
        monkeypatch.undo()
        page = logged_in(others[-1]).get(INBOX).content.decode()
        assert "Thursday" in _row(page, crowd.pk) and _badge(page, crowd.pk) == ">2"


def test_a_kept_inbox_reads_its_list_with_the_members_facts_in_one_cache_round_trip(member, peer, monkeypatch):
    say(peer, direct(member, peer), "Hello")
    browser = logged_in(member)
    _twice(browser, INBOX)
    calls = _cache_calls(monkeypatch)
    assert "Hello" in browser.get(INBOX).content.decode()
    assert calls.count("get_many") == 1 and "set_many" not in calls and "set" not in calls
