"""Every moderator action does what it says and writes its log entry; only the right moderators may act."""


import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forums import services
from forums.models import Post, Topic
from moderation import services as moderation_services
from moderation.models import ModerationLogEntry
from tests import factories
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


def test_hiding_a_post_shows_it_hidden_to_members_and_in_full_to_moderators(client, topic, moderator, outsider):
    post = topic.posts.order_by("created_at")[1]
    services.hide_post(moderator=moderator, post=post, reason="Off-topic advertising")
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    entry = _entry("hide_post")
    assert (entry.moderator, entry.member, entry.reason) == (moderator, post.author, "Off-topic advertising")
    assert entry.scope == topic.category
    client.force_login(outsider)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "This post is hidden by a moderator." in page and "First reply" not in page
    client.force_login(moderator)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "First reply" in page and "Off-topic advertising" in page
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_unhiding_restores_the_post_and_is_logged(topic, moderator):
    post = topic.posts.order_by("created_at")[1]
    services.hide_post(moderator=moderator, post=post, reason="Check")
    services.unhide_post(moderator=moderator, post=post, reason="Checked, fine")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and _entry("unhide_post").reason == "Checked, fine"


def test_pin_unpin_lock_and_unlock_are_logged(topic, moderator):
    services.set_topic_pinned(moderator=moderator, topic=topic, pinned=True, reason="Useful")
    services.set_topic_pinned(moderator=moderator, topic=topic, pinned=False)
    services.set_topic_locked(moderator=moderator, topic=topic, locked=True, reason="Heated")
    topic.refresh_from_db()
    assert topic.is_locked and not topic.is_pinned
    services.set_topic_locked(moderator=moderator, topic=topic, locked=False)
    assert {e.action for e in ModerationLogEntry.objects.all()} == {"pin_topic", "unpin_topic", "lock_topic",
                                                                    "unlock_topic"}


def test_a_locked_topic_takes_no_replies_from_members_but_from_moderators(topic, moderator, outsider):
    services.set_topic_locked(moderator=moderator, topic=topic, locked=True)
    with pytest.raises(PermissionDenied, match="locked"):
        services.reply_to_topic(author=outsider, topic=topic, body="One more thing")
    services.reply_to_topic(author=moderator, topic=topic, body="Closing note from the moderators")


def test_moving_a_topic_needs_moderation_of_both_categories(topic, moderator, category_moderator):
    other = forum.category(name="Housing policy")
    with pytest.raises(PermissionDenied):
        services.move_topic(moderator=category_moderator, topic=topic, category=other)
    services.move_topic(moderator=moderator, topic=topic, category=other, reason="Fits better")
    topic.refresh_from_db()
    assert topic.category == other
    assert _entry("move_topic").details == {"from": "Housing", "to": "Housing policy"}


def test_merging_moves_every_post_in_time_order_and_deletes_the_source(topic, moderator, public_category):
    duplicate = forum.topic(category_=public_category, title="Shared flats again", body="Duplicate question")
    services.merge_topics(moderator=moderator, source=duplicate, target=topic, reason="Duplicate")
    duplicate.refresh_from_db()
    assert duplicate.status == Topic.Status.DELETED
    bodies = list(topic.posts.order_by("created_at", "id").values_list("body", flat=True))
    assert bodies[-1] == "Duplicate question" and len(bodies) == 4
    topic.refresh_from_db()
    assert topic.reply_count == 3
    assert _entry("merge_topics").details["merged_topic"] == duplicate.pk


def test_splitting_moves_chosen_posts_into_a_new_topic(topic, moderator):
    third = topic.posts.order_by("created_at")[2]
    new = services.split_posts(moderator=moderator, topic=topic, post_ids=[third.pk], title="A side question",
                               reason="Separate subject")
    assert list(new.posts.values_list("body", flat=True)) == ["Second reply"]
    assert new.category == topic.category and new.author == third.author
    topic.refresh_from_db()
    assert topic.reply_count == 1
    assert _entry("split_topic").details["into"] == new.pk


def test_the_first_post_cannot_be_split_off(topic, moderator):
    with pytest.raises(ValidationError):
        services.split_posts(moderator=moderator, topic=topic, post_ids=[topic.posts.earliest("created_at").pk],
                             title="x")


