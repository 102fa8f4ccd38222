"""A message to a group: the request saves it and enqueues one job; the worker tells each offline member
once (never the sender, never a member with a socket open), even when the job runs twice."""

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chat import services
from core.models import Notification
from tests import factories
from tests.chat.helpers import group, say
from tests.core.jobs import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_offline_members_of_a_group_are_told_by_the_worker_once(member, settings, database_tasks):
    settings.TASKS_FANOUT_BATCH = 10
    others = factories.UserFactory.create_batch(30)
    conversation = group(member, *others)
    online = others[0]
    services.open_connection(user=online, channel_name="specific.online-member")

    say(member, conversation, "The meeting moves to Thursday.")
    assert not Notification.objects.exists()  # the request told nobody itself
    run_worker()
    told = Notification.objects.filter(kind="chat.message")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(u.pk for u in others[1:])
    assert "Youth participation network" in told.first().title

    DBTaskResult.objects.update(status=TaskResultStatus.READY)
    run_worker()
    assert told.count() == 29
