"""Forum test data, made through the real services wherever a test does not need thousands of rows."""

import itertools

from django.utils import timezone

from forums import services
from forums.models import Category, Post, Topic
from tests import factories

_slugs = itertools.count(1)


def category(**fields) -> Category:
    n = next(_slugs)
    fields.setdefault("name", f"Category {n}")
    fields.setdefault("slug", f"category-{n}")
    return services.create_category(**fields)


def topic(*, author=None, category_=None, title="Housing for newcomers", body="How do you find flats?",
          language: str = "") -> Topic:
    author = author or factories.UserFactory()
    return services.start_topic(author=author, category=category_ or category(), title=title, body=body,
                                language=language)


def reply(*, topic: Topic, author=None, body="We work with a social letting agency.") -> Post:
    return services.reply_to_topic(author=author or factories.UserFactory(), topic=topic, body=body)


def many_posts(topic: Topic, count: int) -> None:
    """Rows for query-count tests: bulk-created, as the rate limit (rightly) stops one member posting 200 times."""
    authors = [factories.UserFactory() for _ in range(3)]
    now = timezone.now()
    Post.objects.bulk_create([
        Post(topic=topic, author=authors[i % 3], body=f"Reply {i}", body_html=f"<p>Reply {i}</p>",
             references=[{"kind": "Organisation", "title": "Org", "url": "/organisations/org/", "meta": ""}])
        for i in range(count)])
    Topic.objects.filter(pk=topic.pk).update(last_post_at=now, reply_count=topic.posts.count() - 1)
