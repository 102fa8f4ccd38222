"""Every read of the expertise exchange with its rules: who sees which request and which offer, lists,
suggestions from the matching engine, history, and the counts other pages show."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from accounts.matching import Suggestion, rank
from accounts.models import Membership, Organisation, User
from accounts.permissions import AnyUser
from core import search
from core.extensions import SUPPORT, Need
from expertise import permissions
from expertise.models import Follow, Invitation, Offer, RequestTransition, SupportRequest
from moderation.permissions import is_moderator

Status = SupportRequest.Status
Params = Mapping[str, str]
MAX_QUERY_LENGTH = 200
SUGGESTIONS = 8
LIVE = (Status.OPEN, Status.MATCHED, Status.IN_PROGRESS)


def query_text(params: Params) -> str:
    raw = params.get("q", "")
    if not isinstance(raw, str):
        return ""
    return " ".join("".join(c for c in raw if c.isprintable()).split())[:MAX_QUERY_LENGTH]


def requests_visible_to(user: AnyUser) -> QuerySet[SupportRequest]:
    """Published requests the user may see (public ones to visitors), and every request of their organisations."""
    shown = ~Q(status=Status.DRAFT)
    if not is_moderator(user):
        shown &= Q(hidden=False)
    if not user.is_authenticated:
        shown &= Q(visibility=SupportRequest.Visibility.PUBLIC)
    own = Q(organisation_id__in=permissions.organisation_ids(user))
    return SupportRequest.objects.filter(shown | own)


def _listed(qs: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return qs.select_related("organisation").prefetch_related("policy_areas", "topics")


# The columns the stored vector reads, by weight, as its trigger does (the SQLite fallback reads them).
REQUEST_TEXT = {"A": ["title"], "B": ["needs", "city"]}


def search_requests(qs: QuerySet[SupportRequest], q: str) -> QuerySet[SupportRequest]:
    """Requests in `qs` matching `q`, best first: on PostgreSQL the stored vector (title above the needs and
    city, word for word), on SQLite every word somewhere, folding case and accents (core/search.py)."""
    if not q:
        return qs.order_by("-published_at", "-id")
    return search.ranked(search.matching(qs, q, fallback=REQUEST_TEXT, language_field=None), "-published_at")


def request_list(user: AnyUser, params: Params) -> QuerySet[SupportRequest]:
    """The list page: live requests by default (status=all for every published one); filters by kind, area,
    topic, state, country, requesting organisation, helping organisation and free text."""
    qs = requests_visible_to(user).exclude(status=Status.DRAFT)
    status = params.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    elif status != "all":
        qs = qs.filter(status__in=LIVE)
    if params.get("kind", "") in SupportRequest.Kind.values:
        qs = qs.filter(kind=params["kind"])
    related = SupportRequest.objects.all()
    if params.get("area"):
        related = related.filter(policy_areas__code=str(params["area"])[:40])
    if params.get("topic"):
        related = related.filter(topics__slug=str(params["topic"])[:60])
    if params.get("area") or params.get("topic"):
        qs = qs.filter(pk__in=related.values("pk"))
    if params.get("country"):
        qs = qs.filter(country=str(params["country"])[:2].upper())
    if params.get("organisation"):
        qs = qs.filter(organisation__slug=str(params["organisation"])[:200])
    if params.get("helped_by"):
        qs = qs.filter(pk__in=Offer.objects.filter(organisation__slug=str(params["helped_by"])[:200],
                                                   status=Offer.Status.ACCEPTED).values("request_id"))
    q = query_text(params)
    if q:
        return _listed(search_requests(qs, q))
    return _listed(qs).order_by("-published_at", "-id")


def request_for_page(slug: str) -> QuerySet[SupportRequest]:
    return (SupportRequest.objects.filter(slug=slug).select_related("organisation", "author")
            .prefetch_related("policy_areas", "topics", "attachments"))


def offers_for(request: SupportRequest, user: AnyUser) -> QuerySet[Offer]:
    """All offers for the requesting organisation's members; otherwise only the viewer's own."""
    qs = Offer.objects.filter(request=request).select_related("organisation", "author", "decided_by")
    if permissions.can_manage(user, request) or (user.is_authenticated
                                                 and request.organisation_id in permissions.organisation_ids(user)):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(author=user)


def history(request: SupportRequest) -> QuerySet[RequestTransition]:
    return request.transitions.select_related("actor")


def timeline(request: SupportRequest, offers: list[Offer]) -> list[tuple[str, object]]:
    """The request's history in order: each logged change ("transition", t) and each offer the viewer may see
    ("offer", o), by time."""
    events = [("transition", t) for t in history(request)] + [("offer", o) for o in offers]
    return sorted(events, key=lambda event: (event[1].created_at, event[0] == "transition"))


def offer_count(request: SupportRequest) -> int:
    """How many offers the request has had, withdrawn ones aside: the history says so to everyone."""
    return Offer.objects.filter(request=request).exclude(status=Offer.Status.WITHDRAWN).count()


def public_offer_events(request: SupportRequest) -> list[tuple]:
    """What the request's page says about offers to everyone: how many came, which were accepted (not who
    offered what: an offer's text stays between the two sides)."""
    return list(Offer.objects.filter(request=request, status=Offer.Status.ACCEPTED)
                .select_related("organisation").values_list("organisation__name", "organisation__slug",
                                                            "decided_at"))


def need_of(request: SupportRequest) -> Need:
    """The matching engine's view of a request; expects policy_areas and topics prefetched."""
    return Need(area_ids=frozenset(a.pk for a in request.policy_areas.all()),
                topic_ids=frozenset(t.pk for t in request.topics.all()),
                level=request.level, country=str(request.country), languages=frozenset(request.languages),
                exclude=frozenset({request.organisation_id}))


