"""Offers on behalf of an organisation; accepting opens one group conversation titled after the request and
moves it to matched; declining tells the offerer politely; the outcome can become a draft good practice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chat.models import Conversation, Participant
from directory.models import Practice
from expertise import services
from expertise.models import Offer
from tests.expertise.factories import make_offer, make_request, member_of

pytestmark = pytest.mark.django_db


def test_an_offer_tells_the_requesting_organisation_and_is_one_per_organisation():
    request = make_request()
    colleague = member_of(request.organisation)
    offer = make_offer(request)
    assert colleague.notifications.filter(kind="expertise.offer", url=request.get_absolute_url()).exists()
    with pytest.raises(ValidationError) as error:
        make_offer(request, organisation=offer.organisation)
    assert "organisation" in error.value.message_dict


def test_accepting_opens_a_group_conversation_with_the_people_involved_titled_after_the_request(client):
    request = make_request(title="Study visit on housing for refugees")
    offer = make_offer(request)
    client.force_login(request.author)
    response = client.post(f"/expertise/offers/{offer.pk}/accept/")
    request.refresh_from_db()
    conversation = Conversation.objects.get()
    assert response.url == conversation.get_absolute_url() == request.conversation_url
    assert conversation.title == "Study visit on housing for refugees" and conversation.kind == "group"
    assert set(Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True)) == {
        request.author_id, offer.author_id}
    assert request.status == "matched"
    note = offer.author.notifications.get(kind="expertise.offer_accepted")
    assert note.url == conversation.get_absolute_url()


def test_a_second_accepted_offer_joins_the_same_conversation_and_accepting_twice_opens_nothing_new():
    request = make_request()
    first, second = make_offer(request), make_offer(request)
    services.accept_offer(actor=request.author, offer=first)
    services.accept_offer(actor=request.author, offer=first)
    services.accept_offer(actor=request.author, offer=second)
    conversation = Conversation.objects.get()
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        request.author_id, first.author_id, second.author_id}
    request.refresh_from_db()
    assert request.status == "matched"
    assert request.transitions.filter(to_status="matched").count() == 2  # the move, then the second acceptance


def test_declining_tells_the_offerer_politely_and_a_declined_offer_cannot_be_accepted():
    request = make_request()
    offer = make_offer(request)
    services.decline_offer(actor=request.author, offer=offer)
    note = offer.author.notifications.get(kind="expertise.offer_declined")
    assert note.body.startswith("Thank you for offering to help.")
    with pytest.raises(ValidationError):
        services.accept_offer(actor=request.author, offer=offer)
    assert not Conversation.objects.exists()
    other = make_offer(request)
    services.decline_offer(actor=request.author, offer=other, note="We found help nearer home, thank you!")
    assert other.author.notifications.get(kind="expertise.offer_declined").body == (
        "We found help nearer home, thank you!")


def test_only_the_requesting_organisation_accepts_and_a_member_cannot_offer_on_their_own_request():
    request = make_request()
    offer = make_offer(request)
    with pytest.raises(PermissionDenied):
        services.accept_offer(actor=offer.author, offer=offer)
    with pytest.raises(PermissionDenied):
        make_offer(request, author=member_of(request.organisation), organisation=request.organisation)
    assert Offer.objects.get(pk=offer.pk).status == "pending"


def test_the_outcome_becomes_a_draft_practice_with_the_helper_as_partner_and_replicated_in_filled():
    request = make_request(status="open", city="Porto", topics=["housing"])
    offer = make_offer(request)
    services.accept_offer(actor=request.author, offer=offer)
    services.complete_request(actor=request.author, request=request, what_was_done="A study visit to Lyon.",
                              what_changed="A new allocation rule.", links="https://example.org/report")
    url = services.draft_practice_from_outcome(actor=request.author, request=request)
    practice = Practice.objects.get()
    assert url == practice.get_absolute_url()
    assert practice.status == "draft" and practice.organisation == request.organisation
    assert list(practice.partners.all()) == [offer.organisation]
    assert practice.replications.get().place == "Porto"
    assert [t.slug for t in practice.topics.all()] == ["housing"]
    with pytest.raises(ValidationError):
        services.draft_practice_from_outcome(actor=request.author, request=request)


def test_an_outcome_with_a_bad_link_is_refused_and_the_request_stays_as_it_was():
    request = make_request(status="matched")
    with pytest.raises(ValidationError) as error:
        services.complete_request(actor=request.author, request=request, what_was_done="Done.",
                                  links="javascript:alert(1)")
    assert "links" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == "matched"


def test_everyone_who_sees_the_request_sees_how_many_offers_came_but_not_what_they_say(client):
    request = make_request(visibility="public")
    make_offer(request, proposal="Our secret proposal.")
    make_offer(request)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "2 offers of help received so far." in page and "Our secret proposal." not in page
