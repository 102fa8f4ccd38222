"""Builders for the expertise exchange's tests: requests in any state and offers, made through the services."""

from accounts.models import Organisation, User
from core.models import PolicyArea, Topic
from expertise import services
from expertise.models import Offer, SupportRequest
from tests import factories

REQUEST_FIELDS = {
    "title": "Peer review of our draft integration strategy",
    "kind": "peer-review",
    "needs": "We are drafting a **national integration strategy** and would like peers to review it.",
    "country": "PT",
    "level": "national",
    "city": "",
    "languages": ["en", "fr"],
    "effort": "days",
    "visibility": "members",
}


def member_of(organisation: Organisation | None = None, *, role: str = "member", **user_fields) -> User:
    user = factories.UserFactory(**user_fields)
    factories.MembershipFactory(user=user, organisation=organisation or factories.OrganisationFactory(), role=role)
    return user


def make_request(*, author: User | None = None, organisation: Organisation | None = None, status: str = "open",
                 topics: list[str] = ("housing",), **fields) -> SupportRequest:
    """A request written by `author` (a new member of a new organisation by default), moved to `status`."""
    if author is None:
        author = member_of(organisation)
    if organisation is None:
        organisation = author.memberships.first().organisation
    request = services.create_request(author=author, organisation=organisation,
                                      topics=list(Topic.objects.filter(slug__in=topics)),
                                      policy_areas=[] if topics else list(PolicyArea.objects.all()[:1]),
                                      **{**REQUEST_FIELDS, **fields})
    if status != "draft":
        request = services.publish_request(actor=author, request=request)
    if status in ("matched", "in-progress", "completed"):
        offer = make_offer(request)
        services.accept_offer(actor=author, offer=offer)
    if status == "in-progress":
        services.change_status(actor=author, request=request, to_status="in-progress")
    if status == "completed":
        services.complete_request(actor=author, request=request, what_was_done="We reviewed the draft together.")
    if status == "closed":
        services.change_status(actor=author, request=request, to_status="closed", reason="No longer needed.")
    return SupportRequest.objects.get(pk=request.pk)


def make_offer(request: SupportRequest, *, author: User | None = None, organisation: Organisation | None = None,
               **fields) -> Offer:
    if author is None:
        author = member_of(organisation)
    if organisation is None:
        organisation = author.memberships.first().organisation
    return services.make_offer(author=author, request=request, organisation=organisation,
                               **{"proposal": "We did this in our city and can share what we learnt.",
                                  "timing": "Two days in March", "language": "en", **fields})
