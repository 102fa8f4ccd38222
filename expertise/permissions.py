"""Who may do what with support requests and offers; used by views, the API and the services alike.

- The requesting organisation's active members manage its requests (edit, publish, invite, accept,
  decline, complete, close). Everyone else sees a request once it is published: anyone when it is
  public, signed-in members when it is for members. A hidden request only to its managers and moderators.
- A member of another organisation offers help on its behalf; an offer is seen by the requesting
  organisation's members and by the member who made it, by no one else.
- Moderators hide and unhide requests.
"""

from accounts.models import Membership, Organisation
from accounts.permissions import AnyUser
from expertise.models import Offer, SupportRequest
from moderation.permissions import is_moderator

OFFERABLE = (SupportRequest.Status.OPEN, SupportRequest.Status.MATCHED, SupportRequest.Status.IN_PROGRESS)


def organisation_ids(user: AnyUser) -> frozenset[int]:
    """The organisations the user actively belongs to; remembered on the user object for one request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_expertise_organisation_ids", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
                           .values_list("organisation_id", flat=True))
        user._expertise_organisation_ids = cached
    return cached


def can_act(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and not user.is_silenced


def can_request_for(user: AnyUser, organisation: Organisation) -> bool:
    return can_act(user) and organisation.pk in organisation_ids(user)


def can_manage(user: AnyUser, request: SupportRequest) -> bool:
    return can_act(user) and request.organisation_id in organisation_ids(user)


def can_view(user: AnyUser, request: SupportRequest) -> bool:
    if user.is_authenticated and request.organisation_id in organisation_ids(user):
        return True
    if request.status == SupportRequest.Status.DRAFT:
        return False
    if request.hidden:
        return is_moderator(user)
    return request.is_public or user.is_authenticated


def can_offer(user: AnyUser, request: SupportRequest) -> bool:
    """A member of another organisation, while the request takes offers."""
    if not can_act(user) or request.hidden or request.status not in OFFERABLE:
        return False
    mine = organisation_ids(user)
    return bool(mine - {request.organisation_id}) and request.organisation_id not in mine


def can_offer_for(user: AnyUser, request: SupportRequest, organisation: Organisation) -> bool:
    return can_offer(user, request) and organisation.pk in organisation_ids(user)


def can_see_offer(user: AnyUser, offer: Offer) -> bool:
    return user.is_authenticated and (offer.author_id == user.pk
                                      or offer.request.organisation_id in organisation_ids(user))


def can_decide_offer(user: AnyUser, offer: Offer) -> bool:
    return can_manage(user, offer.request)


def can_withdraw_offer(user: AnyUser, offer: Offer) -> bool:
    return can_act(user) and offer.author_id == user.pk and offer.status == Offer.Status.PENDING


def can_hide(user: AnyUser) -> bool:
    return is_moderator(user)


def can_report(user: AnyUser, request: SupportRequest) -> bool:
    """Any member who sees a published request of another organisation."""
    return (can_act(user) and request.status != SupportRequest.Status.DRAFT and not request.hidden
            and request.organisation_id not in organisation_ids(user) and can_view(user, request))


def can_follow_for(user: AnyUser, organisation: Organisation) -> bool:
    """An organisation's follows are set by its administrators."""
    if not can_act(user):
        return False
    return Membership.objects.filter(user=user, organisation=organisation, status=Membership.Status.ACTIVE,
                                     role=Membership.Role.ADMIN).exists()


