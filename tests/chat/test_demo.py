import pytest
from django.core.management import call_command

from chat.models import Conversation, Message

pytestmark = pytest.mark.django_db


def test_demo_conversations_span_cities_and_a_second_load_adds_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    group = Conversation.objects.get(kind="group", title="Youth participation network")
    assert group.participants.count() >= 4 and group.messages.count() >= 3
    assert Conversation.objects.filter(kind="direct").count() >= 3
    counts = (Conversation.objects.count(), Message.objects.count())

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Conversation.objects.count(), Message.objects.count()) == counts
