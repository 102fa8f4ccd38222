"""Conversations, their participants with read state, messages with their files and reactions, and blocks
between members."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MAX_MESSAGE_LENGTH = 4000
MAX_TITLE_LENGTH = 120
MAX_FILE_NAME_LENGTH = 200
# The small fixed set of reactions: a code that travels in frames and URLs, and the emoji shown.
REACTIONS = {
    "thumbs-up": "👍",
    "heart": "❤️",
    "laugh": "😂",
    "party": "🎉",
    "surprised": "😮",
    "thanks": "🙏",
}
# What a screen reader says for each (the emoji itself is hidden from it).
REACTION_LABELS = {
    "thumbs-up": pgettext_lazy("reaction", "thumbs up"),
    "heart": pgettext_lazy("reaction", "heart"),
    "laugh": pgettext_lazy("reaction", "laugh"),
    "party": pgettext_lazy("reaction", "party"),
    "surprised": pgettext_lazy("reaction", "surprised"),
    "thanks": pgettext_lazy("reaction", "thanks"),
}


def conversation_group(conversation_id: int) -> str:
    """The channel-layer group every open socket on one conversation listens to."""
    return f"chat.conversation.{conversation_id}"


def user_group(user_id: int) -> str:
    """The channel-layer group of one member's open sockets: unread counts, removal from a group."""
    return f"chat.user.{user_id}"


class Conversation(models.Model):
    """A direct conversation between two members, or a named group.

    `direct_key` ("<lower id>:<higher id>") makes a pair's direct conversation unique, so opening
    one twice reuses it. `last_message` is kept by send_message under the row lock; the inbox
    orders by it and the live feed uses it to detect a gap.
    """

    class Kind(models.TextChoices):
        DIRECT = "direct", pgettext_lazy("conversation kind", "Direct")
        GROUP = "group", pgettext_lazy("conversation kind", "Group")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("group name"), max_length=MAX_TITLE_LENGTH, blank=True)
    direct_key = models.CharField(max_length=50, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("started by"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_message = models.ForeignKey("Message", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("last message"))
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True, db_index=True)
    change_seq = models.PositiveBigIntegerField(
        _("change number"), default=0,
        help_text=_("Counts every new or changed message; a reconnecting client asks for the changes after "
                    "the last number it saw."))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="direct", direct_key__isnull=False, title="")
                           | Q(kind="group", direct_key__isnull=True) & ~Q(title="")),
                name="conversation_kind_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.title or _("Direct conversation %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("chat:conversation", args=[self.pk])

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    @property
    def group_name(self) -> str:
        return conversation_group(self.pk)


class Participant(models.Model):
    """A member of a conversation and how far they have read; leaving deletes the row."""

    class Role(models.TextChoices):
        MEMBER = "member", pgettext_lazy("group role", "Member")
        ADMIN = "admin", pgettext_lazy("group role", "Admin")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants",
                                     verbose_name=_("conversation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_participations",
                             verbose_name=_("member"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    last_read_message_id = models.BigIntegerField(_("last read message"), default=0,
                                                  help_text=_("Read up to and including this message."))
    unread_count = models.PositiveIntegerField(_("unread messages"), default=0)
    muted = models.BooleanField(_("muted"), default=False,
                                help_text=_("No notifications for new messages, except mentions."))

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="participant_unique")]
        indexes = [models.Index(fields=["user", "conversation"], name="participant_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.conversation}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class Message(models.Model):
    """Plain text; `body_html` is the escaped, linkified body, rendered once on save.

    A deleted message keeps its row (so the history shows where it was) but loses its text and files.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages",
                                     verbose_name=_("conversation"))
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="chat_messages", verbose_name=_("sender"))
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("text as shown"), blank=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("in reply to"),
                                 help_text=_("The message this one answers; shown quoted above it."))
    change_seq = models.PositiveBigIntegerField(_("change number"), default=0,
                                                help_text=_("The conversation's change number when this message "
                                                            "was last sent, edited or reacted to."))

    class Meta:
        ordering = ["id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["conversation", "id"], name="message_conversation_id"),
                   models.Index(fields=["conversation", "change_seq"], name="message_conversation_change")]
        constraints = [
            models.CheckConstraint(condition=LessThanOrEqual(Length("body"), MAX_MESSAGE_LENGTH),
                                   name="message_body_length"),
            # A message may be files only (no text); a deleted one has lost its text.
            models.CheckConstraint(condition=Q(deleted_at__isnull=True)
                                   | Q(deleted_at__isnull=False, body="", body_html=""),
                                   name="message_deleted_has_no_text"),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in conversation {self.conversation_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is ours; the member's file name is kept in `name` and only sent back in headers.
    return f"chat/{instance.message.conversation_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Attachment(models.Model):
    """A file sent with a message: its type read from the content, images with a thumbnail made on the server."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    thumbnail = models.ImageField(upload_to="chat/thumbnails/", blank=True, max_length=300)
    name = models.CharField(max_length=MAX_FILE_NAME_LENGTH, help_text="The file name the sender gave.")
    kind = models.CharField(max_length=10, help_text="The type read from the content: pdf, docx, png, jpeg, ...")
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chat:attachment", args=[self.message.conversation_id, self.pk])

    @property
    def is_image(self) -> bool:
        return bool(self.thumbnail)


class Reaction(models.Model):
    """One member's reaction to a message, from the fixed set in REACTIONS."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=20, choices=[(code, code) for code in REACTIONS])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["message", "user", "emoji"], name="reaction_once")]

    def __str__(self) -> str:
        return f"{self.emoji} by {self.user_id} on {self.message_id}"


class Block(models.Model):
    """`blocker` no longer receives direct messages from `blocked` (nor sends them)."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_blocks",
                                verbose_name=_("blocked by"))
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("blocked member"))
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return _("%(blocker)s blocks %(blocked)s") % {"blocker": self.blocker, "blocked": self.blocked}


class Connection(models.Model):
    """An open chat socket, so that every server process knows who is online.

    A socket's consumer adds its row on connect, refreshes `expires_at` on each heartbeat and
    deletes it on disconnect; a process that dies leaves rows that simply expire.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="connection_user_alive")]

    def __str__(self) -> str:
        return f"{self.user} on {self.channel_name}"
