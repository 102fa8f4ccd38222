from django.contrib import admin

from core.models import Notification, PolicyArea, Topic


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
