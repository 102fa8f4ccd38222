"""The forum API reads under the same permissions as the pages and writes through the same services."""

import pytest
from django.urls import reverse

from forums import services
from forums.models import Topic
from tests.errors import error_fields
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


def test_a_visitor_reads_public_categories_topics_and_posts_only(client, public_category, members_category):
    topic = forum.topic(category_=public_category, title="Public topic")
    forum.topic(category_=members_category, title="Members topic")
    slugs = [c["slug"] for c in client.get(reverse("api-forum-categories")).json()]
    assert slugs == [public_category.slug]
    assert client.get(reverse("api-forum-topics", args=[members_category.slug])).status_code == 404
    topics = client.get(reverse("api-forum-topics", args=[public_category.slug])).json()["results"]
    titles = [t["title"] for t in topics]
    assert titles == ["Public topic"]
    posts = client.get(reverse("api-forum-posts", args=[topic.pk])).json()["results"]
    assert posts[0]["body_html"] == "<p>How do you find flats?</p>"


def test_a_member_starts_a_topic_and_replies_through_the_api(client, member, public_category):
    client.force_login(member)
    response = client.post(reverse("api-forum-topics", args=[public_category.slug]),
                           {"title": "Welcome classes", "body": "Direct placement or not?"},
                           content_type="application/json")
    assert response.status_code == 201
    topic = Topic.objects.get(pk=response.json()["id"])
    response = client.post(reverse("api-forum-posts", args=[topic.pk]), {"body": "Direct, with support"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["body_html"] == "<p>Direct, with support</p>"


def test_hidden_posts_come_without_text_except_for_moderators(client, member, moderator, public_category):
    topic = forum.topic(category_=public_category)
    post = forum.reply(topic=topic, body="Spam spam")
    services.hide_post(moderator=moderator, post=post, reason="Spam")
    client.force_login(member)
    hidden = client.get(reverse("api-forum-posts", args=[topic.pk])).json()["results"][1]
    assert hidden["status"] == "hidden" and hidden["body_html"] is None
    client.force_login(moderator)
    assert client.get(reverse("api-forum-posts", args=[topic.pk])).json()["results"][1]["body_html"]


def test_a_member_outside_a_restricted_category_cannot_post_there_by_api(client, member, municipal_category,
                                                                        municipal_member):
    topic = forum.topic(category_=municipal_category, author=municipal_member)
    client.force_login(member)
    assert client.post(reverse("api-forum-topics", args=[municipal_category.slug]), {"title": "x", "body": "y"},
                       content_type="application/json").status_code == 404
    assert client.post(reverse("api-forum-posts", args=[topic.pk]), {"body": "y"},
                       content_type="application/json").status_code == 404


def test_posting_where_only_moderators_may_answers_403(client, member):
    announcements = forum.category(name="Announcements", start_topics="moderators")
    client.force_login(member)
    response = client.post(reverse("api-forum-topics", args=[announcements.slug]), {"title": "x", "body": "y"},
                           content_type="application/json")
    assert response.status_code == 403


def test_api_search_is_restricted_like_the_page(client, member, public_category, municipal_category,
                                                municipal_member):
    forum.topic(category_=public_category, title="Interpreters", body="public interpreters")
    forum.topic(category_=municipal_category, author=municipal_member, title="Interpreters budget",
                body="secret interpreters")
    client.force_login(member)
    data = client.get(reverse("api-forum-search") + "?q=interpreters").json()
    assert [t["title"] for t in data["topics"]] == ["Interpreters"]
    assert [p["topic_title"] for p in data["posts"]] == ["Interpreters"]
    assert error_fields(client.get(reverse("api-forum-search"))) == {"q": ["Enter words to search for."]}
