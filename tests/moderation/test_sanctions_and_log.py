"""Sanctions on members (warn, silence, suspend) and the moderation log: what they do, who may use them,
and that the log is never edited."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.recipients import speaking_to
from forums import services as forum_services
from moderation import services
from moderation.models import ModerationLogEntry
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


def _entry(action: str) -> ModerationLogEntry:
    return ModerationLogEntry.objects.get(action=action)


@pytest.fixture
def topic(public_category, member):
    topic = forum.topic(category_=public_category, author=member, title="Shared flats")
    forum.reply(topic=topic, body="First reply")
    forum.reply(topic=topic, body="Second reply")
    return topic


def test_silencing_stops_posting_with_the_reason_and_is_logged(client, topic, moderator, outsider):
    until = timezone.now() + timedelta(days=3)
    services.silence_member(moderator=moderator, member=outsider, until=until, reason="Repeated insults")
    outsider.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Repeated insults"):
        forum_services.reply_to_topic(author=outsider, topic=topic, body="Let me speak")
    client.force_login(outsider)
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "Let me speak"})
    assert "Repeated insults" in response.content.decode()
    assert _entry("silence_member").member == outsider
    assert outsider.notifications.filter(kind="moderation.silenced").exists()
    services.unsilence_member(moderator=moderator, member=outsider)
    outsider.refresh_from_db()
    forum_services.reply_to_topic(author=outsider, topic=topic, body="Thank you")
    assert _entry("unsilence_member")


def test_a_silence_notice_gives_its_end_in_the_members_own_time_zone_named(topic, moderator, outsider):
    """The moderator works in UTC; the member lives in Tokyo: both notices say 9:00 Tokyo time, and say so."""
    outsider.timezone = "Asia/Tokyo"
    outsider.save(update_fields=["timezone"])
    until = datetime(2099, 3, 5, 0, 0, tzinfo=UTC)  # 09:00 on 5 March in Tokyo
    services.silence_member(moderator=moderator, member=outsider, until=until, reason="Repeated insults")
    outsider.refresh_from_db()
    with speaking_to(outsider):  # as the member's page and mail show it
        title = outsider.notifications.get(kind="moderation.silenced").shown_title
    assert "5 March 2099, 09:00 (Asia/Tokyo)" in title and "Repeated insults" in title
    with pytest.raises(PermissionDenied, match=r"until 5 March 2099, 09:00 \(Asia/Tokyo\)"):
        forum_services.reply_to_topic(author=outsider, topic=topic, body="Let me speak")


def test_suspending_ends_the_session_with_the_reason_and_is_logged(client, moderator, outsider):
    client.force_login(outsider)
    services.suspend_member(moderator=moderator, member=outsider, until=timezone.now() + timedelta(days=7),
                            reason="Harassment")
    response = client.get(reverse("forums:categories"), follow=True)
    assert "Harassment" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert _entry("suspend_member").reason == "Harassment"
    services.unsuspend_member(moderator=moderator, member=outsider)
    assert _entry("unsuspend_member")


def test_only_global_moderators_silence_suspend_or_warn_members(category_moderator, outsider, member):
    until = timezone.now() + timedelta(days=1)
    for call in (lambda: services.silence_member(moderator=category_moderator, member=outsider, until=until,
                                                 reason="x"),
                 lambda: services.suspend_member(moderator=member, member=outsider, until=until, reason="x"),
                 lambda: services.warn_member(moderator=member, member=outsider, reason="x")):
        with pytest.raises(PermissionDenied):
            call()


def test_a_warning_tells_the_member_and_is_logged(client, moderator, outsider):
    client.force_login(moderator)
    response = client.post(reverse("moderation:member", args=[outsider.pk]),
                           {"action": "warn", "reason": "Keep it civil, please"})
    assert response.status_code == 302
    assert outsider.notifications.get(kind="moderation.warning").title == "A moderator warns you: Keep it civil, please"
    assert _entry("warn_member").member == outsider


def test_the_member_page_refuses_a_period_in_the_past(client, moderator, outsider):
    client.force_login(moderator)
    response = client.post(reverse("moderation:member", args=[outsider.pk]),
                           {"action": "suspend", "until": "2001-01-01T10:00", "reason": "x"})
    assert response.status_code == 200 and "Choose a moment in the future." in response.content.decode()
    outsider.refresh_from_db()
    assert outsider.suspended_until is None


def test_the_log_is_filterable_by_action_moderator_and_member(client, topic, moderator, category_moderator):
    forum_services.set_topic_pinned(moderator=moderator, topic=topic, pinned=True, reason="Pinned by global")
    forum_services.set_topic_locked(moderator=category_moderator, topic=topic, locked=True, reason="Locked by category")
    client.force_login(moderator)
    page = client.get(reverse("moderation:log") + "?action=pin_topic").content.decode()
    assert "Pinned by global" in page and "Locked by category" not in page
    page = client.get(reverse("moderation:log") + f"?moderator={category_moderator.pk}").content.decode()
    assert "Locked by category" in page and "Pinned by global" not in page
    page = client.get(reverse("moderation:log") + "?moderator=not-a-number").content.decode()
    assert "Locked by category" in page


def test_the_log_cannot_be_added_changed_or_deleted_in_the_admin(client, staff, topic, moderator):
    forum_services.set_topic_pinned(moderator=moderator, topic=topic, pinned=True)
    entry = ModerationLogEntry.objects.get()
    client.force_login(staff)
    assert client.get(reverse("admin:moderation_moderationlogentry_changelist")).status_code == 200
    assert client.get(reverse("admin:moderation_moderationlogentry_add")).status_code == 403
    response = client.post(reverse("admin:moderation_moderationlogentry_change", args=[entry.pk]), {"reason": "forged"})
    assert response.status_code == 403
    assert client.post(reverse("admin:moderation_moderationlogentry_delete", args=[entry.pk]),
                       {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""


def test_a_member_is_told_of_each_sanction_and_of_a_lifted_silence(moderator, outsider):
    until = timezone.now() + timedelta(days=3)
    services.silence_member(moderator=moderator, member=outsider, until=until, reason="  Repeated insults ")
    services.unsilence_member(moderator=moderator, member=outsider)
    services.suspend_member(moderator=moderator, member=outsider, until=until, reason="Spam")
    services.unsuspend_member(moderator=moderator, member=outsider)
    notices = list(outsider.notifications.order_by("pk").values_list("kind", "params"))
    assert notices == [("moderation.silenced", {"until": until.isoformat(), "reason": "Repeated insults"}),
                       ("moderation.unsilenced", {}),
                       ("moderation.suspended", {"until": until.isoformat(), "reason": "Spam"})]
