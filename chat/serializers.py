"""The one JSON shape of a chat message, shared by the API, the socket frames and the page's script."""

import json

from rest_framework import serializers

from chat.models import Message


class SenderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    url = serializers.CharField(source="get_absolute_url")


class MessageSerializer(serializers.ModelSerializer):
    """`body` is the plain text; `html` the same text escaped with links made clickable."""

    sender = SenderSerializer(read_only=True, allow_null=True)
    html = serializers.CharField(source="body_html", read_only=True)
    deleted = serializers.BooleanField(source="is_deleted", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "conversation", "sender", "body", "html", "created_at", "edited_at", "deleted"]
        read_only_fields = fields


def message_payload(message: Message) -> dict:
    """The message as plain JSON types, ready for a channel-layer event or a socket frame."""
    return json.loads(json.dumps(MessageSerializer(message).data))
