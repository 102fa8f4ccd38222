"""The chat pages: inbox, conversation with its no-JavaScript form, groups, blocks; each role tries each page."""

import pytest
from django.urls import reverse

from chat import services
from chat.models import Conversation, Message, Participant
from tests import factories
from tests.chat.helpers import direct, group, say
from tests.hostile import XSS_PAYLOADS, assert_inert
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_log_in_from_every_chat_page(client, member, peer):
    conversation = direct(member, peer)
    for url in (reverse("chat:inbox"), conversation.get_absolute_url(), reverse("chat:group-create")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Message.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "moderator", "staff"])
def test_only_participants_read_or_write_a_conversation(client, member, peer, request, who):
    conversation = direct(member, peer)
    say(member, conversation, "private words")
    client.force_login(request.getfixturevalue(who))
    response = client.get(conversation.get_absolute_url())
    assert response.status_code == 403
    assert b"private words" not in response.content
    assert client.post(reverse("chat:send", args=[conversation.pk]), {"body": "intrusion"}).status_code == 403
    assert client.get(reverse("chat:members", args=[conversation.pk])).status_code == 403
    assert Message.objects.count() == 1


def test_the_message_button_opens_and_then_reuses_the_direct_conversation(client, member, peer):
    client.force_login(member)
    profile = client.get(peer.get_absolute_url())
    assert f"Message {peer.get_short_name()}" in profile.content.decode()
    first = client.post(reverse("chat:direct", args=[peer.pk]))
    second = client.post(reverse("chat:direct", args=[peer.pk]))
    conversation = Conversation.objects.get()
    assert first["Location"] == second["Location"] == conversation.get_absolute_url()


def test_the_message_button_refuses_politely_when_a_block_stands(client, member, peer):
    services.block_member(user=peer, other=member)
    client.force_login(member)
    response = client.post(reverse("chat:direct", args=[peer.pk]), follow=True)
    assert "You cannot message" in response.content.decode()
    assert not Conversation.objects.exists()


def test_without_javascript_the_form_posts_and_the_page_shows_the_history(client, member, peer):
    conversation = direct(member, peer)
    client.force_login(member)
    response = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "See https://example.org/x"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'href="https://example.org/x"' in page
    assert f'action="/messages/{conversation.pk}/send/"' in page


def test_posting_an_empty_or_overlong_message_shows_the_error_on_the_field(client, member, peer):
    conversation = direct(member, peer)
    client.force_login(member)
    for body in ("", "x" * 4001):
        response = client.post(reverse("chat:send", args=[conversation.pk]), {"body": body})
        assert response.status_code == 400
        assert response.context["form"].errors["body"]
    assert not Message.objects.exists()


def test_a_blocked_member_posting_sees_why(client, member, peer):
    conversation = direct(member, peer)
    services.block_member(user=peer, other=member)
    client.force_login(member)
    response = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "hello?"})
    assert response.status_code == 400
    assert "does not accept messages from you" in response.content.decode()


def test_a_conversation_without_a_block_says_nothing_about_blocks(client, member, peer, outsider):
    client.force_login(member)
    for conversation in (direct(member, peer), group(member, peer, outsider)):
        page = client.get(conversation.get_absolute_url()).content.decode()
        assert "does not accept messages" not in page and "You blocked" not in page
        assert 'data-testid="chat-blocked"' not in page


def test_a_conversation_under_a_block_says_who_blocked_whom(client, member, peer):
    conversation = direct(member, peer)
    services.block_member(user=peer, other=member)
    client.force_login(member)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Pia Peer does not accept messages from you." in page
    client.force_login(peer)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "You blocked Mia Member: neither of you can write here" in page


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_messages_and_titles_are_shown_as_text(client, member, peer, payload):
    conversation = group(member, peer, title=payload)
    say(member, conversation, payload)
    client.force_login(peer)
    for url in (conversation.get_absolute_url(), reverse("chat:inbox")):
        html = client.get(url).content.decode()
        assert_inert(html)


def test_opening_a_conversation_marks_it_read_and_the_nav_badge_shows_the_rest(client, member, peer, outsider):
    say(member, direct(member, peer), "one", "two")
    say(outsider, direct(outsider, peer), "three")
    client.force_login(peer)
    inbox = client.get(reverse("chat:inbox")).content.decode()
    assert 'data-chat-unread>3</span>' in inbox
    page = client.get(direct(member, peer).get_absolute_url()).content.decode()
    assert 'data-chat-unread>1</span>' in page
    assert Participant.objects.get(user=peer, conversation=direct(member, peer)).unread_count == 0


def test_the_inbox_lists_the_latest_conversation_first_with_its_unread_count(client, member, peer, outsider):
    older = direct(member, peer)
    say(peer, older, "older")
    newer = direct(member, outsider)
    say(outsider, newer, "newer", "newest")
    client.force_login(member)
    rows = client.get(reverse("chat:inbox")).context["rows"]
    assert [r.conversation for r in rows] == [newer, older]
    assert [r.unread_count for r in rows] == [2, 1]
    assert rows[0].title == outsider.full_name


def test_history_pages_back_by_id(client, member, peer):
    conversation = direct(member, peer)
    messages = say(member, conversation, *[f"message {n}" for n in range(25)])
    messages += say(peer, conversation, *[f"reply {n}" for n in range(30)])
    client.force_login(member)
    latest = client.get(conversation.get_absolute_url()).context
    assert latest["history"][-1] == messages[-1] and len(latest["history"]) == 50
    older = client.get(conversation.get_absolute_url(), {"before": latest["older"]}).context
    assert [m.pk for m in older["history"]] == [m.pk for m in messages[:5]]
    assert older["older"] is None


