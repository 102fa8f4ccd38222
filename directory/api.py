"""API for the directory, practices and resources: the pages' filters, search and services, as JSON.

Reading is open to anyone, as the pages are; writing practices needs a signed-in member and goes
through the same services, so every workflow rule holds here too.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
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
from core import fragments
from core.models import PolicyArea, Topic
from core.ratelimit import check_posting_rate
from directory import permissions, selectors, services
from directory.facets import Facet
from directory.models import Practice, Resource, TargetGroup


class StrictCharField(serializers.CharField):
    """Text must arrive as a string: a number or a boolean where text belongs is refused, not converted."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _list_parameters(facets: list[Facet], sorts: dict) -> list[OpenApiParameter]:
    params = [
        OpenApiParameter("q", OpenApiTypes.STR, description="Free-text search (full-text on PostgreSQL)."),
        OpenApiParameter("sort", OpenApiTypes.STR, enum=[*sorts, selectors.RELEVANCE],
                         description="Order; relevance applies when q is given, and is the default then."),
    ]
    for facet in facets:
        params.append(OpenApiParameter(facet.param, {"type": "array", "items": {"type": "string"}},
                                       explode=True, description=f"{facet.label}: one or more values, "
                                                                 "combined with OR."))
    return params


class OrganisationSerializer(serializers.ModelSerializer):
    country = CountryField()
    policy_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    published_practices = serializers.IntegerField(source="practice_count", read_only=True)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "country", "city", "level", "website", "description_html",
                  "policy_areas", "topics", "published_practices", "last_activity_at", "url"]


def kept_page(view: generics.GenericAPIView, ids: models.QuerySet, by_id, serializer_class: type, name: str,
              kinds: list[str]) -> Response:
    """A list page whose items are kept until one of `kinds` is bumped (core/fragments.py, kept_rows), per time
    zone (the items' times): the page reads its rows' ids, and `by_id` reads the rest only for the items not kept."""
    page = view.paginate_queryset(ids)

    def build(rows: list) -> list[dict]:
        found = by_id([row.pk for row in rows])
        return serializer_class([found[row.pk] for row in rows], many=True).data

    return view.get_paginated_response(
        fragments.kept_rows(name, page, kinds, build, parts=[timezone.get_current_timezone_name()]))


# What an organisation's item shows: its profile and taxonomy, its count of published practices, and its last
# activity, which publishing a practice or a resource and making an event move.
ORGANISATION_ITEM_KINDS = ["accounts.organisation", "directory.practice", "directory.resource", "events.event",
                           "core.taxonomy"]


@extend_schema_view(get=extend_schema(parameters=_list_parameters(selectors.ORGANISATION_FACETS,
                                                                  selectors.ORGANISATION_SORTS)))
class OrganisationListView(generics.ListAPIView):
    """The public directory of verified organisations, with the page's facets, search and sort."""

    # core.drf.Pagination keeps the count until one of these is bumped.
    count_kinds = ("accounts.organisation", "core.taxonomy")

    serializer_class = OrganisationSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return selectors.organisation_list(self.request.query_params)

    def list(self, request: Request, *args, **kwargs) -> Response:
        """Each organisation's item is kept until what it shows changes (core/fragments.py, kept_rows), per time
        zone (its last activity): the page reads its organisations' ids, and the rest only for the items not
        kept."""
        return kept_page(self, selectors.organisation_ids(request.query_params), selectors.organisations_by_id,
                         OrganisationSerializer, "api:organisation", ORGANISATION_ITEM_KINDS)


