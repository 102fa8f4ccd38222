"""The notifications endpoints."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core import selectors, services
from core.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    """A notification as it reads in the caller's language (core.notifications.render), with the kind and
    parameters it is made of for clients that word it themselves."""

    actor = serializers.CharField(source="actor.full_name", default=None, read_only=True)
    title = serializers.CharField(source="shown_title", read_only=True)
    body = serializers.CharField(source="shown_body", read_only=True)
    params = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "params", "title", "body", "url", "actor", "created_at", "read_at"]


class NotificationListView(generics.ListAPIView):
    """The signed-in member's notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class NotificationReadView(APIView):
    """Mark one notification read."""

    @extend_schema(request=None, responses={200: UnreadCountSerializer})
    def post(self, request, pk: int) -> Response:
        if not services.mark_notification_read(user=request.user, notification_id=pk):
            raise NotFound(_("No such notification."))
        return Response({"unread": selectors.unread_notification_count(request.user)})
