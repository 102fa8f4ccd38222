"""Reports and the moderation log in the admin: read and filtered here, changed only through the
moderation pages' services; the log can never be edited."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from moderation.models import ModerationLogEntry, Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "status", "reporter", "target_type", "created_at", "resolution", "resolved_by"]
    list_filter = ["status", "resolution", "target_type"]
    list_select_related = ["reporter", "target_type", "resolved_by"]


@admin.register(ModerationLogEntry)
class ModerationLogAdmin(ReadOnlyAdmin):
    """Readable and filterable; never added to, changed or deleted by hand."""

    list_display = ["created_at", "moderator", "action", "target_label", "member", "scope_label", "reason"]
    list_filter = ["action", "scope_type"]
    search_fields = ["target_label", "reason", "moderator__full_name", "member__full_name", "scope_label"]
    list_select_related = ["moderator", "member"]
