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


class Report(models.Model):
    """A member's report of something (a forum post, a chat message, a practice, ...) to the moderators.

    The target is generic; `context` is a snapshot taken when the report was filed (excerpt,
    author, link, where), so the queue still shows what was reported after the content changes.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_filed")
    reason = models.CharField(max_length=1000)
    context = models.JSONField(default=dict)
    scope_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    scope_id = models.PositiveBigIntegerField(null=True, blank=True,
                                              help_text="Where the content is (a forum category, ...): "
                                                        "its own moderators may resolve the report.")
    scope = GenericForeignKey("scope_type", "scope_id")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    resolution = models.CharField(max_length=40, blank=True, help_text="The action the moderator took.")
    outcome_message = models.CharField(max_length=1000, blank=True, help_text="What the reporter was told.")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_created"),
                   models.Index(fields=["target_type", "target_id"], name="report_target")]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "target_type", "target_id"], name="report_open_once",
                                    condition=Q(status="open")),
            models.CheckConstraint(condition=Q(status="open") | Q(resolved_at__isnull=False),
                                   name="report_resolved_has_date"),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.status})"


class ModerationLogEntry(models.Model):
    """One moderator action: who, when, what, on what and whom, and why. Written once, never changed."""

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=300, help_text="What was acted on, as it read then.")
    target_url = models.CharField(max_length=500, blank=True)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", help_text="The member whose content or account was acted on.")
    scope_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    scope_label = models.CharField(max_length=200, blank=True, help_text="Where it happened, as it read then.")
    reason = models.CharField(max_length=1000, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "moderation log entry"
        verbose_name_plural = "moderation log"

    def __str__(self) -> str:
        return f"{self.action} by {self.moderator_id} on {self.target_label}"
