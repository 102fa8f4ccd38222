"""Hostile input in every forum text field: refused with a message naming the field, or stored and
shown as inert text. Nothing crashes and no script survives."""

import pytest
from django.urls import reverse

from forums import services
from forums.models import Post, Topic
from moderation import services as moderation_services
from moderation.models import Report
from tests.errors import error_fields
from tests.forums import factories as forum
from tests.hostile import ALL_STRINGS, CONTROL_CHARACTERS, LEGITIMATE, OVERLONG, WRONG_TYPES, XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_posting_limit(monkeypatch):
    monkeypatch.setattr(services, "consume", lambda **kwargs: None)


@pytest.mark.parametrize("payload", XSS_PAYLOADS + LEGITIMATE)
def test_titles_and_posts_render_inert_everywhere(client, member, moderator, public_category, payload):
    client.force_login(member)
    response = client.post(reverse("forums:topic-create", args=[public_category.slug]),
                           {"title": f"Title {payload}", "body": f"Body {payload}"})
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert topic.title == " ".join(f"Title {payload}".split())
    forum.reply(topic=topic, body=f"Reply {payload}")
    moderation_services.file_report(reporter=member, target=topic.posts.order_by("id").last(),
                                    reason=f"Reason {payload}")
    pages = [topic.get_absolute_url(), public_category.get_absolute_url(), reverse("forums:categories"),
             reverse("forums:unread"), reverse("forums:search") + "?q=Title", reverse("core:home"),
             reverse("forums:search") + f"?q={payload[:100]}"]
    for url in pages:
        assert_inert(client.get(url).content.decode())
    client.force_login(moderator)
    for url in (reverse("moderation:queue"), reverse("moderation:report-resolve", args=[Report.objects.get().pk])):
        assert_inert(client.get(url).content.decode())
    if payload in LEGITIMATE:
        assert payload in topic.posts.order_by("id").first().body


@pytest.mark.parametrize("payload", CONTROL_CHARACTERS)
def test_control_characters_are_stripped_from_titles_and_posts(member, public_category, payload):
    topic = forum.topic(author=member, category_=public_category, title=payload, body=payload)
    for value in (topic.title, topic.posts.get().body):
        assert not any(ord(ch) < 32 for ch in value if ch not in "\n\t")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", OVERLONG, "at most 200 characters"), ("body", OVERLONG, "at most 20000 characters"),
    ("title", "   ", "This field is required."), ("body", "\x07\x1b", "Enter the text.")])
def test_overlong_or_empty_text_is_refused_naming_the_field_and_keeps_the_rest(client, member, public_category,
                                                                               field, value, message):
    client.force_login(member)
    data = {"title": "Housing", "body": "Our experience", field: value}
    response = client.post(reverse("forums:topic-create", args=[public_category.slug]), data)
    assert response.status_code == 200 and not Topic.objects.exists()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    other = "body" if field == "title" else "title"
    assert form[other].value() == data[other]


@pytest.mark.parametrize("value", WRONG_TYPES)
def test_the_api_refuses_wrong_types_naming_the_field(client, member, public_category, value):
    client.force_login(member)
    response = client.post(reverse("api-forum-topics", args=[public_category.slug]),
                           {"title": value, "body": value}, content_type="application/json")
    assert response.status_code in (201, 400)
    if response.status_code == 400:
        assert set(error_fields(response)) <= {"title", "body"}
    topic = forum.topic(category_=public_category)
    response = client.post(reverse("api-forum-posts", args=[topic.pk]), {"body": value},
                           content_type="application/json")
    assert response.status_code in (201, 400)
    if response.status_code == 400:
        assert "body" in error_fields(response)


@pytest.mark.parametrize("payload", ALL_STRINGS)
def test_hostile_reasons_for_moderation_are_inert_in_the_log(client, moderator, public_category, payload):
    topic = forum.topic(category_=public_category)
    post = topic.posts.get()
    client.force_login(moderator)
    response = client.post(reverse("forums:post-moderate", args=[post.pk, "hide"]), {"reason": payload})
    if response.status_code == 200:
        assert "reason" in response.context["form"].errors
        return
    assert Post.objects.get(pk=post.pk).status == "hidden"
    assert_inert(client.get(reverse("moderation:log")).content.decode())
    assert_inert(client.get(topic.get_absolute_url()).content.decode())


def test_a_hostile_edit_is_inert_in_the_history_diff(client, member, moderator, public_category):
    post = forum.topic(author=member, category_=public_category).posts.get()
    for payload in XSS_PAYLOADS:
        services.edit_post(editor=member, post=post, body=f"Edited {payload}")
    client.force_login(moderator)
    assert_inert(client.get(reverse("forums:post-history", args=[post.pk])).content.decode())
