"""Moderators read the queue and the log as people: actions by name, reported text rendered and sanitised."""

import pytest
from django.urls import reverse

from forums import services as forum_services
from moderation import services
from moderation.models import ModerationLogEntry
from tests.forums import factories as forum
from tests.hostile import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db


def _report(member, public_category, outsider, body: str):
    topic = forum.topic(category_=public_category, title="Housing for newcomers")
    post = forum.reply(topic=topic, author=outsider, body=body)
    return services.file_report(reporter=member, target=post, reason="Advertising"), post, topic


def test_the_queue_shows_the_reported_markdown_rendered(client, member, moderator, public_category, outsider):
    report, _post, _topic = _report(member, public_category, outsider,
                                    "**Buy** our [package](https://example.org/buy) today")
    client.force_login(moderator)
    for url in (reverse("moderation:queue"), reverse("moderation:report-resolve", args=[report.pk])):
        quoted = client.get(url).content.decode().split('<blockquote class="prose">')[1].split("</blockquote>")[0]
        assert "<strong>Buy</strong>" in quoted and 'href="https://example.org/buy"' in quoted
        assert "**Buy**" not in quoted


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_reported_text_stays_inert_in_the_queue(client, member, moderator, public_category, outsider,
                                                       payload):
    report, _post, _topic = _report(member, public_category, outsider, payload)
    client.force_login(moderator)
    assert_inert(client.get(reverse("moderation:queue")).content.decode())
    assert_inert(client.get(reverse("moderation:report-resolve", args=[report.pk])).content.decode())


def test_the_log_names_each_action_in_words(client, member, moderator, public_category, outsider):
    report, _post, topic = _report(member, public_category, outsider, "Spam")
    services.resolve_report(moderator=moderator, report=report, action="hide", reason="Commercial spam")
    forum_services.set_topic_pinned(moderator=moderator, topic=topic, pinned=True, reason="Useful")
    forum_services.set_topic_pinned(moderator=moderator, topic=topic, pinned=False, reason="Done")
    client.force_login(moderator)
    page = client.get(reverse("moderation:log")).content.decode()
    for label in ("Hid a post", "Resolved a report: hid it", "Pinned a topic", "Unpinned a topic"):
        assert f">{label}</td>" in page
        assert f">{label}</option>" in page
    for code in ("hide_post", "report_hide", "unpin_topic"):
        assert f">{code}<" not in page


def test_an_action_the_log_does_not_know_still_reads_as_words():
    assert ModerationLogEntry.label_for("archive_thread") == "Archive thread"
    assert ModerationLogEntry.label_for("warn_member") == "Warned a member"
