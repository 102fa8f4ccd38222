"""API for a member's own profile and memberships, through the same services as the pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.forms import timezone_choices
from accounts.models import Membership, Organisation, User
from accounts.permissions import can_view_organisation


class MeSerializer(serializers.ModelSerializer):
    timezone = serializers.ChoiceField(choices=timezone_choices())

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "job_title", "bio", "bio_html", "timezone", "language",
                  "profile_visibility", "email_notifications"]
        read_only_fields = ["id", "email", "bio_html"]

    def validate_full_name(self, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError(_("Enter your name."))
        return value


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in member's own profile."""

    serializer_class = MeSerializer

    def get_object(self) -> User:
        return self.request.user

    def perform_update(self, serializer: MeSerializer) -> None:
        services.update_profile(user=self.request.user, **serializer.validated_data)


class MembershipSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "organisation_name", "role", "status", "created_at"]


class MyMembershipsView(generics.ListAPIView):
    """The organisations the signed-in member belongs to or asked to join."""

    serializer_class = MembershipSerializer

    def get_queryset(self):
        return selectors.memberships_of(self.request.user)


class JoinRequestSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class JoinRequestView(APIView):
    """Ask to join an organisation; its administrators decide."""

    @extend_schema(request=JoinRequestSerializer, responses={201: MembershipSerializer})
    def post(self, request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        if not can_view_organisation(request.user, organisation):
            raise Http404(_("No such organisation."))
        serializer = JoinRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.request_membership(user=request.user, organisation=organisation,
                                                 message=serializer.validated_data["message"])
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
