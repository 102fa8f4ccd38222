"""API for the expertise exchange: requests, suggestions, offers, accept, decline, complete and outcome.

The same services and selectors as the pages sit behind every endpoint, so every rule holds here too.
Errors a client can fix answer 400 with {"field": ["reason"]}; what the caller may not do answers 403,
and what it may not see 404.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from core.models import PolicyArea, Topic
from core.ratelimit import check_posting_rate
from expertise import permissions, selectors, services
from expertise.models import MAX_LANGUAGES, WORK_LANGUAGES, Offer, Outcome, SupportRequest


def _about(field: str, error: ValidationError) -> ValidationError:
    """A refusal of a move that names no field, put on `field` (what the client asked for); the one error
    contract (core.errors) turns it into the JSON body."""
    return error if hasattr(error, "error_dict") else ValidationError({field: error.messages})


class StrictCharField(serializers.CharField):
    """Text must arrive as a string: a number or a boolean where text belongs is refused, not converted."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


HISTORY_SCHEMA = {"type": "array", "items": {"type": "object", "properties": {
    "from": {"type": "string"}, "to": {"type": "string"}, "reason": {"type": "string"},
    "at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}}}}


class RequestListSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    policy_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    country = CountryField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = SupportRequest
        fields = ["slug", "title", "kind", "status", "organisation", "organisation_name", "policy_areas", "topics",
                  "country", "level", "city", "languages", "needed_by", "effort", "visibility", "published_at",
                  "url"]
        read_only_fields = fields


class OutcomeSerializer(serializers.ModelSerializer):
    what_was_done = StrictCharField(max_length=10000)
    what_changed = StrictCharField(max_length=10000, required=False, allow_blank=True, default="")
    links = StrictCharField(max_length=3000, required=False, allow_blank=True, default="")

    class Meta:
        model = Outcome
        fields = ["what_was_done", "what_was_done_html", "what_changed", "what_changed_html", "links",
                  "recorded_at", "practice_url"]
        read_only_fields = ["what_was_done_html", "what_changed_html", "recorded_at", "practice_url"]


class RequestDetailSerializer(RequestListSerializer):
    history = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()

    class Meta(RequestListSerializer.Meta):
        fields = [*RequestListSerializer.Meta.fields, "needs", "needs_html", "history", "outcome"]
        read_only_fields = fields

    @extend_schema_field(HISTORY_SCHEMA)
    def get_history(self, obj: SupportRequest) -> list[dict]:
        return [{"from": t.from_status, "to": t.to_status, "reason": t.reason, "at": t.created_at,
                 "by": t.actor.full_name if t.actor else ""} for t in selectors.history(obj)]

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, obj: SupportRequest) -> dict | None:
        outcome = Outcome.objects.filter(request=obj).first()
        return OutcomeSerializer(outcome).data if outcome else None


class RequestWriteSerializer(serializers.Serializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(),
                                                required=False)
    title = StrictCharField(max_length=200)
    kind = serializers.ChoiceField(choices=SupportRequest.Kind.choices)
    needs = StrictCharField(max_length=10000)
    policy_areas = serializers.SlugRelatedField(slug_field="code", queryset=PolicyArea.objects.all(), many=True,
                                                required=False)
    topics = serializers.SlugRelatedField(slug_field="slug", queryset=Topic.objects.all(), many=True,
                                          required=False)
    country = CountryField()
    level = serializers.ChoiceField(choices=SupportRequest._meta.get_field("level").choices)
    city = StrictCharField(max_length=120, required=False, allow_blank=True, default="")
    languages = serializers.ListField(child=serializers.ChoiceField(choices=WORK_LANGUAGES), min_length=1,
                                      max_length=MAX_LANGUAGES)
    needed_by = serializers.DateField(required=False, allow_null=True, default=None)
    effort = serializers.ChoiceField(choices=SupportRequest.Effort.choices, default=SupportRequest.Effort.DAYS)
    visibility = serializers.ChoiceField(choices=SupportRequest.Visibility.choices,
                                         default=SupportRequest.Visibility.MEMBERS)
    publish = serializers.BooleanField(default=False, write_only=True)

    def validate_title(self, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError(_("Give the request a title."))
        return value

    def validate(self, data: dict) -> dict:
        if not self.partial and not data.get("policy_areas") and not data.get("topics"):
            raise serializers.ValidationError({"topics": [_("Choose at least one policy area or sub-topic.")]})
        return data


def _visible_request(request: Request, slug: str) -> SupportRequest:
    support = selectors.request_for_page(slug).first()
    if support is None or not permissions.can_view(request.user, support):
        raise Http404(_("No such request."))
    return support


def _detail(slug: str) -> dict:
    return RequestDetailSerializer(selectors.request_for_page(slug).get()).data


LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Free-text search (full-text on PostgreSQL)."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=[*SupportRequest.Status.values, "all"],
                     description="A state; by default the live ones (open, matched, in progress)."),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=SupportRequest.Kind.values),
    OpenApiParameter("area", OpenApiTypes.STR, description="A policy area's code."),
    OpenApiParameter("topic", OpenApiTypes.STR, description="A sub-topic's slug."),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166 code."),
    OpenApiParameter("organisation", OpenApiTypes.STR, description="The requesting organisation's slug."),
    OpenApiParameter("helped_by", OpenApiTypes.STR, description="A helping organisation's slug."),
]