class OrganisationDetailView(generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.organisation_list({})


class VersionSerializer(serializers.Serializer):
    """The same content in another language."""

    language = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField()


class PracticeSerializer(serializers.ModelSerializer):
    country = CountryField()
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    policy_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    target_groups = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    partners = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    links = serializers.ListField(source="link_list", child=serializers.URLField(), read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    translation_of = serializers.SlugRelatedField(slug_field="slug", read_only=True,
                                                  help_text="The original, when this practice is a version of it "
                                                            "in another language.")
    translations = serializers.SerializerMethodField(help_text="Its published versions in other languages.")

    class Meta:
        model = Practice
        fields = ["slug", "title", "summary", "status", "organisation", "organisation_name", "country", "city",
                  "level", "start_year", "end_year", "policy_areas", "topics", "target_groups", "partners",
                  "other_partners", "issue_html", "how_it_works_html", "results_html", "evaluation_type",
                  "evaluation_indicators_html", "lessons_html", "beneficiaries", "funding", "transferability_html",
                  "links", "language", "other_languages", "translation_of", "translations", "published_at",
                  "updated_at", "url"]

    @extend_schema_field(VersionSerializer(many=True))
    def get_translations(self, practice: Practice) -> list[dict]:
        versions = getattr(practice, "published_translations", None)
        if versions is None:
            versions = practice.translations.filter(status=Practice.Status.PUBLISHED).order_by("language")
        return [{"language": v.language, "slug": v.slug, "url": v.get_absolute_url()} for v in versions]


class PracticeDetailSerializer(PracticeSerializer):
    """One practice, with its Markdown sources for the editors who change it."""

    class Meta(PracticeSerializer.Meta):
        fields = [*PracticeSerializer.Meta.fields, "issue", "how_it_works", "results", "evaluation_indicators",
                  "lessons", "transferability"]


class PracticeWriteSerializer(serializers.ModelSerializer):
    """Writing a practice: the same fields as the page's form; relations by their codes."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.CharField: StrictCharField, models.TextField: StrictCharField}

    organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(),
                                                help_text="The lead organisation (you must belong to it); "
                                                          "set on creation only.")
    country = CountryField()
    policy_areas = serializers.SlugRelatedField(slug_field="code", many=True, required=False,
                                                queryset=PolicyArea.objects.all())
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, required=False,
                                          queryset=Topic.objects.all())
    target_groups = serializers.SlugRelatedField(slug_field="slug", many=True, required=False,
                                                 queryset=TargetGroup.objects.all())
    partners = serializers.SlugRelatedField(slug_field="slug", many=True, required=False,
                                            queryset=Organisation.objects.filter(verified=True))
    links = serializers.ListField(child=serializers.URLField(max_length=500), required=False, max_length=30)
    submit = serializers.BooleanField(required=False, default=False, write_only=True,
                                      help_text="Send it to the moderators at once (creation only).")

    class Meta:
        model = Practice
        fields = ["organisation", "title", "summary", "issue", "how_it_works", "results", "evaluation_type",
                  "evaluation_indicators", "lessons", "beneficiaries", "funding", "start_year", "end_year",
                  "country", "city", "level", "other_partners", "transferability", "links", "language",
                  "other_languages", "policy_areas", "topics", "target_groups", "partners", "submit"]

    def validate_title(self, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError(_("Give the practice a title."))
        return value

    def validate_start_year(self, value: int) -> int:
        last = timezone.now().year + 1
        if isinstance(value, bool) or not 1945 <= value <= last:
            raise serializers.ValidationError(_("Give a year between %(first)s and %(last)s.")
                                              % {"first": 1945, "last": last})
        return value

    def validate(self, data: dict) -> dict:
        if "links" in data:
            data["links"] = "\n".join(data["links"])
        start = data.get("start_year", getattr(self.instance, "start_year", None))
        end = data.get("end_year", getattr(self.instance, "end_year", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_year": [_("The practice cannot end before it starts.")]})
        return data


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_view(
    get=extend_schema(parameters=_list_parameters(selectors.PRACTICE_FACETS, selectors.PRACTICE_SORTS)),
    post=extend_schema(request=PracticeWriteSerializer, responses={201: PracticeDetailSerializer}),
)
class PracticeListCreateView(generics.ListCreateAPIView):
    """Published practices with the page's facets, search and sort; POST writes a new one (draft or submitted)."""

    # core.drf.Pagination keeps the count until one of these is bumped.
    count_kinds = ("directory.practice", "accounts.organisation", "core.taxonomy")

    def get_permissions(self):
        return [AllowAny()] if self.request.method in ("GET", "HEAD", "OPTIONS") else [IsAuthenticated()]

    def get_serializer_class(self):
        return PracticeWriteSerializer if self.request.method == "POST" else PracticeSerializer

    def get_queryset(self):
        return selectors.with_versions(selectors.practice_list(self.request.query_params))

    def list(self, request: Request, *args, **kwargs) -> Response:
        """Each practice's item is kept until practices, organisations or the taxonomy change (core/fragments.py,
        kept_rows), per time zone (its times): the page reads its practices' ids, and the rest only for the items
        not kept."""
        return kept_page(self, selectors.practice_ids(request.query_params), selectors.practices_by_id,
                         PracticeSerializer, "api:practice",
                         ["directory.practice", "accounts.organisation", "core.taxonomy"])

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = PracticeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        submit = data.pop("submit", False)
        check_posting_rate(user=request.user, what="practices")
        practice = services.create_practice(author=request.user, organisation=organisation, submit=submit,
                                            **data)
        return Response(PracticeDetailSerializer(selectors.practice_for_page(practice.slug).get()).data,
                        status=status.HTTP_201_CREATED)


def _visible_practice(request: Request, slug: str) -> Practice:
    practice = selectors.with_versions(selectors.practice_for_page(slug)).first()
    if practice is None or not permissions.can_view_practice(request.user, practice):
        raise Http404(_("No such practice."))
    return practice


@extend_schema_view(
    get=extend_schema(responses=PracticeDetailSerializer),
    patch=extend_schema(request=PracticeWriteSerializer, responses=PracticeDetailSerializer),
)
class PracticeDetailView(APIView):
    """One practice as the viewer may see it; PATCH edits it (author and organisation admins)."""

    serializer_class = PracticeDetailSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method in ("GET", "HEAD", "OPTIONS") else [IsAuthenticated()]

    def get(self, request: Request, slug: str) -> Response:
        return Response(PracticeDetailSerializer(_visible_practice(request, slug)).data)

    def patch(self, request: Request, slug: str) -> Response:
        practice = _visible_practice(request, slug)
        serializer = PracticeWriteSerializer(practice, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "organisation" in data and data.pop("organisation") != practice.organisation:
            raise ValidationError({"organisation": [_("The lead organisation cannot be changed.")]})
        data.pop("submit", None)
        services.update_practice(actor=request.user, practice=practice, **data)
        return Response(PracticeDetailSerializer(selectors.practice_for_page(slug).get()).data)


class PracticeSubmitView(APIView):
    """Send a draft or returned practice to the moderators."""

    @extend_schema(request=None, responses={200: PracticeDetailSerializer})
    def post(self, request: Request, slug: str) -> Response:
        practice = _visible_practice(request, slug)
        services.submit_practice(actor=request.user, practice=practice)
        return Response(PracticeDetailSerializer(selectors.practice_for_page(slug).get()).data)


class PracticePublishView(APIView):
    """Moderators: publish a submitted practice."""

    @extend_schema(request=NoteSerializer, responses={200: PracticeDetailSerializer})
    def post(self, request: Request, slug: str) -> Response:
        practice = _visible_practice(request, slug)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.publish_practice(actor=request.user, practice=practice, note=serializer.validated_data["note"])
        return Response(PracticeDetailSerializer(selectors.practice_for_page(slug).get()).data)


class PracticeReturnView(APIView):
    """Moderators: return a submitted or published practice to its author with a reason."""

    @extend_schema(request=ReasonSerializer, responses={200: PracticeDetailSerializer})
    def post(self, request: Request, slug: str) -> Response:
        practice = _visible_practice(request, slug)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.return_practice(actor=request.user, practice=practice,
                                 reason=serializer.validated_data["reason"])
        return Response(PracticeDetailSerializer(selectors.practice_for_page(slug).get()).data)


class ResourceSerializer(serializers.ModelSerializer):
    publisher = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    publisher_name = serializers.CharField(source="publisher.name", read_only=True)
    policy_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    file_url = serializers.SerializerMethodField()
    url_page = serializers.CharField(source="get_absolute_url", read_only=True)
    translation_of = serializers.SlugRelatedField(slug_field="slug", read_only=True,
                                                  help_text="The original, when this is a version of it in another "
                                                            "language.")
    translations = serializers.SerializerMethodField(help_text="Its versions in other languages.")

    class Meta:
        model = Resource
        fields = ["slug", "title", "kind", "publisher", "publisher_name", "authors", "year", "language",
                  "translation_of", "translations", "policy_areas", "summary_html", "url", "file_url", "file_type",
                  "file_size", "created_at", "url_page"]

    @extend_schema_field(VersionSerializer(many=True))
    def get_translations(self, resource: Resource) -> list[dict]:
        versions = getattr(resource, "listed_translations", None)
        if versions is None:
            versions = resource.translations.order_by("language")
        return [{"language": v.language, "slug": v.slug, "url": v.get_absolute_url()} for v in versions]

    def get_file_url(self, resource: Resource) -> str | None:
        return reverse("directory:resource-file", args=[resource.slug]) if resource.file else None


@extend_schema_view(get=extend_schema(parameters=_list_parameters(selectors.RESOURCE_FACETS,
                                                                  selectors.RESOURCE_SORTS)))
class ResourceListView(generics.ListAPIView):
    """The resource library with the page's facets, search and sort."""

    # core.drf.Pagination keeps the count until one of these is bumped.
    count_kinds = ("directory.resource", "accounts.organisation", "core.taxonomy")

    serializer_class = ResourceSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return selectors.with_resource_versions(selectors.resource_list(self.request.user, self.request.query_params))

    def list(self, request: Request, *args, **kwargs) -> Response:
        """Each resource's item is kept until resources, organisations or the taxonomy change (core/fragments.py,
        kept_rows), per time zone (when it was added): the page reads the ids of the resources the viewer sees,
        and the rest only for the items not kept, which are the same whoever asks."""
        return kept_page(self, selectors.resource_ids(request.user, request.query_params), selectors.resources_by_id,
                         ResourceSerializer, "api:resource",
                         ["directory.resource", "accounts.organisation", "core.taxonomy"])


class ResourceDetailView(generics.RetrieveAPIView):
    serializer_class = ResourceSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.with_resource_versions(
            selectors.resources_visible_to(self.request.user).select_related("publisher").prefetch_related(
                "policy_areas"))