def test_a_moderator_edits_any_post_with_a_reason_kept_in_history_and_log(client, topic, moderator, outsider):
    post = topic.posts.earliest("created_at")
    with pytest.raises(ValidationError):
        services.edit_post(editor=moderator, post=post, body="Cleaned text")
    services.edit_post(editor=moderator, post=post, body="Cleaned text", reason="Removed a phone number")
    post.refresh_from_db()
    assert post.body == "Cleaned text" and post.edited_by == moderator
    assert _entry("edit_post").reason == "Removed a phone number"
    client.force_login(moderator)
    history = client.get(reverse("forums:post-history", args=[post.pk])).content.decode()
    assert "-How do you find flats?" in history and "+Cleaned text" in history
    client.force_login(outsider)
    assert "edited" in client.get(topic.get_absolute_url()).content.decode()
    assert client.get(reverse("forums:post-history", args=[post.pk])).status_code == 403


def test_a_moderator_deletes_a_post_softly_with_a_logged_reason(client, topic, moderator, outsider):
    post = topic.posts.order_by("created_at")[2]
    services.delete_post(actor=moderator, post=post, reason="Personal attack")
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED and Post.objects.filter(pk=post.pk).exists()
    assert _entry("delete_post").member == post.author
    client.force_login(outsider)
    assert "This post was deleted." in client.get(topic.get_absolute_url()).content.decode()


def test_deleting_a_topics_first_post_deletes_the_topic(topic, moderator):
    services.delete_post(actor=moderator, post=topic.posts.earliest("created_at"), reason="Spam topic")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.DELETED and _entry("delete_topic")


def test_a_member_deleting_their_own_post_is_not_a_moderation_action(topic):
    post = topic.posts.order_by("created_at")[1]
    services.delete_post(actor=post.author, post=post)
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED and not ModerationLogEntry.objects.exists()


def test_a_moderator_of_another_category_cannot_hide_pin_or_edit_here(topic, other_category_moderator):
    post = topic.posts.earliest("created_at")
    for call in (lambda: services.hide_post(moderator=other_category_moderator, post=post, reason="x"),
                 lambda: services.set_topic_pinned(moderator=other_category_moderator, topic=topic, pinned=True),
                 lambda: services.edit_post(editor=other_category_moderator, post=post, body="x", reason="x")):
        with pytest.raises(PermissionDenied):
            call()
    assert not ModerationLogEntry.objects.exists()


def test_a_category_moderator_hides_posts_in_their_category(topic, category_moderator):
    services.hide_post(moderator=category_moderator, post=topic.posts.earliest("created_at"), reason="Spam")
    assert _entry("hide_post").moderator == category_moderator


def test_a_new_members_first_post_is_held_where_the_category_asks_and_approval_publishes_it(
        client, moderator, outsider):
    category = forum.category(name="Careful", hold_first_posts=True)
    newcomer = factories.UserFactory()
    topic = services.start_topic(author=newcomer, category=category, title="Hello", body="My first post")
    assert topic.status == Topic.Status.PENDING
    client.force_login(outsider)
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    assert "My first post" in client.get(reverse("moderation:queue")).content.decode()
    services.approve_post(moderator=moderator, post=topic.posts.get())
    topic.refresh_from_db()
    assert topic.status == Topic.Status.PUBLISHED and _entry("approve_post")
    assert newcomer.notifications.filter(kind="forums.approved").exists()
    client.force_login(outsider)
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_rejecting_a_held_post_tells_the_member_why(moderator):
    category = forum.category(name="Careful", hold_first_posts=True)
    newcomer = factories.UserFactory()
    topic = services.start_topic(author=newcomer, category=category, title="Buy now", body="Spam")
    services.reject_post(moderator=moderator, post=topic.posts.get(), reason="Advertising")
    assert newcomer.notifications.get(kind="forums.rejected").title.endswith("Advertising")
    assert _entry("reject_post").reason == "Advertising"


def test_pinning_from_the_topic_page_records_the_reason(client, topic, moderator):
    client.force_login(moderator)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Moderator tools" in page
    client.post(reverse("forums:topic-moderate", args=[topic.pk, "pin"]), {"reason": "Good overview"})
    assert _entry("pin_topic").reason == "Good overview"


def test_open_reports_follow_their_posts_into_another_category(topic, moderator, member):
    post = topic.posts.order_by("created_at")[1]
    report = moderation_services.file_report(reporter=member, target=post, reason="Off-topic")
    elsewhere = forum.topic(category_=forum.category(name="Elsewhere"))
    services.split_posts(moderator=moderator, topic=topic, post_ids=[post.pk], into=elsewhere)
    report.refresh_from_db()
    assert report.scope == elsewhere.category
