"""Reporting a chat message: it joins the moderators' queue with its context, and their actions apply."""

import pytest
from django.urls import reverse

from chat.models import Message
from moderation import services as moderation_services
from moderation.models import Report
from tests.chat.helpers import direct, group, say
from tests.hostile import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db


def test_a_participant_reports_a_message_and_moderators_see_it_with_what_came_before(client, member, peer,
                                                                                     moderator):
    conversation = direct(member, peer)
    say(member, conversation, "Hello, about the workshop")
    (abusive,) = say(peer, conversation, "Something abusive")
    client.force_login(member)
    page = client.get(conversation.get_absolute_url()).content.decode()
    report_url = reverse("chat:message-report", args=[conversation.pk, abusive.pk])
    assert report_url in page
    response = client.post(report_url, {"reason": "Insulting"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.target == abusive and report.reporter == member
    assert "Something abusive" in report.context["excerpt"] and "about the workshop" in report.context["excerpt"]
    assert report.context["author_id"] == peer.pk

    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "Something abusive" in queue and "Insulting" in queue


@pytest.mark.parametrize("who", ["outsider", "moderator"])
def test_only_participants_can_report_a_conversations_messages(client, member, peer, request, who):
    conversation = direct(member, peer)
    (message,) = say(peer, conversation, "private")
    client.force_login(request.getfixturevalue(who))
    url = reverse("chat:message-report", args=[conversation.pk, message.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "spying"}).status_code == 403
    assert not Report.objects.exists()


def test_a_member_cannot_report_their_own_message(client, member, peer):
    conversation = direct(member, peer)
    (message,) = say(member, conversation, "mine")
    client.force_login(member)
    assert client.post(reverse("chat:message-report", args=[conversation.pk, message.pk]),
                       {"reason": "oops"}).status_code == 403


@pytest.mark.parametrize("reason", ["", "   ", *XSS_PAYLOADS[:3]])
def test_a_report_reason_is_required_and_shown_as_text(client, member, peer, moderator, reason):
    conversation = group(member, peer)
    (message,) = say(peer, conversation, "text")
    client.force_login(member)
    response = client.post(reverse("chat:message-report", args=[conversation.pk, message.pk]), {"reason": reason})
    if not reason.strip():
        assert response.status_code == 400 and response.context["form"].errors["reason"]
        assert not Report.objects.exists()
        return
    client.force_login(moderator)
    assert_inert(client.get(reverse("moderation:queue")).content.decode())


def test_a_moderator_deletes_a_reported_message_and_the_reporter_is_told(member, peer, moderator):
    conversation = direct(member, peer)
    (message,) = say(peer, conversation, "Something abusive")
    report = moderation_services.file_report(reporter=member, target=message, reason="Insulting")
    moderation_services.resolve_report(moderator=moderator, report=report, action="delete", reason="Insults")
    message.refresh_from_db()
    assert message.is_deleted and message.body == ""
    assert member.notifications.filter(kind="moderation.report_outcome").exists()


@pytest.mark.parametrize("action", ["warn", "dismiss"])
def test_warning_or_dismissing_leaves_the_message_in_place(member, peer, moderator, action):
    conversation = direct(member, peer)
    (message,) = say(peer, conversation, "Borderline")
    report = moderation_services.file_report(reporter=member, target=message, reason="Rude")
    moderation_services.resolve_report(moderator=moderator, report=report, action=action, reason="Looked at it")
    assert Message.objects.get(pk=message.pk).body == "Borderline"
    assert Report.objects.get(pk=report.pk).status == "resolved"
