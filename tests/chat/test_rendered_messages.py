"""The messenger keeps each rendered message and conversation-list row ({% card %}, core/templatetags/cards.py):
an edit, a deletion, a reaction, a new message or a new name shows on the next request, in each member's language,
and no member sees another's own bits (their reactions, "Edit or delete", their unread counts, their token)."""

import html
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts_services
from chat import services
from core.templatetags import cards
from tests import factories
from tests.chat.helpers import PDF_BYTES, direct, group, logged_in, say
from tests.queries import assert_queries_do_not_grow, count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _page(browser: Client, url: str) -> str:
    response = browser.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def _message(page: str, message_id: int) -> str:
    """The message's item as a browser reads it (reactions' emoji are character references in the HTML)."""
    return html.unescape(page.split(f'id="m{message_id}"', 1)[1].split("</li>", 1)[0])


def _row(page: str, conversation_id: int) -> str:
    return page.split(f'data-conversation="{conversation_id}"', 1)[1].split("</li>", 1)[0]


def _twice(browser: Client, url: str) -> str:
    """The page asked twice, so the second answer is built from what the first one kept."""
    _page(browser, url)
    return _page(browser, url)


def _browsers_that_kept(url: str, **readers) -> dict[str, Client]:
    """A browser per language, each signed in as its reader, that has seen the page twice (its cards are kept)."""
    browsers = {language: logged_in(reader) for language, reader in readers.items()}
    for browser in browsers.values():
        _twice(browser, url)
    return browsers


def test_an_edit_and_a_deletion_show_at_once_to_every_member_in_their_language(member, peer, francophone):
    conversation = group(member, peer, francophone)
    [message] = say(member, conversation, "Meeting at noon")
    url = conversation.get_absolute_url()
    browsers = _browsers_that_kept(url, en=peer, fr=francophone)
    services.edit_message(user=member, message=message, body="Meeting at one")
    for language, browser in browsers.items():
        shown = _message(_twice(browser, url), message.pk)
        assert "Meeting at one" in shown and "Meeting at noon" not in shown
        assert ("Réagir" in shown) == (language == "fr") and ("React" in shown) == (language == "en")
    services.delete_message(user=member, message=message)
    assert "Message deleted" in _message(_twice(browsers["en"], url), message.pk)
    assert "Message supprimé" in _message(_twice(browsers["fr"], url), message.pk)


def test_a_reaction_shows_at_once_and_is_pressed_only_for_who_gave_it(member, peer, outsider):
    conversation = group(member, peer, outsider)
    [message] = say(member, conversation, "We got the funding!")
    url = conversation.get_absolute_url()
    for user in (member, peer, outsider):
        _twice(logged_in(user), url)
    services.toggle_reaction(user=peer, message=message, emoji="party")
    for user, pressed in ((peer, "true"), (outsider, "false"), (member, "false")):
        shown = _message(_twice(logged_in(user), url), message.pk)
        assert "🎉</span> 1" in shown and f'aria-pressed="{pressed}"' in shown, user
    services.toggle_reaction(user=peer, message=message, emoji="party")
    assert "🎉" not in _message(_twice(logged_in(outsider), url), message.pk).split("chat-react-picker")[0]


def test_only_the_sender_is_offered_edit_and_others_report(member, peer):
    conversation = group(member, peer)
    [message] = say(member, conversation, "Draft agenda attached")
    url = conversation.get_absolute_url()
    assert "Edit or delete" in _message(_twice(logged_in(member), url), message.pk)
    shown = _message(_twice(logged_in(peer), url), message.pk)
    assert "Edit or delete" not in shown and "Report" in shown


def test_a_new_name_shows_at_once_on_messages_and_in_the_list(member, peer):
    conversation = group(member, peer)
    [message] = say(peer, conversation, "Hello from Milan")
    browser = logged_in(member)
    _twice(browser, conversation.get_absolute_url())
    accounts_services.update_profile(user=peer, full_name="Pia Peer-Rossi")
    page = _twice(browser, conversation.get_absolute_url())
    assert "Pia Peer-Rossi" in _message(page, message.pk)
    assert "Pia: " in _row(page, conversation.pk)  # the list shows the sender's first name


