"""The demo data: three requests in different states, with offers, a group conversation and one completed
request turned into a draft practice; loading it twice adds nothing."""

import pytest
from django.core.management import call_command

from chat.models import Conversation
from directory.models import Practice
from expertise.models import Offer, SupportRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_in_three_states_with_offers_and_a_practice_and_loads_once():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    states = dict(SupportRequest.objects.values_list("title", "status"))
    assert states == {
        "Peer review of our draft national integration strategy 2027–2031": "open",
        "Study visit on housing for refugees": "matched",
        "Help evaluating our mentoring programme for newcomers": "completed",
    }
    assert Offer.objects.filter(status="pending").count() == 3
    assert Offer.objects.filter(status="accepted").count() == 2
    study_visit = SupportRequest.objects.get(status="matched")
    assert Conversation.objects.get(pk=study_visit.conversation_id).title == "Study visit on housing for refugees"
    completed = SupportRequest.objects.get(status="completed")
    practice = Practice.objects.get(title=completed.title)
    assert practice.status == "draft" and practice.partners.get().name == "Migration Policy Research Institute"
    counts = (SupportRequest.objects.count(), Offer.objects.count(), Practice.objects.count(),
              Conversation.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (SupportRequest.objects.count(), Offer.objects.count(), Practice.objects.count(),
            Conversation.objects.count()) == counts
