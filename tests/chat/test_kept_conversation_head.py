"""The conversation page keeps its header (the member list) and its plain composer ({% card %}): a member joining,
leaving, being made admin or renamed shows on the next request for every participant in their language, and no
participant sees another's own bits (mute, the right to manage, presence, a block, the CSRF token, a reply)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from chat import permissions, services
from chat.models import Connection
from core.templatetags import cards
from tests import factories
from tests.chat.helpers import direct, group, logged_in, say

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _twice(browser: Client, url: str) -> str:
    """The page asked twice, so the second answer is built from what the first one kept."""
    for _ in range(2):
        response = browser.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def _head(page: str) -> str:
    return page.split('<header class="chat-head">', 1)[1].split("</header>", 1)[0]


def _composer(page: str) -> str:
    return page.split('id="composer"', 1)[1].split("</form>", 1)[0]


def _people(page: str) -> str:
    return _head(page).split("data-chat-participants>", 1)[1].split("</ul>", 1)[0]


def _online(user) -> None:
    Connection.objects.create(user=user, channel_name=f"test.{user.pk}.{Connection.objects.count()}",
                              expires_at=timezone.now() + timedelta(minutes=1))


def test_members_joining_leaving_and_promoted_show_at_once_to_every_member_in_their_language(
        member, peer, outsider, francophone):
    conversation = group(member, peer, francophone)
    url = conversation.get_absolute_url()
    browsers = {"en": logged_in(peer), "fr": logged_in(francophone)}
    for browser in browsers.values():
        assert "Otto Outsider" not in _people(_twice(browser, url))
    services.add_group_members(actor=member, conversation=conversation, members=[outsider])
    for language, browser in browsers.items():
        page = _twice(browser, url)
        head = _head(page)
        assert "Otto Outsider" in _people(page)
        assert ("4 members" in head) == (language == "en") and ("4 membres" in head) == (language == "fr")
    assert f'data-user-id="{outsider.pk}"' not in _people(_twice(browsers["en"], url)).split(
        f'data-user-id="{member.pk}"')[0]  # in the order they joined: the creator first
    services.make_group_admin(actor=member, conversation=conversation, member=outsider)
    for browser in browsers.values():
        people = _people(_twice(browser, url))
        assert "admin" in people.split(f'data-user-id="{outsider.pk}"', 1)[1].split("</li>", 1)[0]
    services.leave_conversation(user=outsider, conversation=conversation)
    services.remove_group_member(actor=member, conversation=conversation, member=peer)
    head = _head(_twice(browsers["fr"], url))
    assert "Otto Outsider" not in head and "Pia Peer" not in head and "2 membres" in head
    assert logged_in(peer).get(url).status_code == 403


def test_a_new_name_shows_at_once_in_the_member_list_of_every_member(member, peer, francophone):
    conversation = group(member, peer, francophone)
    url = conversation.get_absolute_url()
    browsers = [logged_in(member), logged_in(francophone)]
    for browser in browsers:
        _twice(browser, url)
    accounts_services.update_profile(user=peer, full_name="Pia Peer-Rossi")
    for browser in browsers:
        assert "Pia Peer-Rossi" in _people(_twice(browser, url))


def test_a_direct_conversation_is_titled_with_the_other_member_for_each_of_them(member, peer):
    conversation = direct(member, peer)
    url = conversation.get_absolute_url()
    assert "Pia Peer" in _head(_twice(logged_in(member), url)).split("</h2>")[0]
    assert "Mia Member" in _head(_twice(logged_in(peer), url)).split("</h2>")[0]
    accounts_services.update_profile(user=peer, full_name="Pia Peer-Rossi")
    page = _twice(logged_in(member), url)
    assert "Pia Peer-Rossi" in _head(page).split("</h2>")[0] and "Message Pia Peer-Rossi" in _composer(page)


def test_mute_and_the_right_to_manage_are_each_members_own(member, peer, outsider):
    conversation = group(member, peer, outsider)
    url = conversation.get_absolute_url()
    for user in (member, peer, outsider):
        _twice(logged_in(user), url)
    services.set_muted(user=peer, conversation=conversation, muted=True)
    pages = {user: _head(_twice(logged_in(user), url)) for user in (member, peer, outsider)}
    assert "Unmute" in pages[peer] and "Muted: only mentions" in pages[peer]
    for user in (member, outsider):
        assert "Unmute" not in pages[user] and "Muted: only mentions" not in pages[user] and ">Mute<" in pages[user]
    assert "Manage members" in pages[member]
    assert "Manage members" not in pages[outsider] and ">Members<" in pages[outsider]


def test_presence_shows_at_once_and_never_the_viewers_own_dot(member, peer, outsider):
    conversation = group(member, peer, outsider)
    url = conversation.get_absolute_url()
    _twice(logged_in(member), url)
    _online(peer)
    _online(member)
    people = _people(_twice(logged_in(member), url))
    assert f'data-presence-for="{peer.pk}" hidden' not in people
    assert f'data-presence-for="{member.pk}" hidden' in people  # the viewer is not told about themself
    people = _people(_twice(logged_in(outsider), url))
    assert f'data-presence-for="{member.pk}" hidden' not in people
    assert f'data-presence-for="{outsider.pk}" hidden' in people


def test_a_block_is_shown_to_who_blocked_and_not_to_the_other(member, peer):
    conversation = direct(member, peer)
    url = conversation.get_absolute_url()
    for user in (member, peer):
        _twice(logged_in(user), url)
    services.block_member(user=member, other=peer)
    assert "Unblock Pia" in _head(_twice(logged_in(member), url))
    head = _head(_twice(logged_in(peer), url))
    assert "Unblock" not in head and "Block Mia" not in head


def test_each_member_posts_with_their_own_token_from_the_kept_header_and_composer(
        member, peer, outsider, monkeypatch):
    kept = []
    real_set = cards.cache.set
    monkeypatch.setattr(cards, "cache", SimpleNamespace(
        set=lambda key, value, timeout=None: (kept.append(value[1]), real_set(key, value, timeout=timeout))))
    conversation = group(member, peer, outsider)
    url = conversation.get_absolute_url()
    tokens = []
    for user in (peer, outsider):  # the second member's page is built from the blocks the first one kept
        browser = logged_in(user, csrf=True)
        page = _twice(browser, url)
        assert str(cards.TOKEN_STAND_IN) not in page
        token = _composer(page).split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        assert f'value="{token}"' in _head(page)  # the mute form's
        answer = browser.post(reverse("chat:send", args=[conversation.pk]),
                              {"csrfmiddlewaretoken": token, "body": f"Hello from {user.full_name}"})
        assert answer.status_code == 302, f"{user}: {answer.status_code}"
        tokens.append(token)
    assert any('id="composer"' in html for html in kept) and any('class="chat-head"' in html for html in kept)
    assert all(token not in html for html in kept for token in tokens)


def test_a_reply_and_a_form_with_errors_are_the_requests_own_beside_a_kept_composer(member, peer):
    conversation = group(member, peer)
    [original] = say(peer, conversation, "Shall we meet in Lyon?")
    url = conversation.get_absolute_url()
    browser = logged_in(member)
    assert 'name="reply_to" value=' not in _composer(_twice(browser, url))
    composer = _composer(_twice(browser, f"{url}?reply={original.pk}"))
    assert f'name="reply_to" value="{original.pk}"' in composer and "Shall we meet in Lyon?" in composer
    answer = browser.post(reverse("chat:send", args=[conversation.pk]), {"body": "x" * 4001})
    assert answer.status_code == 400 and 'role="alert"' in _composer(answer.content.decode())
    composer = _composer(_twice(browser, url))
    assert 'name="reply_to" value=' not in composer and "Shall we meet" not in composer


def test_a_read_conversation_does_not_look_for_its_first_unread_message(member, peer):
    conversation = group(member, peer)
    say(peer, conversation, "One", "Two")
    url = conversation.get_absolute_url()
    browser = logged_in(member)
    page = _twice(browser, url)  # the first answer marked it read
    assert "New messages" not in page
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    # Nothing unread and the history kept: no message is read at all, neither the first unread nor the page.
    assert not [q["sql"] for q in queries.captured_queries if 'FROM "chat_message"' in q["sql"]]
    [three] = say(peer, conversation, "Three")
    page = logged_in(member).get(url).content.decode()
    assert page.index('id="first-unread"') < page.index(f'id="m{three.pk}"')


def _row(page: str, conversation_id: int) -> str:
    return page.split(f'data-conversation="{conversation_id}"', 1)[1].split("</li>", 1)[0]


def test_a_kept_conversation_list_reads_only_the_members_own_rows(member, peer, outsider):
    direct(member, peer)
    say(peer, group(peer, member, outsider), "Agenda")
    inbox = reverse("chat:inbox")
    browser = logged_in(member)
    _twice(browser, inbox)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(inbox).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if '"chat_conversation"."title"' in q["sql"]]


def test_a_message_a_moderator_removes_shows_at_once_in_every_members_list(member, peer, outsider, moderator):
    conversation = group(member, peer, outsider)
    [message] = say(peer, conversation, "Buy cheap watches")
    inbox = reverse("chat:inbox")
    browsers = {"en": logged_in(member), "fr": logged_in(outsider)}
    outsider.language = "fr"
    outsider.save(update_fields=["language"])
    for browser in browsers.values():
        assert "cheap watches" in _row(_twice(browser, inbox), conversation.pk)
    services.remove_message_as_moderator(moderator=moderator, message=message)
    assert "Message deleted" in _row(_twice(browsers["en"], inbox), conversation.pk)
    assert "Message supprimé" in _row(_twice(browsers["fr"], inbox), conversation.pk)


def test_presence_on_the_page_is_asked_of_the_open_sockets_alone(member, peer, outsider):
    conversation = group(member, peer, outsider)
    direct(member, outsider)
    _online(outsider)
    browser = logged_in(member)
    _twice(browser, conversation.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(conversation.get_absolute_url()).content.decode()
    [presence] = [q["sql"] for q in queries.captured_queries if 'FROM "chat_connection"' in q["sql"]]
    assert "chat_participant" not in presence  # whom it asks about shares a conversation with the member already
    assert f'data-presence-for="{outsider.pk}" hidden' not in page and f'data-presence-for="{peer.pk}" hidden' in page


def test_the_page_checks_the_viewer_among_the_members_it_reads_and_refuses_others(member, peer, monkeypatch):
    conversation = group(member, peer)
    services.set_muted(user=peer, conversation=conversation, muted=True)
    stranger, gone = factories.UserFactory(), factories.UserFactory()
    services.add_group_members(actor=member, conversation=conversation, members=[gone])
    url = conversation.get_absolute_url()

    def unasked(*args, **kwargs):
        raise AssertionError("the viewer's participation is read with the members")

    monkeypatch.setattr(permissions, "participation", unasked)
    # The viewer's own row is the one found among the members: their mute, not another's.
    assert "Unmute" in _head(_twice(logged_in(peer), url)) and "Unmute" not in _head(_twice(logged_in(member), url))
    assert logged_in(stranger).get(url).status_code == 403
    gone.is_active = False
    gone.save()
    assert logged_in(gone).get(url).status_code in (302, 403)


def test_the_header_the_history_and_the_form_are_looked_up_in_one_cache_round_trip(
        member, peer, outsider, monkeypatch):
    conversation = group(member, peer, outsider)
    say(peer, conversation, "Hello")
    direct(member, outsider)
    browser = logged_in(member)
    url = conversation.get_absolute_url()
    _twice(browser, url)
    round_trips = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: round_trips.append(keys) or get_many(keys))
    page = browser.get(url).content.decode()
    with_cards = [keys for keys in round_trips if any(key.startswith("v:card:") for key in keys)]
    assert len(with_cards) == 1
    # The header, the history's block and the form; not each message of the history kept.
    assert sorted(key.split(":")[3] for key in with_cards[0] if key.startswith("v:card:")) == [
        "composer", "head", "history"]
    assert "Hello" in page and "Otto Outsider" in _head(page)
    # A new message misses the history's block: its messages are looked up then, the header is still kept.
    say(outsider, conversation, "Good evening")
    round_trips.clear()
    page = browser.get(url).content.decode()
    assert "Good evening" in page and "Hello" in page
    # Its messages are looked up too: a second round trip of cards.
    assert len([keys for keys in round_trips if any(key.startswith("v:card:") for key in keys)]) == 2


def _text_of_messages(sql: str) -> bool:
    """A read of messages' text by themselves (not as the list's last messages, read with their conversations)."""
    return '"chat_message"."body_html"' in sql and 'FROM "chat_message"' in sql and "chat_conversation" not in sql


def test_the_messages_text_is_read_only_for_the_cards_rendered_afresh_and_an_edit_shows_at_once(member, peer):
    conversation = group(member, peer)
    first, second = say(peer, conversation, "First words", "Second words")
    browser = logged_in(member)
    url = conversation.get_absolute_url()
    _twice(browser, url)
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(url).content.decode()
    assert "First words" in page and "Second words" in page
    assert not [q for q in queries.captured_queries if _text_of_messages(q["sql"])]  # all kept: no text read
    services.edit_message(user=peer, message=second, body="Second words, edited")
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(url).content.decode()
    assert "Second words, edited" in page and "First words" in page
    [text] = [q["sql"] for q in queries.captured_queries if _text_of_messages(q["sql"])]
    assert str(second.pk) in text and str(first.pk) not in text.split("WHERE", 1)[1]  # the edited one's alone


def _read_by(page: str, message_id: int) -> str:
    return page.split(f'id="m{message_id}"', 1)[1].split('class="meta chat-read-by">', 1)[1].split("</div>", 1)[0]


def test_a_kept_latest_history_shows_read_receipts_older_messages_and_each_viewers_own_at_once(member, peer, outsider):
    """The latest page's history is looked up by the conversation's change number and last message, the viewer and
    the others' read marks (not by each message): what those cover shows on the next request."""
    from chat.selectors import HISTORY_PAGE

    conversation = group(member, peer, outsider)
    first, second = say(member, conversation, "first", "second")
    url = conversation.get_absolute_url()
    browsers = {member: logged_in(member), peer: logged_in(peer)}
    _twice(browsers[member], url)
    services.mark_read(user=peer, conversation=conversation, up_to=first.pk)
    page = _twice(browsers[member], url)
    assert f'data-reader="{peer.pk}"' in _read_by(page, first.pk)
    services.mark_read(user=outsider, conversation=conversation)
    page = _twice(browsers[member], url)
    assert f'data-reader="{outsider.pk}"' in _read_by(page, second.pk)
    assert f'data-reader="{peer.pk}"' in _read_by(page, first.pk)
    # Each viewer's own messages are theirs alone, though the history is kept.
    own = f'href="{reverse("chat:message-edit", args=[conversation.pk, first.pk])}"'
    assert own in page and own not in _twice(browsers[peer], url)
    # A reply to an old message and, past a page, the link to older messages.
    assert "Older messages" not in page
    half = (HISTORY_PAGE - 1) // 2  # two senders: each keeps within the rate limit
    say(peer, conversation, *(f"more {n}" for n in range(half)))
    say(outsider, conversation, *(f"more {n}" for n in range(half, HISTORY_PAGE - 1)))
    page = _twice(browsers[member], url)
    assert "Older messages" in page and f"?before={second.pk}" in page and "more 48" in page
    services.edit_message(user=member, message=second, body="second, changed")
    assert "second, changed" in _twice(browsers[peer], url)
