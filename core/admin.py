from django.contrib import admin

from core import services
from core.models import Notification, Page, PolicyArea, Topic


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
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
