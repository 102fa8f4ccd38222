"""Telling every watcher is a job: the post's request stays the same size however many watch, and the
worker notifies each watcher once, in batches, even when its jobs run twice."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import Notification
from forums import services
from forums.models import Watch
from forums.text import handle_of
from tests import factories
from tests.core.jobs import run_worker
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db(transaction=True)


def _watched_category(watchers: int):
    category = forum.category()
    people = factories.UserFactory.create_batch(watchers, email_notifications="each")
    Watch.objects.bulk_create([Watch(user=user, category=category) for user in people])
    return category, people


def _start_topic_queries(category, author) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.start_topic(author=author, category=category, title="Rent guarantees", body="Who offers them?")
    return len(queries)


def test_a_new_topic_in_a_category_watched_by_250_notifies_each_once_from_the_worker(settings, database_tasks):
    settings.TASKS_FANOUT_BATCH = 100
    few_category, _ = _watched_category(2)
    category, people = _watched_category(250)
    author = factories.UserFactory()
    _start_topic_queries(forum.category(), author)  # a first post costs more checks than later ones
    few = _start_topic_queries(few_category, author)
    many = _start_topic_queries(category, author)
    assert many == few, f"250 watchers cost {many} queries, 2 cost {few}"
    assert not Notification.objects.filter(kind="forums.new_topic").exists()  # nothing yet: the worker tells

    run_worker()
    told = Notification.objects.filter(kind="forums.new_topic", recipient__in=people)
    assert told.count() == 250
    addresses = {p.email for p in people}
    assert sorted(m.to[0] for m in mail.outbox if m.to[0] in addresses) == sorted(addresses)

    DBTaskResult.objects.update(status=TaskResultStatus.READY)  # every job runs again
    run_worker()
    assert told.count() == 250
    assert len([m for m in mail.outbox if m.to[0] in addresses]) == 250


def test_a_mentioned_watcher_is_told_once_with_the_mention(database_tasks):
    category, (watcher,) = _watched_category(1)
    services.start_topic(author=factories.UserFactory(), category=category, title="Language classes",
                         body=f"@{handle_of(watcher)} what do you think?")
    run_worker()
    assert list(Notification.objects.filter(recipient=watcher).values_list("kind", flat=True)) == ["forums.mention"]
