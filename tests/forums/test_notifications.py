"""Who is told of what: watchers of topics and categories, mentioned members, quoted authors — once each,
and only members who may read the category. The telling is a job run when the post's transaction commits
(forums.tasks), so these tests commit for real."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from forums import services
from forums.text import handle_of
from tests import factories
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db(transaction=True)


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_author_of_a_topic_is_told_of_replies_but_not_of_their_own(member, public_category):
    topic = forum.topic(category_=public_category, author=member)
    forum.reply(topic=topic)
    forum.reply(topic=topic, author=member, body="Thanks!")
    assert kinds(member) == ["forums.reply"]


def test_watching_and_unwatching_a_topic(client, member, public_category):
    topic = forum.topic(category_=public_category)
    client.force_login(member)
    client.post(reverse("forums:watch", args=["topic", topic.pk]), {"watching": "1"})
    forum.reply(topic=topic)
    assert kinds(member) == ["forums.reply"]
    client.post(reverse("forums:watch", args=["topic", topic.pk]), {"watching": "0"})
    forum.reply(topic=topic)
    assert kinds(member) == ["forums.reply"]


def test_watching_a_category_tells_of_new_topics(client, member, public_category):
    client.force_login(member)
    client.post(reverse("forums:watch", args=["category", public_category.pk]), {"watching": "1"})
    topic = forum.topic(category_=public_category, title="Health mediators")
    note = Notification.objects.get(recipient=member)
    assert note.kind == "forums.new_topic" and "Health mediators" in note.title
    assert note.url == reverse("forums:post", args=[topic.posts.get().pk])


def test_a_mention_by_handle_notifies_and_links_the_member(member, public_category):
    post = forum.topic(category_=public_category, body=f"What do you think, @{handle_of(member)}?").posts.get()
    assert kinds(member) == ["forums.mention"]
    assert f'href="/people/{member.pk}/"' in post.body_html


def test_a_handle_keeps_working_after_the_member_changes_their_name(member, public_category):
    old = handle_of(member)
    member.full_name = "Mia Newname"
    member.save()
    forum.topic(category_=public_category, body=f"Hi @{old}")
    assert kinds(member) == ["forums.mention"]


def test_quoting_a_post_tells_its_author(member, outsider, public_category):
    topic = forum.topic(category_=public_category, author=outsider, body="Guarantee funds work")
    quoted = topic.posts.get()
    services.reply_to_topic(author=member, topic=topic, body=(
        f"> **Otto** [wrote](/forums/posts/{quoted.pk}/):\n> Guarantee funds work\n\nAgreed."))
    assert kinds(outsider) == ["forums.quote"]  # not also "reply": once, with the most specific reason


def test_a_member_who_cannot_read_the_category_is_not_told(member, municipal_category, municipal_member):
    forum.topic(category_=municipal_category, author=municipal_member, body=f"Ask @{handle_of(member)}")
    assert kinds(member) == []


def test_notifications_go_by_email_as_the_member_prefers(django_capture_on_commit_callbacks, member, outsider,
                                                         public_category):
    outsider.email_notifications = "none"
    outsider.save()
    topic = forum.topic(category_=public_category, author=member)
    services.set_watching(user=outsider, topic=topic, watching=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        forum.reply(topic=topic)
    assert kinds(outsider) == ["forums.reply"] and kinds(member) == ["forums.reply"]
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_each_notification_mails_at_once_after_commit(django_capture_on_commit_callbacks, member, public_category):
    topic = forum.topic(category_=public_category, author=member)
    with django_capture_on_commit_callbacks(execute=True):
        forum.reply(topic=topic, author=factories.UserFactory(full_name="Rita Replier"))
    assert [m.subject.endswith(f"Rita Replier replied to “{topic.title}”") for m in mail.outbox] == [True]
    assert mail.outbox[0].to == [member.email]


def test_a_profile_shows_the_members_mention_handle(client, member):
    page = client.get(reverse("accounts:profile", args=[member.pk])).content.decode()
    assert f"@{handle_of(member)}" in page and handle_of(member) == f"mia-member-{member.pk}"


def test_a_mention_of_no_such_member_stays_plain_text_and_notifies_nobody(public_category):
    post = forum.topic(category_=public_category, body="Thanks @nobody-here-999999").posts.get()
    assert "href" not in post.body_html and not Notification.objects.exists()