def test_the_list_shows_a_new_message_and_each_members_own_unread_count(member, peer, outsider):
    conversation = group(member, peer, outsider)
    say(member, conversation, "First")
    inbox = reverse("chat:inbox")
    for user in (member, peer):
        _twice(logged_in(user), inbox)
    [latest] = say(outsider, conversation, "Second, with news")
    member_row = _row(_twice(logged_in(member), inbox), conversation.pk)
    assert "Second, with news" in member_row and ">1</span>" in member_row
    services.mark_read(user=peer, conversation=conversation)
    peer_row = _row(_twice(logged_in(peer), inbox), conversation.pk)
    assert "Second, with news" in peer_row and f'data-unread-for="{conversation.pk}" hidden' in peer_row
    services.edit_message(user=outsider, message=latest, body="Second, with better news")
    assert "better news" in _row(_twice(logged_in(member), inbox), conversation.pk)


def test_each_member_reacts_with_their_own_token_from_a_kept_message(member, peer, outsider, monkeypatch):
    kept = []
    real_set = cards.cache.set
    monkeypatch.setattr(cards, "cache", SimpleNamespace(
        set=lambda key, value, timeout=None: (kept.append(value[1]), real_set(key, value, timeout=timeout))))
    conversation = group(member, peer, outsider)
    [message] = say(member, conversation, "Vote with a reaction")
    url = conversation.get_absolute_url()
    tokens = []
    for user in (peer, outsider):  # the second member's page is built from the message the first one kept
        browser = logged_in(user, csrf=True)
        page = _twice(browser, url)
        assert str(cards.TOKEN_STAND_IN) not in page
        tokens.append(_message(page, message.pk).split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0])
        answer = browser.post(reverse("chat:react", args=[conversation.pk, message.pk]),
                              {"csrfmiddlewaretoken": tokens[-1], "emoji": "thumbs_up"})
        assert answer.status_code == 302, f"{user}: {answer.status_code}"
    assert kept and all(token not in html for html in kept for token in tokens)
    assert any(f'value="{cards.TOKEN_STAND_IN}"' in html for html in kept)


def test_a_file_and_a_quoted_original_show_at_once_to_every_member_in_their_language(member, peer, francophone):
    conversation = group(member, peer, francophone)
    [original] = say(member, conversation, "Agenda draft")
    url = conversation.get_absolute_url()
    browsers = _browsers_that_kept(url, en=peer, fr=francophone)
    with_file = services.send_message(sender=member, conversation=conversation, body="",
                                      files=[SimpleUploadedFile("Plan 2027.pdf", PDF_BYTES)])
    reply = services.send_message(sender=peer, conversation=conversation, body="Looks good", reply_to=original.pk)
    for language, browser in browsers.items():
        page = _twice(browser, url)
        assert "Plan 2027.pdf" in _message(page, with_file.pk)
        assert "Agenda draft" in _message(page, reply.pk)
        assert ("50 octets" if language == "fr" else "50 bytes") in _message(page, with_file.pk)
    services.edit_message(user=member, message=original, body="Agenda, second draft")
    services.delete_message(user=member, message=with_file)
    for language, browser in browsers.items():
        page = _twice(browser, url)
        assert "Agenda, second draft" in _message(page, reply.pk)
        assert "Plan 2027.pdf" not in _message(page, with_file.pk)
        assert ("Message supprimé" if language == "fr" else "Message deleted") in _message(page, with_file.pk)


def test_a_reaction_shows_at_once_in_another_language_too(member, peer, francophone):
    conversation = group(member, peer, francophone)
    [message] = say(member, conversation, "Nous avons le financement")
    url = conversation.get_absolute_url()
    browser = logged_in(francophone)
    _twice(browser, url)
    services.toggle_reaction(user=peer, message=message, emoji="heart")
    shown = _message(_twice(browser, url), message.pk)
    assert "❤️</span> 1" in shown and "cœur" in shown and peer.full_name in shown


def test_a_kept_history_reads_no_files_and_no_reactions_but_the_members_own(member, peer):
    conversation = group(member, peer)
    for i in range(3):
        message = services.send_message(sender=peer, conversation=conversation, body=f"file {i}",
                                        files=[SimpleUploadedFile(f"plan-{i}.pdf", PDF_BYTES)])
        services.toggle_reaction(user=peer, message=message, emoji="party")
    services.toggle_reaction(user=member, message=message, emoji="heart")
    browser = logged_in(member)
    _twice(browser, conversation.get_absolute_url())  # the first opening also shows where the unread ones began
    with CaptureQueriesContext(connection) as queries:
        page = _page(browser, conversation.get_absolute_url())
    read = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in read if "chat_attachment" in sql]
    assert [sql for sql in read if "chat_reaction" in sql] == [
        sql for sql in read if "chat_reaction" in sql and f'"user_id" = {member.pk}' in sql.replace("%s", "")]
    shown = page.split(f'id="m{message.pk}"', 1)[1].split("chat-read-by", 1)[0]  # past the files' list items
    assert 'aria-pressed="true"' in shown and "plan-2.pdf" in shown


