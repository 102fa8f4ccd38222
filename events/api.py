"""Events API: the list (same filters as the page) and detail, registering and cancelling, an event's registrations.

Writes go through events.services, so capacity, waitlist and permissions hold as on the pages.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import fragments
from events import selectors, services
from events.forms import FilterForm
from events.models import Event, ProgrammeItem, Registration, Speaker
from events.permissions import can_run_event, can_see_join_link


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class EventListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()
    organisations = OrganisationRefSerializer(many=True, read_only=True)
    policy_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    confirmed_count = serializers.IntegerField(read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Event
        fields = ["slug", "uid", "kind", "title", "language", "summary", "status", "visibility", "starts_at", "ends_at",
                  "timezone", "format", "venue", "city", "country", "organisations", "policy_areas", "capacity",
                  "confirmed_count", "sequence", "url", "ics_url"]

    def get_url(self, event: Event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())

    def get_ics_url(self, event: Event) -> str:
        return self.context["request"].build_absolute_uri(reverse("events:ics", args=[event.slug]))


class SpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "role", "organisation_name"]


class ProgrammeItemSerializer(serializers.ModelSerializer):
    speakers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ProgrammeItem
        fields = ["starts_at", "title", "description_html", "speakers"]


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "event", "status", "registered_at", "waitlist_position"]

    def get_waitlist_position(self, registration: Registration) -> int | None:
        return selectors.waitlist_position(registration)


class EventDetailSerializer(EventListSerializer):
    speakers = SpeakerSerializer(many=True, read_only=True)
    programme = ProgrammeItemSerializer(many=True, read_only=True)
    join_url = serializers.SerializerMethodField()
    my_registration = serializers.SerializerMethodField()

    class Meta(EventListSerializer.Meta):
        fields = [*EventListSerializer.Meta.fields, "description_html", "webcast_url", "recording_url", "join_url",
                  "requires_approval", "waitlist_enabled", "registration_scope", "registration_opens_at",
                  "registration_closes_at", "cancellation_reason", "speakers", "programme", "my_registration"]

    def _registration(self, event: Event) -> Registration | None:
        return selectors.registration_of(self.context["request"].user, event)

    def get_join_url(self, event: Event) -> str | None:
        """Only for confirmed registrants and those who run the event."""
        user = self.context["request"].user
        return event.join_url if can_see_join_link(user, event, self._registration(event)) else None

    @extend_schema_field(RegistrationSerializer(allow_null=True))
    def get_my_registration(self, event: Event) -> dict | None:
        registration = self._registration(event)
        return RegistrationSerializer(registration).data if registration else None


FILTER_PARAMETERS = [
    OpenApiParameter("when", str, enum=["upcoming", "past"], description="Upcoming (default) or past events."),
    OpenApiParameter("kind", str, enum=Event.Kind.values),
    OpenApiParameter("area", str, description="Policy area code, e.g. socio-economic."),
    OpenApiParameter("country", str, description="ISO 3166 code of the venue's country."),
    OpenApiParameter("organisation", str, description="Slug of an organising organisation."),
    OpenApiParameter("format", str, enum=["online", "in_person"]),
    OpenApiParameter("q", str, description="Free text."),
]


class EventListView(generics.ListAPIView):
    """Published and cancelled events the caller may see, filtered like the events page."""

    serializer_class = EventListSerializer
    permission_classes = [AllowAny]
    # The count is kept until an event changes, and per minute: the list moves with the clock (core/drf.py).
    count_kinds = selectors.LIST_KINDS
    count_period = selectors.LIST_PERIOD

    @extend_schema(parameters=FILTER_PARAMETERS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        form = FilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        return super().get(request, *args, **kwargs)

    def _listed(self) -> QuerySet[Event]:
        filters = FilterForm(self.request.query_params).filters()
        qs = selectors.filter_events(
            selectors.listed_events(self.request.user), **filters)
        return selectors.listed_this_minute(qs, when=self.request.query_params.get("when", "upcoming"))

    def get_queryset(self) -> QuerySet[Event]:
        return selectors.with_list_data(self._listed())

    def list(self, request: Request, *args, **kwargs) -> Response:
        """Each event's item is kept until events, organisations or the taxonomy change (core/fragments.py,
        kept_rows), per host and time zone (its addresses and times): the page reads its events' ids, and the
        rest only for the items not kept."""
        page = self.paginate_queryset(self._listed().only("pk"))

        def build(events: list[Event]) -> list[dict]:
            found = {event.pk: event for event in selectors.with_list_data(
                Event.objects.filter(pk__in=[event.pk for event in events]))}
            return EventListSerializer([found[event.pk] for event in events], many=True,
                                       context=self.get_serializer_context()).data

        return self.get_paginated_response(fragments.kept_rows(
            "api:event", page, list(selectors.LIST_KINDS), build,
            parts=[request.build_absolute_uri("/"), timezone.get_current_timezone_name()]))


class EventDetailView(generics.RetrieveAPIView):
    """One event with its programme and speakers; the join link only for confirmed registrants."""

    serializer_class = EventDetailSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"

    def get_object(self) -> Event:
        event = selectors.event_for_page(self.kwargs["slug"], self.request.user)
        if event is None:
            raise NotFound(_("No such event."))
        return event


class RegisterSerializer(serializers.Serializer):
    answers = serializers.DictField(required=False, help_text="Question id → answer: text, a choice, a list of "
                                    "choices, true/false, or an ISO country code.")


class MyRegistrationView(APIView):
    """The caller's registration for the event: see it, register (POST), cancel (DELETE)."""

    def _event(self, slug: str) -> Event:
        event = selectors.events_visible_to(self.request.user).filter(slug=slug).first()
        if event is None:
            raise NotFound(_("No such event."))
        return event

    @extend_schema(responses={200: RegistrationSerializer, 404: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        registration = selectors.registration_of(request.user, self._event(slug))
        if registration is None:
            raise NotFound(_("You are not registered for this event."))
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=RegisterSerializer, responses={201: RegistrationSerializer, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, slug: str) -> Response:
        answers = request.data.get("answers", {}) if isinstance(request.data, dict) else None
        if not isinstance(answers, dict):
            raise ValidationError({"answers": [_("Give the answers as an object from question id to answer.")]})
        registration = services.register_for_event(user=request.user, event=self._event(slug), answers=answers)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: RegistrationSerializer, 400: OpenApiTypes.OBJECT})
    def delete(self, request: Request, slug: str) -> Response:
        registration = services.cancel_registration(user=request.user, event=self._event(slug))
        return Response(RegistrationSerializer(registration).data)


class OrganiserRegistrationSerializer(serializers.ModelSerializer):
    """A row of the attendee list, in queue order (the waitlist is the waitlisted rows in this order)."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    member = serializers.CharField(source="user.full_name", read_only=True)
    member_id = serializers.IntegerField(source="user.pk", read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "event", "status", "registered_at", "checked_in_at", "member", "member_id", "answers"]

    def get_answers(self, registration: Registration) -> list[dict]:
        """The registrant's answers, for those who run the event only (this serializer is only theirs)."""
        return [{"question_id": a.question_id, "question": a.question.label, "answer": a.value}
                for a in registration.answers.all()]


class EventRegistrationsView(generics.ListAPIView):
    """Every registration of an event, in queue order: for those who run it."""

    serializer_class = OrganiserRegistrationSerializer

    def get_queryset(self) -> QuerySet[Registration]:
        event = Event.objects.filter(slug=self.kwargs["slug"]).prefetch_related("organisations").first()
        if event is None:
            raise NotFound(_("No such event."))
        if not can_run_event(self.request.user, event):
            raise PermissionDenied(_("Only the event's organisers can see its registrations."))
        return selectors.registrations_with_answers(event)
