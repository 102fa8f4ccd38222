"""The chat API: the member's conversations, history paged by id, sending, marking read.

Messages have the same JSON shape here as in the socket frames (chat.serializers.MessageSerializer).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from chat import permissions, selectors, services
from chat.models import MAX_MESSAGE_LENGTH, Participant
from chat.serializers import MessageSerializer, SenderSerializer
from core import fragments

MAX_API_PAGE = 100


class ConversationSerializer(serializers.Serializer):
    """One conversation as its member sees it, with their unread count.

    `participants` is a preview, not the member list: five members at most, the others first in the order they
    joined (a direct conversation's peer first) and the signed-in member last; `participant_count` says how many
    there are in all. A group's full list is on its members page."""

    id = serializers.IntegerField(source="conversation_id")
    kind = serializers.CharField(source="conversation.kind")
    title = serializers.SerializerMethodField(
        help_text="A group's name; for a direct conversation, the other member's name.")
    participants = serializers.SerializerMethodField(
        help_text=f"At most {selectors.PARTICIPANTS_PREVIEW} members: the others first in the order they joined "
                  "(a direct conversation's peer first), the signed-in member last.")
    participant_count = serializers.IntegerField(help_text="How many members the conversation has in all.")
    unread = serializers.IntegerField(source="unread_count")
    last_read_message_id = serializers.IntegerField()
    last_message = MessageSerializer(source="conversation.last_message", allow_null=True)
    last_message_at = serializers.DateTimeField(source="conversation.last_message_at", allow_null=True)

    def get_title(self, row: Participant) -> str:
        return selectors.title_for(row.conversation, row.user, row.conversation.preview)

    @extend_schema_field(SenderSerializer(many=True))
    def get_participants(self, row: Participant) -> list[dict]:
        return SenderSerializer([p.user for p in row.conversation.preview], many=True).data


class ConversationListView(generics.ListAPIView):
    """The signed-in member's conversations, the one with the latest message first."""

    serializer_class = ConversationSerializer

    def get_queryset(self):
        return selectors.inbox_order(self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        """Each conversation's item is kept (core/fragments.py, kept_rows) per member, language and time zone
        until the conversation's generation (its members, name and messages: chat.services) or the members'
        moves, so a page is looked up by the member's own rows alone; the conversations, their last messages and
        members are read, and the items serialized, only for the items not kept. The member's own unread count
        and read mark are put in each."""
        page = self.paginate_queryset(self.get_queryset())

        def build(rows: list[Participant]) -> list[dict]:
            found = selectors.inbox_for(request.user, details=False).select_related("user").in_bulk(
                [row.pk for row in rows])
            shown = [found[row.pk] for row in rows if row.pk in found]  # not one the member left just now
            selectors.read_last_message_details(shown)
            items = {row.pk: {**item, "unread": 0, "last_read_message_id": 0}  # the viewer's own: put in per request
                     for row, item in zip(shown, ConversationSerializer(shown, many=True).data, strict=True)}
            return [items.get(row.pk) for row in rows]

        items = fragments.kept_rows("api:chat-conversation", page, ["accounts.member"], build,
                                    parts=[timezone.get_current_timezone_name()],
                                    own=lambda row: [("chat.conversation", row.conversation_id)])
        return self.get_paginated_response([
            {**item, "unread": row.unread_count, "last_read_message_id": row.last_read_message_id}
            for item, row in zip(items, page, strict=True) if item is not None])


class DirectRequestSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="The id of the member to talk to.")


class DirectConversationView(APIView):
    """Open the direct conversation with a member, or reuse the existing one."""

    @extend_schema(request=DirectRequestSerializer, responses={200: ConversationSerializer})
    def post(self, request: Request) -> Response:
        data = DirectRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        other = User.objects.filter(pk=data.validated_data["user"], is_active=True).first()
        if other is None:
            raise ValidationError({"user": [_("No such member.")]})
        conversation = services.open_direct_conversation(user=request.user, other=other)
        row = selectors.inbox_for(request.user).select_related("user").get(conversation=conversation)
        return Response(ConversationSerializer(row).data)


class MessagePageSerializer(serializers.Serializer):
    results = MessageSerializer(many=True)
    has_more = serializers.BooleanField(help_text="Whether there are more messages in the direction asked.")


class TextField(serializers.CharField):
    """Text only: a number or a boolean is refused rather than turned into a message."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SendSerializer(serializers.Serializer):
    body = TextField(max_length=MAX_MESSAGE_LENGTH, trim_whitespace=False)
    reply_to = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                        help_text="The id of the message this one answers, in the same conversation.")


def _participation(request: Request, pk: int) -> Participant:
    participant = permissions.participation(request.user, pk)
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    return participant


def _id_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise serializers.ValidationError({name: [_("Give a message id (a whole number).")]})
    return int(value)


class MessagesView(APIView):
    """A conversation's messages, oldest first within a page; pages go back with `before`, forward with `after`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("before", OpenApiTypes.INT, description="Only messages older than this id."),
            OpenApiParameter("after", OpenApiTypes.INT, description="Only messages newer than this id."),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"At most this many (1–{MAX_API_PAGE})."),
        ],
        responses={200: MessagePageSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        conversation = _participation(request, pk).conversation
        before, after = _id_param(request, "before"), _id_param(request, "after")
        limit = min(max(_id_param(request, "limit") or 50, 1), MAX_API_PAGE)
        if after is not None:
            page = selectors.messages_after(conversation.pk, after, limit=limit + 1)
            has_more, page = len(page) > limit, page[:limit]
        else:
            page = selectors.history(conversation, before=before, limit=limit + 1)
            has_more, page = len(page) > limit, page[-limit:]
        return Response({"results": MessageSerializer(page, many=True).data, "has_more": has_more})

    @extend_schema(request=SendSerializer, responses={201: MessageSerializer})
    def post(self, request: Request, pk: int) -> Response:
        conversation = _participation(request, pk).conversation
        data = SendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.send_message(sender=request.user, conversation=conversation,
                                         body=data.validated_data["body"], reply_to=data.validated_data.get("reply_to"))
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ReadRequestSerializer(serializers.Serializer):
    up_to = serializers.IntegerField(required=False, min_value=0,
                                     help_text="The last message read; the latest when left out.")


class ReadStateSerializer(serializers.Serializer):
    conversation = serializers.IntegerField()
    last_read_message_id = serializers.IntegerField()
    unread = serializers.IntegerField()
    total_unread = serializers.IntegerField()


class ReadView(APIView):
    """Mark the conversation read up to a message."""

    @extend_schema(request=ReadRequestSerializer, responses={200: ReadStateSerializer})
    def post(self, request: Request, pk: int) -> Response:
        conversation = _participation(request, pk).conversation
        data = ReadRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participant = services.mark_read(user=request.user, conversation=conversation,
                                         up_to=data.validated_data.get("up_to"))
        return Response({"conversation": conversation.pk, "last_read_message_id": participant.last_read_message_id,
                         "unread": participant.unread_count, "total_unread": selectors.unread_total(request.user)})