def test_the_inbox_keeps_a_constant_query_count(client, member):
    client.force_login(member)

    def add_rows(n):
        for _ in range(n):
            other = factories.UserFactory()
            say(other, direct(member, other), "hello")
            conversation = group(other, member, factories.UserFactory())
            say(other, conversation, "hi all")

    assert_queries_do_not_grow(client, reverse("chat:inbox"), add_rows)


def test_the_history_keeps_a_constant_query_count(client, member, peer):
    conversation = group(member, peer)
    client.force_login(member)

    def add_rows(n):
        for i in range(n):
            newcomer = factories.UserFactory()
            services.add_group_members(actor=member, conversation=conversation, members=[newcomer])
            say(newcomer, conversation, f"message {i}")
            services.mark_read(user=newcomer, conversation=conversation)

    assert_queries_do_not_grow(client, conversation.get_absolute_url(), add_rows)


def test_a_member_creates_a_group_with_people_they_know(client, member, peer, outsider):
    colleague = factories.UserFactory(full_name="Cole League")
    factories.MembershipFactory(user=colleague, organisation=member.memberships.get().organisation)
    direct(member, peer)
    client.force_login(member)
    form = client.get(reverse("chat:group-create")).context["form"]
    assert set(form.fields["members"].queryset) == {peer, colleague}
    response = client.post(reverse("chat:group-create"), {"title": "Youth participation network",
                                                          "members": [peer.pk, colleague.pk]})
    conversation = Conversation.objects.get(kind="group")
    assert response["Location"] == conversation.get_absolute_url()
    refused = client.post(reverse("chat:group-create"), {"title": "Strangers", "members": [outsider.pk]})
    assert refused.status_code == 400 and refused.context["form"].errors["members"]


def test_group_admins_manage_members_and_others_only_look(client, member, peer, outsider):
    conversation = group(member, peer)
    direct(member, outsider)
    client.force_login(peer)
    assert client.get(reverse("chat:members", args=[conversation.pk])).status_code == 200
    assert client.post(reverse("chat:members", args=[conversation.pk]), {"members": [outsider.pk]}).status_code == 403
    client.post(reverse("chat:member-action", args=[conversation.pk, member.pk, "remove"]))
    assert conversation.participants.count() == 2

    client.force_login(member)
    client.post(reverse("chat:members", args=[conversation.pk]), {"members": [outsider.pk]})
    client.post(reverse("chat:member-action", args=[conversation.pk, peer.pk, "make-admin"]))
    client.post(reverse("chat:member-action", args=[conversation.pk, outsider.pk, "remove"]))
    assert dict(conversation.participants.values_list("user_id", "role")) == {member.pk: "admin", peer.pk: "admin"}


def test_a_member_leaves_a_group_and_can_no_longer_read_it(client, member, peer, outsider):
    conversation = group(member, peer, outsider)
    client.force_login(peer)
    assert client.post(reverse("chat:leave", args=[conversation.pk]))["Location"] == reverse("chat:inbox")
    assert client.get(conversation.get_absolute_url()).status_code == 403


def test_editing_and_deleting_own_messages_through_the_pages(client, member, peer):
    conversation = direct(member, peer)
    message = say(member, conversation, "Typo")[0]
    client.force_login(peer)
    assert client.get(reverse("chat:message-edit", args=[conversation.pk, message.pk])).status_code == 403
    client.force_login(member)
    client.post(reverse("chat:message-edit", args=[conversation.pk, message.pk]), {"body": "Fixed"})
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Fixed" in page and "· edited" in page
    client.post(reverse("chat:message-delete", args=[conversation.pk, message.pk]))
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Message deleted" in page and "Fixed" not in page


def test_blocking_and_unblocking_from_a_profile(client, member, peer):
    client.force_login(member)
    assert f"Block {peer.get_short_name()}" in client.get(peer.get_absolute_url()).content.decode()
    client.post(reverse("chat:block", args=[peer.pk]), {"next": peer.get_absolute_url()})
    page = client.get(peer.get_absolute_url()).content.decode()
    assert f"Unblock {peer.get_short_name()}" in page
    assert peer.full_name in client.get(reverse("chat:blocked")).content.decode()
    client.post(reverse("chat:unblock", args=[peer.pk]))
    assert not member.chat_blocks.exists()


def test_read_markers_show_who_has_seen_what_in_a_small_group(client, member, peer, outsider):
    conversation = group(member, peer, outsider)
    first, _second = say(member, conversation, "first", "second")
    services.mark_read(user=peer, conversation=conversation, up_to=first.pk)
    services.mark_read(user=outsider, conversation=conversation)
    client.force_login(member)
    history = client.get(conversation.get_absolute_url()).context["history"]
    assert [r.pk for r in history[0].read_by] == [peer.pk]
    assert [r.pk for r in history[1].read_by] == [outsider.pk]


def test_with_the_channel_layer_unreachable_the_pages_work_and_a_posted_message_is_saved(
        client, member, peer, settings, django_capture_on_commit_callbacks):
    conversation = direct(member, peer)
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}}
    client.force_login(member)
    assert client.get(reverse("chat:inbox")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "Redis is down, I am not"})
    assert response.status_code == 302 and callbacks, "the broadcast was attempted, and failed quietly"
    assert Message.objects.get().body == "Redis is down, I am not"
    assert "Redis is down, I am not" in client.get(conversation.get_absolute_url()).content.decode()
