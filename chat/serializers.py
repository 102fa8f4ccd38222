"""The one JSON shape of a chat message, shared by the API, the socket frames and the page's script."""

import json

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chat.models import REACTIONS, Attachment, Message
from core.templatetags.faces import avatar

REPLY_EXCERPT = 140


class SenderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    url = serializers.CharField(source="get_absolute_url")
    face = serializers.SerializerMethodField(help_text="The member's avatar (picture or initials) as safe HTML.")

    def get_face(self, user) -> str:
        return str(avatar(user, "sm"))

    def to_representation(self, user) -> dict:
        # The declared fields, built directly: the conversation list names every member of 20 conversations, and
        # DRF's field-by-field path cost more than the rest of the answer.
        return {"id": user.pk, "name": user.full_name, "url": user.get_absolute_url(), "face": self.get_face(user)}


class ReplySerializer(serializers.Serializer):
    """The quoted original a reply shows: who wrote it and how it began."""

    id = serializers.IntegerField()
    sender = serializers.CharField(source="sender.full_name", allow_null=True, default=None)
    excerpt = serializers.SerializerMethodField()
    deleted = serializers.BooleanField(source="is_deleted")

    def get_excerpt(self, message: Message) -> str:
        text = " ".join(message.body.split())
        return text if len(text) <= REPLY_EXCERPT else text[:REPLY_EXCERPT - 1] + "…"


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    size = serializers.IntegerField()
    is_image = serializers.BooleanField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    def get_url(self, attachment: Attachment) -> str:
        return reverse("chat:attachment", args=[attachment.message.conversation_id, attachment.pk])

    def get_thumbnail_url(self, attachment: Attachment) -> str | None:
        if not attachment.is_image:
            return None
        return reverse("chat:thumbnail", args=[attachment.message.conversation_id, attachment.pk])


class ReactionSerializer(serializers.Serializer):
    emoji = serializers.CharField(help_text="The reaction's code: " + ", ".join(REACTIONS))
    symbol = serializers.CharField()
    count = serializers.IntegerField()
    users = SenderSerializer(many=True)


def reaction_summary(message: Message) -> list[dict]:
    """The message's reactions grouped by emoji, in the fixed order, each with who gave it."""
    by_emoji: dict[str, list] = {}
    for reaction in message.reactions.all():
        by_emoji.setdefault(reaction.emoji, []).append(reaction.user)
    return [{"emoji": code, "symbol": REACTIONS[code], "count": len(by_emoji[code]), "users": by_emoji[code]}
            for code in REACTIONS if code in by_emoji]


class MessageSerializer(serializers.ModelSerializer):
    """`body` is the plain text; `html` the same text escaped with links made clickable; `seq` the
    conversation's change number when the message last changed (for catch-up of edits and reactions)."""

    sender = SenderSerializer(read_only=True, allow_null=True)
    html = serializers.CharField(source="body_html", read_only=True)
    deleted = serializers.BooleanField(source="is_deleted", read_only=True)
    reply_to = ReplySerializer(read_only=True, allow_null=True)
    files = serializers.SerializerMethodField()
    reactions = serializers.SerializerMethodField()
    seq = serializers.IntegerField(source="change_seq", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "conversation", "sender", "body", "html", "created_at", "edited_at", "deleted", "reply_to",
                  "files", "reactions", "seq"]
        read_only_fields = fields

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, message: Message) -> list[dict]:
        return [] if message.is_deleted else FileSerializer(message.attachments.all(), many=True).data

    @extend_schema_field(ReactionSerializer(many=True))
    def get_reactions(self, message: Message) -> list[dict]:
        return ReactionSerializer(reaction_summary(message), many=True).data


def message_payload(message: Message) -> dict:
    """The message as plain JSON types, ready for a channel-layer event or a socket frame."""
    return json.loads(json.dumps(MessageSerializer(message).data))
