"""Against abuse: posting rate limits (stricter for new members), caps on links and mentions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.ratelimit import RateLimited
from forums import services
from forums.models import Post
from tests import factories
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


def test_a_new_member_posts_at_most_the_new_member_rate(public_category):
    newcomer = factories.UserFactory()
    topic = forum.topic(category_=public_category)
    for n in range(services.NEW_MEMBER_RATE.limit):
        forum.reply(topic=topic, author=newcomer, body=f"Reply {n}")
    with pytest.raises(RateLimited):
        forum.reply(topic=topic, author=newcomer, body="One too many")


def test_an_established_member_has_a_wider_limit(public_category):
    regular = factories.UserFactory(date_joined=timezone.now() - timedelta(days=90))
    topic = forum.topic(category_=public_category)
    Post.objects.bulk_create([Post(topic=topic, author=regular, body="old", body_html="<p>old</p>")
                              for _ in range(services.NEW_MEMBER_POSTS)])
    assert not services.is_new_member(regular)
    for n in range(services.NEW_MEMBER_RATE.limit + 1):
        forum.reply(topic=topic, author=regular, body=f"Reply {n}")


def test_a_new_member_may_not_put_many_links_or_mentions_in_a_post(public_category):
    newcomer = factories.UserFactory()
    links = " ".join(f"https://spam{n}.example" for n in range(services.NEW_MEMBER_MAX_LINKS + 1))
    with pytest.raises(ValidationError) as error:
        forum.topic(category_=public_category, author=newcomer, body=links)
    assert "body" in error.value.message_dict
    mentions = " ".join(f"@someone-{n}" for n in range(1, services.NEW_MEMBER_MAX_MENTIONS + 2))
    with pytest.raises(ValidationError):
        forum.topic(category_=public_category, author=newcomer, body=mentions)


def test_the_rate_limit_reaches_the_page_and_the_api_as_a_message(client, public_category):
    newcomer = factories.UserFactory()
    topic = forum.topic(category_=public_category)
    client.force_login(newcomer)
    for n in range(services.NEW_MEMBER_RATE.limit):
        forum.reply(topic=topic, author=newcomer, body=f"Reply {n}")
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "More"})
    assert response.status_code == 200 and "Too many posts: the limit is 10 per hour" in response.content.decode()
    response = client.post(reverse("api-forum-posts", args=[topic.pk]), {"body": "More"},
                           content_type="application/json")
    assert response.status_code == 429