@extend_schema_view(
    get=extend_schema(parameters=LIST_PARAMETERS),
    post=extend_schema(request=RequestWriteSerializer, responses={201: RequestDetailSerializer}),
)
class RequestListCreateView(generics.ListCreateAPIView):
    """Requests for technical support the caller may see; members post one for their organisation."""

    serializer_class = RequestListSerializer

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    def get_queryset(self):
        return selectors.request_list(self.request.user, self.request.query_params)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = RequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None)
        if organisation is None:
            raise ValidationError({"organisation": [_("Name the organisation you ask on behalf of (its slug).")]})
        check_posting_rate(user=request.user, what="support-requests")
        support = services.create_request(author=request.user, organisation=organisation, **data)
        return Response(_detail(support.slug), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(responses=RequestDetailSerializer),
    patch=extend_schema(request=RequestWriteSerializer, responses=RequestDetailSerializer),
)
class RequestDetailView(APIView):
    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "PATCH" else [AllowAny()]

    def get(self, request: Request, slug: str) -> Response:
        return Response(RequestDetailSerializer(_visible_request(request, slug)).data)

    def patch(self, request: Request, slug: str) -> Response:
        support = _visible_request(request, slug)
        serializer = RequestWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "organisation" in data and data.pop("organisation") != support.organisation:
            raise ValidationError({"organisation": [_("The requesting organisation cannot be changed.")]})
        publish = data.pop("publish", False)
        support = services.update_request(actor=request.user, request=support, **data)
        if publish and support.status == SupportRequest.Status.DRAFT:
            services.publish_request(actor=request.user, request=support)
        return Response(_detail(slug))


class StatusSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=[SupportRequest.Status.OPEN, SupportRequest.Status.IN_PROGRESS,
                                          SupportRequest.Status.CLOSED],
                                 help_text="open publishes a draft; in-progress starts the work; closed ends it "
                                           "without outcome (give a reason).")
    reason = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class RequestStatusView(APIView):
    """The requesting organisation's members move the request: publish, start the work, or close it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StatusSerializer, responses={200: RequestDetailSerializer})
    def post(self, request: Request, slug: str) -> Response:
        support = _visible_request(request, slug)
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        to, reason = serializer.validated_data["to"], serializer.validated_data["reason"]
        try:
            if to == SupportRequest.Status.OPEN:
                services.publish_request(actor=request.user, request=support)
            else:
                services.change_status(actor=request.user, request=support, to_status=to, reason=reason)
        except ValidationError as error:
            raise _about("to", error) from None
        return Response(_detail(slug))


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class SuggestionSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.slug")
    organisation_name = serializers.CharField(source="organisation.name")
    score = serializers.FloatField(source="suggestion.score")
    reasons = serializers.ListField(child=serializers.CharField(), source="suggestion.reasons")
    people = PersonSerializer(many=True, source="suggestion.people")
    invited = serializers.BooleanField()
    offered = serializers.BooleanField()


class SuggestionListView(APIView):
    """The peers the evidence points to for a live request, best first, each with why."""

    permission_classes = [AllowAny]

    @extend_schema(responses=SuggestionSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        support = _visible_request(request, slug)
        if support.status not in selectors.LIVE or support.hidden:
            return Response([])
        return Response(SuggestionSerializer(selectors.suggestions_for(support), many=True).data)


class OfferSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all())
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    proposal = StrictCharField(max_length=5000)
    timing = StrictCharField(max_length=200)

    class Meta:
        model = Offer
        fields = ["id", "organisation", "organisation_name", "author_name", "proposal", "proposal_html", "timing",
                  "language", "status", "created_at", "decided_at"]
        read_only_fields = ["id", "proposal_html", "status", "created_at", "decided_at"]


class OfferListCreateView(APIView):
    """Offers on a request: all of them for the requesting organisation, one's own for anyone else."""

    def get_permissions(self):
        return [IsAuthenticated()]

    @extend_schema(responses=OfferSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        support = _visible_request(request, slug)
        return Response(OfferSerializer(selectors.offers_for(support, request.user), many=True).data)

    @extend_schema(request=OfferSerializer, responses={201: OfferSerializer})
    def post(self, request: Request, slug: str) -> Response:
        support = _visible_request(request, slug)
        serializer = OfferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check_posting_rate(user=request.user, what="support-offers")
        offer = services.make_offer(author=request.user, request=support, **serializer.validated_data)
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class DeclineSerializer(serializers.Serializer):
    note = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")


def _visible_offer(request: Request, pk: int) -> Offer:
    offer = (Offer.objects.select_related("request", "request__organisation", "organisation", "author")
             .filter(pk=pk).first())
    if offer is None or not permissions.can_see_offer(request.user, offer):
        raise Http404(_("No such offer."))
    return offer


class OfferAcceptView(APIView):
    """Accept an offer: the request is matched and a group conversation opens; accepting twice is harmless."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: OfferSerializer})
    def post(self, request: Request, pk: int) -> Response:
        offer = _visible_offer(request, pk)
        try:
            offer = services.accept_offer(actor=request.user, offer=offer)
        except ValidationError as error:
            raise _about("status", error) from None
        offer.request.refresh_from_db()
        return Response({**OfferSerializer(offer).data, "conversation_url": offer.request.conversation_url})


class OfferDeclineView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=DeclineSerializer, responses={200: OfferSerializer})
    def post(self, request: Request, pk: int) -> Response:
        offer = _visible_offer(request, pk)
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            offer = services.decline_offer(actor=request.user, offer=offer, note=serializer.validated_data["note"])
        except ValidationError as error:
            raise _about("status", error) from None
        return Response(OfferSerializer(offer).data)


class OutcomeView(APIView):
    """GET the outcome of a completed request; POST records it and completes the request."""

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(responses={200: OutcomeSerializer})
    def get(self, request: Request, slug: str) -> Response:
        support = _visible_request(request, slug)
        outcome = Outcome.objects.filter(request=support).first()
        if outcome is None:
            raise Http404(_("This request has no outcome yet."))
        return Response(OutcomeSerializer(outcome).data)

    @extend_schema(request=OutcomeSerializer, responses={201: OutcomeSerializer})
    def post(self, request: Request, slug: str) -> Response:
        support = _visible_request(request, slug)
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            outcome = services.complete_request(actor=request.user, request=support, **serializer.validated_data)
        except ValidationError as error:
            raise _about("status", error) from None
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("expertise/requests/", RequestListCreateView.as_view(), name="api-requests"),
    path("expertise/requests/<slug:slug>/", RequestDetailView.as_view(), name="api-request"),
    path("expertise/requests/<slug:slug>/status/", RequestStatusView.as_view(), name="api-request-status"),
    path("expertise/requests/<slug:slug>/suggestions/", SuggestionListView.as_view(), name="api-suggestions"),
    path("expertise/requests/<slug:slug>/offers/", OfferListCreateView.as_view(), name="api-offers"),
    path("expertise/requests/<slug:slug>/outcome/", OutcomeView.as_view(), name="api-outcome"),
    path("expertise/offers/<int:pk>/accept/", OfferAcceptView.as_view(), name="api-offer-accept"),
    path("expertise/offers/<int:pk>/decline/", OfferDeclineView.as_view(), name="api-offer-decline"),
]