def test_the_history_keeps_a_constant_query_count_with_files_and_reactions_kept_or_not(member, peer):
    conversation = group(member, peer)
    browser = logged_in(member)

    def add_rows(n):
        for i in range(n):
            message = services.send_message(sender=peer, conversation=conversation, body=f"see {i}",
                                            files=[SimpleUploadedFile(f"{i}.pdf", PDF_BYTES)])
            services.toggle_reaction(user=peer, message=message, emoji="party")
            services.toggle_reaction(user=member, message=message, emoji="heart")
            services.send_message(sender=member, conversation=conversation, body=f"re {i}", reply_to=message.pk)

    _page(browser, conversation.get_absolute_url())  # what a member's first page of the session does once
    fresh = assert_queries_do_not_grow(browser, conversation.get_absolute_url(), add_rows)
    assert count_queries(browser, conversation.get_absolute_url()) <= fresh


def test_a_direct_rows_name_and_a_deleted_last_message_show_at_once_in_the_list(peer, francophone):
    conversation = direct(francophone, peer)
    [message] = say(peer, conversation, "Bonjour Fanny")
    inbox = reverse("chat:inbox")
    browser = logged_in(francophone)
    _twice(browser, inbox)
    accounts_services.update_profile(user=peer, full_name="Pia Peer-Rossi")
    assert "Pia Peer-Rossi" in _row(_twice(browser, inbox), conversation.pk)
    services.delete_message(user=peer, message=message)
    row = _row(_twice(browser, inbox), conversation.pk)
    assert "Message supprimé" in row and "Bonjour Fanny" not in row


def test_a_kept_conversation_list_reads_no_last_messages_and_its_queries_do_not_grow(member):
    browser = logged_in(member)
    inbox = reverse("chat:inbox")

    def add_rows(n):
        for _ in range(n):
            other = factories.UserFactory()
            say(other, direct(member, other), "hello")
            say(other, group(other, member), "hi all")

    _page(browser, inbox)  # what a member's first page of the session does once
    assert_queries_do_not_grow(browser, inbox, add_rows)
    _page(browser, inbox)
    with CaptureQueriesContext(connection) as queries:
        _page(browser, inbox)
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "chat_message"')]


def test_a_page_kept_whole_reads_no_messages_details_and_shows_a_new_message_and_a_reaction(member, peer):
    conversation = group(member, peer)
    [first] = say(peer, conversation, "Agenda for Thursday")
    url = conversation.get_absolute_url()
    browser = logged_in(member)
    _twice(browser, url)
    with CaptureQueriesContext(connection) as queries:
        _page(browser, url)
    assert not [q["sql"] for q in queries.captured_queries if 'FROM "chat_reaction"' in q["sql"]
                and 'chat_reaction"."user_id" =' not in q["sql"]]  # only the member's own reactions
    assert not [q["sql"] for q in queries.captured_queries if 'FROM "chat_attachment"' in q["sql"]]
    [second] = say(peer, conversation, "Minutes attached")
    services.toggle_reaction(user=peer, message=first, emoji="thumbs-up")
    page = _twice(browser, url)
    assert "Minutes attached" in _message(page, second.pk)
    assert 'data-emoji="thumbs-up"' in _message(page, first.pk)
    assert "Minutes attached" in _row(page, conversation.pk)


def test_kept_search_results_show_an_edit_a_new_name_and_a_new_match_in_each_language(member, peer, francophone):
    conversation = group(member, peer, francophone)
    [message] = say(peer, conversation, "Housing guarantee for newcomers")
    url = f"{reverse('chat:search')}?q=housing"
    browsers = _browsers_that_kept(url, en=member, fr=francophone)
    services.edit_message(user=peer, message=message, body="Housing guarantee for every newcomer")
    accounts_services.update_profile(user=peer, full_name="Pia Peer-Rossi")
    [other] = say(member, conversation, "Housing fair next week")
    for browser in browsers.values():
        page = _twice(browser, url)
        assert "every newcomer" in page and "Pia Peer-Rossi" in page and f"around={other.pk}" in page
    assert "2 messages found" in _twice(browsers["en"], url)
    services.delete_message(user=member, message=other)
    assert f"around={other.pk}" not in _twice(browsers["fr"], url)
