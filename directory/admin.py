"""Admin for practices, resources and imports; state changes go through the services, never field edits."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy, ngettext

from core.admin import BumpsVersionsAdmin, run_for_each
from directory import services
from directory.models import ImportJob, Practice, PracticeRevision, PracticeTransition, Replication, Resource


class TransitionInline(admin.TabularInline):
    model = PracticeTransition
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "from_status", "to_status", "reason", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReplicationInline(admin.TabularInline):
    model = Replication
    extra = 0
    raw_id_fields = ["organisation", "added_by"]


@admin.register(Practice)
class PracticeAdmin(BumpsVersionsAdmin):
    version_kinds = ("directory.practice",)
    list_display = ["title", "organisation", "country", "status", "published_at"]
    list_filter = ["status", "level", "evaluation_type", "policy_areas"]
    search_fields = ["title", "summary", "organisation__name"]
    raw_id_fields = ["organisation", "author"]
    filter_horizontal = ["policy_areas", "topics", "target_groups", "partners", "resources"]
    readonly_fields = ["status", "submitted_at", "published_at"]
    inlines = [TransitionInline, ReplicationInline]
    actions = ["publish"]

    @admin.action(description=gettext_lazy("Publish the selected submitted practices"))
    def publish(self, request, queryset):
        published = run_for_each(request, queryset,
                                 lambda practice: services.publish_practice(actor=request.user, practice=practice))
        messages.success(request, ngettext("%(count)s practice published.", "%(count)s practices published.",
                                           published) % {"count": published})


@admin.register(PracticeRevision)
class PracticeRevisionAdmin(admin.ModelAdmin):
    list_display = ["practice", "number", "editor", "created_at"]
    raw_id_fields = ["practice", "editor"]
    readonly_fields = ["practice", "number", "editor", "content", "created_at"]


@admin.register(Resource)
class ResourceAdmin(BumpsVersionsAdmin):
    version_kinds = ("directory.resource",)
    list_display = ["title", "kind", "publisher", "year", "language", "file_type"]
    list_filter = ["kind", "language", "file_type"]
    search_fields = ["title", "authors", "publisher__name"]
    raw_id_fields = ["publisher", "added_by"]
    readonly_fields = ["file", "file_name", "file_type", "file_size"]
    filter_horizontal = ["policy_areas", "topics"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "created_by", "status", "total_rows", "imported_count", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["kind", "created_by", "file_name", "total_rows", "validated_rows", "errors", "status",
                       "imported_count", "created_at"]
    exclude = ["content", "seen_keys"]
