"""The inbox's list of conversations, kept row by row and whole (templates/chat/_conversation_list.html): a direct
conversation is named by the other member and shows their presence, mute is each member's own, and what changes
shows on the next request for each member."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chat import services
from chat.models import Connection
from tests import factories
from tests.chat.helpers import direct, group, say

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
