"""A request moves draft → open → matched → in progress → completed, or closed; every move is logged and
any other move is refused."""

import pytest
from django.core.exceptions import ValidationError

from expertise import services
from expertise.models import SupportRequest
from tests.expertise.factories import make_offer, make_request

pytestmark = pytest.mark.django_db


def test_a_request_goes_through_its_states_and_each_change_is_logged_with_who_and_why():
    request = make_request(status="draft")
    author = request.author
    assert request.status == "draft" and request.published_at is None
    request = services.publish_request(actor=author, request=request)
    assert request.status == "open" and request.published_at is not None
    offer = make_offer(request)
    services.accept_offer(actor=author, offer=offer)
    request.refresh_from_db()
    assert request.status == "matched"
    services.change_status(actor=author, request=request, to_status="in-progress")
    services.complete_request(actor=author, request=request, what_was_done="Two workshops with the ministry.")
    request.refresh_from_db()
    assert request.status == "completed"
    log = [(t.from_status, t.to_status, t.actor_id) for t in request.transitions.all()]
    assert log == [("", "draft", author.pk), ("draft", "open", author.pk), ("open", "matched", author.pk),
                   ("matched", "in-progress", author.pk), ("in-progress", "completed", author.pk)]
    assert offer.organisation.name in request.transitions.get(to_status="matched").reason


@pytest.mark.parametrize(("status", "to_status"), [
    ("draft", "in-progress"), ("draft", "closed"), ("open", "in-progress"), ("closed", "in-progress"),
    ("completed", "closed"), ("completed", "in-progress"), ("in-progress", "in-progress"),
])
def test_the_state_machine_refuses_invalid_moves_and_changes_nothing(status, to_status):
    request = make_request(status=status)
    logged = request.transitions.count()
    with pytest.raises(ValidationError):
        services.change_status(actor=request.author, request=request, to_status=to_status, reason="Because.")
    request.refresh_from_db()
    assert request.status == status
    assert request.transitions.count() == logged


def test_completion_matching_and_publishing_only_go_through_their_own_actions():
    request = make_request(status="matched")
    for to_status in ("completed", "matched", "open"):
        with pytest.raises(ValidationError):
            services.change_status(actor=request.author, request=request, to_status=to_status)


def test_a_published_request_cannot_be_published_again_nor_a_completed_one_completed_again():
    request = make_request(status="open")
    with pytest.raises(ValidationError):
        services.publish_request(actor=request.author, request=request)
    done = make_request(status="completed")
    with pytest.raises(ValidationError):
        services.complete_request(actor=done.author, request=done, what_was_done="Again.")


def test_closing_needs_a_reason_and_tells_the_pending_offerers():
    request = make_request(status="open")
    offer = make_offer(request)
    with pytest.raises(ValidationError) as error:
        services.change_status(actor=request.author, request=request, to_status="closed", reason="  ")
    assert "reason" in error.value.message_dict
    services.change_status(actor=request.author, request=request, to_status="closed", reason="Budget cut.")
    offer.refresh_from_db()
    assert offer.status == "declined"
    assert offer.author.notifications.filter(kind="expertise.request_closed").exists()
    assert SupportRequest.objects.get(pk=request.pk).transitions.last().reason == "Budget cut."
