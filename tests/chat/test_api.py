"""The chat API: conversations, history by id, sending through the same service, marking read."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from chat import selectors, services
from chat.models import Message
from chat.serializers import MessageSerializer
from tests import factories
from tests.chat.helpers import direct, group, say
from tests.errors import error_fields, error_of
from tests.hostile import OVERLONG, WRONG_TYPES, XSS_PAYLOADS, assert_inert
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def messages_url(conversation) -> str:
    return reverse("api-chat-messages", args=[conversation.pk])


def test_a_visitor_gets_403_from_every_chat_endpoint(api, member, peer):
    conversation = direct(member, peer)
    assert api.get(reverse("api-chat-conversations")).status_code == 403
    assert api.get(messages_url(conversation)).status_code == 403
    assert api.post(messages_url(conversation), {"body": "hi"}).status_code == 403
    assert api.post(reverse("api-chat-read", args=[conversation.pk])).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "moderator", "staff"])
def test_non_participants_neither_read_nor_write_nor_mark_read(api, member, peer, request, who):
    conversation = direct(member, peer)
    say(member, conversation, "private")
    api.force_authenticate(request.getfixturevalue(who))
    assert api.get(messages_url(conversation)).status_code == 403
    assert api.post(messages_url(conversation), {"body": "intrusion"}, format="json").status_code == 403
    assert api.post(reverse("api-chat-read", args=[conversation.pk])).status_code == 403
    assert Message.objects.count() == 1


def test_the_member_lists_their_conversations_latest_first_with_unread_counts(api, member, peer, outsider):
    say(peer, direct(member, peer), "older")
    say(outsider, direct(member, outsider), "newer", "newest")
    api.force_authenticate(member)
    rows = api.get(reverse("api-chat-conversations")).json()["results"]
    assert [(r["title"], r["unread"]) for r in rows] == [(outsider.full_name, 2), (peer.full_name, 1)]
    assert rows[0]["last_message"]["body"] == "newest"


def test_sending_returns_the_same_message_shape_as_the_socket(api, member, peer):
    conversation = direct(member, peer)
    api.force_authenticate(member)
    response = api.post(messages_url(conversation), {"body": "See www.example.org."}, format="json")
    assert response.status_code == 201
    message = Message.objects.get()
    assert response.json() == MessageSerializer(message).data | {"created_at": response.json()["created_at"]}
    assert response.json()["html"].startswith('See <a href="https://www.example.org"')


@pytest.mark.parametrize("body", ["", OVERLONG, *WRONG_TYPES])
def test_a_bad_body_is_refused_naming_the_field(api, member, peer, body):
    conversation = direct(member, peer)
    api.force_authenticate(member)
    response = api.post(messages_url(conversation), {"body": body}, format="json")
    assert response.status_code == 400
    assert "body" in error_fields(response)
    assert not Message.objects.exists()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_text_comes_back_as_text_with_inert_html(api, member, peer, payload):
    conversation = direct(member, peer)
    api.force_authenticate(member)
    data = api.post(messages_url(conversation), {"body": payload}, format="json").json()
    assert data["body"] == payload
    assert_inert(data["html"])


def test_sending_too_fast_answers_429_saying_the_limit(api, member, peer, monkeypatch):
    monkeypatch.setattr(services, "MESSAGE_RATE", services.Rate(limit=1, period=60))
    conversation = direct(member, peer)
    api.force_authenticate(member)
    assert api.post(messages_url(conversation), {"body": "one"}, format="json").status_code == 201
    response = api.post(messages_url(conversation), {"body": "two"}, format="json")
    assert "1 per minute" in error_of(response, 429)["message"]


def test_a_blocked_member_gets_403_with_the_reason(api, member, peer):
    conversation = direct(member, peer)
    services.block_member(user=peer, other=member)
    api.force_authenticate(member)
    response = api.post(messages_url(conversation), {"body": "hello?"}, format="json")
    assert "does not accept" in error_of(response, 403)["message"]


def test_history_pages_back_with_before_and_forward_with_after(api, member, peer):
    conversation = direct(member, peer)
    sent = say(member, conversation, *[f"m{n}" for n in range(7)])
    api.force_authenticate(peer)
    latest = api.get(messages_url(conversation), {"limit": 3}).json()
    assert [m["body"] for m in latest["results"]] == ["m4", "m5", "m6"] and latest["has_more"]
    older = api.get(messages_url(conversation), {"limit": 3, "before": latest["results"][0]["id"]}).json()
    assert [m["body"] for m in older["results"]] == ["m1", "m2", "m3"] and older["has_more"]
    after = api.get(messages_url(conversation), {"after": sent[4].pk}).json()
    assert [m["body"] for m in after["results"]] == ["m5", "m6"] and not after["has_more"]
    bad = api.get(messages_url(conversation), {"before": "yesterday"})
    assert "before" in error_fields(bad)


def test_marking_read_returns_the_new_counts(api, member, peer):
    conversation = direct(member, peer)
    first, _ = say(member, conversation, "one", "two")
    api.force_authenticate(peer)
    url = reverse("api-chat-read", args=[conversation.pk])
    assert api.post(url, {"up_to": first.pk}, format="json").json()["unread"] == 1
    state = api.post(url, {}, format="json").json()
    assert (state["unread"], state["total_unread"]) == (0, 0)
    assert api.post(url, {"up_to": "x"}, format="json").status_code == 400


def test_opening_a_direct_conversation_over_the_api_reuses_it(api, member, peer):
    api.force_authenticate(member)
    first = api.post(reverse("api-chat-direct"), {"user": peer.pk}, format="json").json()
    second = api.post(reverse("api-chat-direct"), {"user": peer.pk}, format="json").json()
    assert first["id"] == second["id"] and first["title"] == peer.full_name
    assert api.post(reverse("api-chat-direct"), {"user": member.pk}, format="json").status_code == 400
    assert api.post(reverse("api-chat-direct"), {"user": "x"}, format="json").status_code == 400


def test_the_conversation_list_keeps_a_constant_query_count(client, member):
    client.force_login(member)

    def add_rows(n):
        for _ in range(n):
            other = factories.UserFactory()
            say(other, direct(member, other), "hello")
            say(other, group(other, member), "hi all")

    assert_queries_do_not_grow(client, reverse("api-chat-conversations"), add_rows)


def test_the_conversation_list_keeps_a_constant_query_count_whatever_the_groups_size(client, member):
    crowd = group(member, factories.UserFactory())
    say(member, crowd, "welcome")
    client.force_login(member)

    def add_members(n):
        services.add_group_members(actor=member, conversation=crowd,
                                   members=[factories.UserFactory() for _ in range(n)])

    assert_queries_do_not_grow(client, reverse("api-chat-conversations"), add_members, more=20)


def test_each_conversation_names_a_few_members_peer_first_and_counts_them_all(api, member, peer):
    say(peer, direct(member, peer), "hello")
    others = [factories.UserFactory() for _ in range(8)]
    crowd = group(others[0], member, *others[1:])
    say(others[0], crowd, "hi all")
    api.force_authenticate(member)
    rows = api.get(reverse("api-chat-conversations")).json()["results"]
    by_kind = {row["kind"]: row for row in rows}
    assert [p["id"] for p in by_kind["direct"]["participants"]] == [peer.pk, member.pk]
    assert by_kind["direct"]["participant_count"] == 2
    assert by_kind["direct"]["title"] == peer.full_name
    preview = [p["id"] for p in by_kind["group"]["participants"]]
    assert len(preview) == selectors.PARTICIPANTS_PREVIEW and member.pk not in preview
    assert preview[0] == others[0].pk and set(preview) <= {o.pk for o in others}
    assert by_kind["group"]["participant_count"] == 9
    assert by_kind["group"]["title"] == crowd.title


def test_the_history_endpoint_keeps_a_constant_query_count(client, member, peer):
    conversation = direct(member, peer)
    client.force_login(member)
    assert_queries_do_not_grow(client, messages_url(conversation),
                               lambda n: say(peer, conversation, *[f"m{i}" for i in range(n)]))
