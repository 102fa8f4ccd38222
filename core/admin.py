from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from core import services, versions
from core.errors import SERVICE_ERRORS, describe
from core.models import AuditEntry, Notification, Page, PolicyArea, SentMail, Topic
from core.services import retry_failed_jobs


def run_for_each(request: HttpRequest, queryset, call: Callable[[Any], object]) -> int:
    """An admin action's work: `call` (a service) on each selected object, telling of each refusal by name
    (core.errors.describe); how many succeeded."""
    count = 0
    for obj in queryset:
        try:
            call(obj)
        except SERVICE_ERRORS as error:
            messages.error(request, gettext("%(object)s: %(error)s") % {
                "object": obj, "error": describe(error)})
        else:
            count += 1
    return count


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read and filter in the admin; rows change only through the services (or, for logs, never)."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class BumpsVersionsAdmin(admin.ModelAdmin):
    """An admin whose saves and deletions are writes of content pages show: after each, `version_kinds` get a new
    cache generation (core/versions.py), as after the services. Actions call the services, which bump themselves."""

    version_kinds: tuple[str, ...] = ()

    def _bump(self) -> None:
        for kind in self.version_kinds:
            versions.bump(kind)

    def save_related(self, request, form, formsets, change) -> None:  # after save_model and the inlines
        super().save_related(request, form, formsets, change)
        self._bump()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        self._bump()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        self._bump()


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0


@admin.register(PolicyArea)
class PolicyAreaAdmin(BumpsVersionsAdmin):
    version_kinds = ("core.taxonomy",)
    list_display = ["name", "code", "position"]
    inlines = [TopicInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient", "actor"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """Staff edit the footer's pages here; saving goes through core.services.save_page (renders the Markdown)."""

    list_display = ["title", "slug", "updated_at", "updated_by"]
    search_fields = ["title", "body"]
    readonly_fields = ["updated_at", "updated_by"]
    fields = ["title", "slug", "summary", "body", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        services.save_page(page=obj, actor=request.user)


@admin.register(SentMail)
class SentMailAdmin(admin.ModelAdmin):
    """What went out: read-only, the record that keeps a retried task from mailing anyone twice."""

    list_display = ["subject", "address", "reason", "sent_at"]
    search_fields = ["address", "reason", "subject"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SentMail | None = None) -> bool:
        return False


# --- Background jobs -----------------------------------------------------------------------------
# django-tasks-db registers its own read-only admin; ours adds what staff need: the error in the list,
# filters by state, and retrying failed jobs (through core.services.retry_failed_jobs).
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    list_display = ["task_name", "status", "attempts", "enqueued_at", "started_at", "finished_at", "error"]
    list_filter = ["status", "queue_name"]
    search_fields = ["task_path", "exception_class_path"]
    actions = ["retry_selected"]

    @admin.display(description=_("runs"))
    def attempts(self, job: DBTaskResult) -> int:
        return len(job.worker_ids)

    @admin.display(description=_("last error"))
    def error(self, job: DBTaskResult) -> str:
        return job.exception_class_path.rsplit(".", 1)[-1] if job.exception_class_path else ""

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")

    @admin.action(description=_("Retry the selected failed jobs"), permissions=["retry"])
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        retried = retry_failed_jobs(job_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - retried
        self.message_user(request, ngettext("%(count)d job is queued again.", "%(count)d jobs are queued again.",
                                            retried) % {"count": retried})
        if skipped:
            self.message_user(request, ngettext(
                "%(count)d selected job was not retried: only failed jobs can be.",
                "%(count)d selected jobs were not retried: only failed jobs can be.", skipped) % {"count": skipped},
                level=messages.WARNING)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Staff read and filter the audit log; nobody adds, changes or deletes an entry."""

    list_display = ["created_at", "actor_label", "action", "target_label", "ip_address"]
    list_filter = ["action", "target_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_label", "target_label", "action", "ip_address"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
