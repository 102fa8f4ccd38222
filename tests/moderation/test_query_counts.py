"""The queue (reports of every kind, and the held forum posts) and the log keep a fixed number of queries."""

import pytest
from django.urls import reverse

from forums import services as forum_services
from moderation import services
from tests import factories
from tests.forums import factories as forum
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_the_moderation_queue_and_log_keep_their_query_count(client, moderator, public_category):
    client.force_login(moderator)

    def add(n):
        for _ in range(n):
            topic = forum.topic(category_=public_category)
            services.file_report(reporter=forum.topic(category_=public_category).author, target=topic.posts.get(),
                                 reason="Spam")
            forum_services.set_topic_pinned(moderator=moderator, topic=topic, pinned=True, reason="Useful")
            profile = factories.UserFactory()
            services.file_report(reporter=factories.UserFactory(), target=profile, reason="Impersonation")
            services.warn_member(moderator=moderator, member=profile, reason="Use your own name")

    assert_queries_do_not_grow(client, reverse("moderation:queue"), add)
    assert_queries_do_not_grow(client, reverse("moderation:log"), add)
