"""Moderation data: members' reports of anything registered as reportable, and the moderation log.

Both were forum tables; they keep their rows (see migrations). A report or log entry may belong to a
moderation scope (a forum category, ...), whose own moderators then see it; the scope is generic, so
this app knows no feature app's models.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.labels import ChoiceLabels


class Report(ChoiceLabels, models.Model):
    """A member's report of something (a forum post, a chat message, a practice, ...) to the moderators.

    The target is generic; `context` is a snapshot taken when the report was filed (excerpt,
    author, link, where), so the queue still shows what was reported after the content changes.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        RESOLVED = "resolved", pgettext_lazy("report status", "Resolved")

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("kind of content"))
    target_id = models.PositiveBigIntegerField(_("content id"))
    target = GenericForeignKey("target_type", "target_id")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_filed",
                                 verbose_name=_("reporter"))
    reason = models.CharField(_("reason"), max_length=1000)
    context = models.JSONField(_("context"), default=dict)
    scope_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("kind of place"))
    scope_id = models.PositiveBigIntegerField(_("place id"), null=True, blank=True,
                                              help_text=_("Where the content is (a forum category, ...): "
                                                          "its own moderators may resolve the report."))
    scope = GenericForeignKey("scope_type", "scope_id")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("resolved by"))
    resolution = models.CharField(_("resolution"), max_length=40, blank=True,
                                  help_text=_("The action the moderator took."))
    outcome_message = models.CharField(_("outcome message"), max_length=1000, blank=True,
                                       help_text=_("What the reporter was told."))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_created"),
                   models.Index(fields=["target_type", "target_id"], name="report_target")]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "target_type", "target_id"], name="report_open_once",
                                    condition=Q(status="open")),
            models.CheckConstraint(condition=Q(status="open") | Q(resolved_at__isnull=False),
                                   name="report_resolved_has_date"),
        ]

    def __str__(self) -> str:
        return _("Report %(number)s (%(status)s)") % {"number": self.pk, "status": self.get_status_display()}

    @property
    def kind_label(self) -> str:
        """What was reported ("post", "message", …), in the reader's language; the snapshot's word if the
        kind is gone."""
        model = self.target_type.model_class() if self.target_type_id else None
        return str(model._meta.verbose_name) if model is not None else self.context.get("kind", "")

    @property
    def resolution_label(self) -> str:
        """How the report was resolved, as the moderation log names it, in the reader's language."""
        return ModerationLogEntry.label_for(f"report_{self.resolution}") if self.resolution else ""


class ModerationLogEntry(ChoiceLabels, models.Model):
    """One moderator action: who, when, what, on what and whom, and why. Written once, never changed."""

    class Action(models.TextChoices):
        """What the log shows for each action an app records; a code missing here still shows, tidied."""

        HIDE_POST = "hide_post", _("Hid a post")
        UNHIDE_POST = "unhide_post", _("Showed a hidden post again")
        EDIT_POST = "edit_post", _("Edited a post")
        DELETE_POST = "delete_post", _("Deleted a post")
        DELETE_TOPIC = "delete_topic", _("Deleted a topic")
        APPROVE_POST = "approve_post", _("Approved a post")
        REJECT_POST = "reject_post", _("Rejected a post")
        PIN_TOPIC = "pin_topic", _("Pinned a topic")
        UNPIN_TOPIC = "unpin_topic", _("Unpinned a topic")
        LOCK_TOPIC = "lock_topic", _("Locked a topic")
        UNLOCK_TOPIC = "unlock_topic", _("Unlocked a topic")
        MOVE_TOPIC = "move_topic", _("Moved a topic")
        MERGE_TOPICS = "merge_topics", _("Merged topics")
        SPLIT_TOPIC = "split_topic", _("Split a topic")
        CREATE_TAG = "create_tag", _("Created a tag")
        DELETE_TAG = "delete_tag", _("Deleted a tag")
        HIDE_REQUEST = "hide_request", _("Hid a request for expertise")
        UNHIDE_REQUEST = "unhide_request", _("Showed a hidden request again")
        WARN_MEMBER = "warn_member", _("Warned a member")
        SILENCE_MEMBER = "silence_member", _("Silenced a member")
        UNSILENCE_MEMBER = "unsilence_member", _("Lifted a silence")
        SUSPEND_MEMBER = "suspend_member", _("Suspended a member")
        UNSUSPEND_MEMBER = "unsuspend_member", _("Lifted a suspension")
        CHAT_MESSAGE_REMOVED = "chat_message_removed", _("Removed a chat message")
        WITHDRAW_PRACTICE = "withdraw_practice", _("Withdrew a practice to its author")
        REPORT_HIDE = "report_hide", _("Resolved a report: hid it")
        REPORT_DELETE = "report_delete", _("Resolved a report: deleted it")
        REPORT_EDIT = "report_edit", _("Resolved a report: edited the post")
        REPORT_WARN = "report_warn", _("Resolved a report: warned the author")
        REPORT_DISMISS = "report_dismiss", _("Dismissed a report")
        REPORT_WITHDRAW = "report_withdraw", _("Resolved a report: withdrew the practice")

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("moderator"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=40, db_index=True, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("kind of content"))
    target_id = models.PositiveBigIntegerField(_("content id"), null=True, blank=True)
    target_label = models.CharField(_("on"), max_length=300, help_text=_("What was acted on, as it read then."))
    target_url = models.CharField(_("address"), max_length=500, blank=True)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("member"),
                               help_text=_("The member whose content or account was acted on."))
    scope_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("kind of place"))
    scope_id = models.PositiveBigIntegerField(_("place id"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    scope_label = models.CharField(_("where"), max_length=200, blank=True,
                                   help_text=_("Where it happened, as it read then."))
    reason = models.CharField(_("why"), max_length=1000, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.action} by {self.moderator_id} on {self.target_label}"

    @classmethod
    def label_for(cls, action: str) -> str:
        """The readable name of an action code, for the log and its filter."""
        if action in cls.Action.values:
            return str(cls.Action(action).label)
        return action.replace("_", " ").capitalize()

    @property
    def action_label(self) -> str:
        return self.label_for(self.action)
