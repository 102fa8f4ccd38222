"""Two offers accepted at the same moment open one conversation, and a double acceptance of one offer
opens nothing twice: the request's row lock serialises them (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from chat.models import Conversation
from expertise import services
from expertise.models import SupportRequest
from tests.expertise.factories import make_offer, make_request, member_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _accept_all_at_once(pairs) -> list[BaseException]:
    start = threading.Barrier(len(pairs))
    failures: list[BaseException] = []

    def accept(actor, offer) -> None:
        try:
            start.wait()
            services.accept_offer(actor=actor, offer=offer)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_two_offers_accepted_concurrently_open_one_conversation_with_everyone_in_it():
    request = make_request()
    colleague = member_of(request.organisation)
    first, second = make_offer(request), make_offer(request)
    assert _accept_all_at_once([(request.author, first), (colleague, second)]) == []
    conversation = Conversation.objects.get()
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        request.author_id, colleague.pk, first.author_id, second.author_id}
    request = SupportRequest.objects.get(pk=request.pk)
    assert request.conversation_id == conversation.pk and request.status == "matched"
    assert request.transitions.filter(from_status="open", to_status="matched").count() == 1


def test_the_same_offer_accepted_twice_at_once_opens_one_conversation_and_tells_the_offerer_once():
    request = make_request()
    colleague = member_of(request.organisation)
    offer = make_offer(request)
    assert _accept_all_at_once([(request.author, offer), (colleague, offer)]) == []
    assert Conversation.objects.count() == 1
    assert offer.author.notifications.filter(kind="expertise.offer_accepted").count() == 1
