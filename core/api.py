"""The notifications endpoints."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core import selectors, services
from core.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", default=None, read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "actor", "created_at", "read_at"]


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
            raise NotFound("No such notification.")
        return Response({"unread": selectors.unread_notification_count(request.user)})