@dataclass
class PeerSuggestion:
    suggestion: Suggestion
    invited: bool
    offered: bool

    @property
    def organisation(self) -> Organisation:
        return self.suggestion.organisation


def suggestions_for(request: SupportRequest, *, limit: int = SUGGESTIONS) -> list[PeerSuggestion]:
    """The peers the evidence points to, best first, each with why and whether they are invited or offered."""
    found = rank(need_of(request), purpose=SUPPORT, limit=limit)
    ids = [s.organisation.pk for s in found]
    invited = set(Invitation.objects.filter(request=request, organisation_id__in=ids)
                  .values_list("organisation_id", flat=True))
    offered = set(Offer.objects.filter(request=request, organisation_id__in=ids)
                  .values_list("organisation_id", flat=True))
    return [PeerSuggestion(s, s.organisation.pk in invited, s.organisation.pk in offered) for s in found]


def followers_of(request: SupportRequest) -> tuple[list[int], list[int]]:
    """The ids of who follows the request's areas or topics: (also by e-mail, in the app only).

    Members follow for themselves; an organisation's follow reaches its active members. The
    requesting organisation's own members are left out.
    """
    area_ids = list(request.policy_areas.values_list("pk", flat=True))
    topic_ids = list(request.topics.values_list("pk", flat=True))
    follows = Follow.objects.filter(Q(policy_area__in=area_ids) | Q(topic__in=topic_ids))
    by_email: dict[int, bool] = {}
    for user_id, wants_email in follows.filter(user__isnull=False).values_list("user_id", "email"):
        by_email[user_id] = by_email.get(user_id, False) or wants_email
    organisation_email: dict[int, bool] = {}
    for organisation_id, wants_email in follows.filter(organisation__isnull=False).values_list("organisation_id",
                                                                                              "email"):
        organisation_email[organisation_id] = organisation_email.get(organisation_id, False) or wants_email
    for organisation_id, user_id in (Membership.objects.filter(organisation_id__in=list(organisation_email),
                                                               status=Membership.Status.ACTIVE)
                                     .values_list("organisation_id", "user_id")):
        by_email[user_id] = by_email.get(user_id, False) or organisation_email[organisation_id]
    own = set(Membership.objects.filter(organisation_id=request.organisation_id, status=Membership.Status.ACTIVE)
              .values_list("user_id", flat=True))
    active = sorted(User.objects.filter(pk__in=[pk for pk in by_email if pk not in own], is_active=True)
                    .values_list("pk", flat=True))
    return [pk for pk in active if by_email[pk]], [pk for pk in active if not by_email[pk]]


# --- Other pages: organisation, dashboard -------------------------------------------------------------

def organisation_open_requests(organisation: Organisation, user: AnyUser) -> QuerySet[SupportRequest]:
    return _listed(requests_visible_to(user).filter(organisation=organisation, status__in=LIVE)
                   .order_by("-published_at", "-id"))


@dataclass
class ExchangeCounts:
    supported_by: int
    helped: int


def exchange_counts(organisation: Organisation, user: AnyUser) -> ExchangeCounts:
    """How many organisations helped this one ("Supported by"), and how many requests it helped with, over
    what the viewer may see; one query."""
    visible = requests_visible_to(user).exclude(status=Status.DRAFT)
    accepted = Offer.objects.filter(status=Offer.Status.ACCEPTED, request__in=visible)
    counts = accepted.aggregate(
        supported_by=Count("organisation", filter=Q(request__organisation=organisation), distinct=True),
        helped=Count("request", filter=Q(organisation=organisation), distinct=True))
    return ExchangeCounts(supported_by=counts["supported_by"], helped=counts["helped"])


def supporters_of(organisation: Organisation, user: AnyUser) -> QuerySet[Organisation]:
    visible = requests_visible_to(user).exclude(status=Status.DRAFT)
    return (Organisation.objects.filter(support_offers__status=Offer.Status.ACCEPTED,
                                        support_offers__request__organisation=organisation,
                                        support_offers__request__in=visible).distinct().order_by(Lower("name")))


def my_requests(user: AnyUser) -> QuerySet[SupportRequest]:
    return _listed(SupportRequest.objects.filter(organisation_id__in=permissions.organisation_ids(user))
                   .annotate(pending_offers=Count("offers", filter=Q(offers__status=Offer.Status.PENDING)))
                   .order_by("-updated_at", "-id"))


def my_offers(user: AnyUser) -> QuerySet[Offer]:
    return (Offer.objects.filter(author=user) if user.is_authenticated else Offer.objects.none()).select_related(
        "request", "request__organisation", "organisation").order_by("-created_at", "-id")


def followed_requests(user: AnyUser) -> QuerySet[SupportRequest]:
    """Open requests in the areas and topics the member follows, for themselves or through an organisation."""
    follows = follows_of(user)
    area_ids = [f.policy_area_id for f in follows if f.policy_area_id]
    topic_ids = [f.topic_id for f in follows if f.topic_id]
    if not area_ids and not topic_ids:
        return SupportRequest.objects.none()
    matching = SupportRequest.objects.filter(Q(policy_areas__in=area_ids) | Q(topics__in=topic_ids))
    return _listed(requests_visible_to(user).filter(status=Status.OPEN, pk__in=matching.values("pk"))
                   .exclude(organisation_id__in=permissions.organisation_ids(user))
                   .order_by("-published_at", "-id"))


def follows_of(user: AnyUser) -> list[Follow]:
    if not user.is_authenticated:
        return []
    return list(Follow.objects.filter(Q(user=user) | Q(organisation_id__in=permissions.organisation_ids(user)))
                .select_related("policy_area", "topic", "topic__area", "organisation").order_by("id"))


