"""Forum admin: staff configure categories; topics and posts are read here and changed
through the moderation services (admin actions); reports and the moderation log are the moderation app's."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from core.admin import ReadOnlyAdmin
from forums import services
from forums.models import Category, Post, Tag, Topic


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "policy_area", "visibility", "start_topics", "reply", "hold_first_posts", "question_style",
                    "position"]
    list_filter = ["visibility", "policy_area"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["allowed_groups", "moderators"]
    search_fields = ["name"]


def _run(request, queryset, call, done: str) -> None:
    count = 0
    for obj in queryset:
        try:
            call(obj)
            count += 1
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, f"{obj}: {' '.join(getattr(error, 'messages', [str(error)]))}")
    messages.success(request, f"{count} {done}.")


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "author", "status", "is_pinned", "is_locked", "reply_count", "last_post_at"]
    list_filter = ["status", "is_pinned", "is_locked", "category"]
    search_fields = ["title"]
    list_select_related = ["category", "author"]
    actions = ["pin", "unpin", "lock", "unlock"]

    @admin.action(description="Pin the selected topics")
    def pin(self, request, queryset):
        _run(request, queryset, lambda t: services.set_topic_pinned(moderator=request.user, topic=t, pinned=True),
             "topic(s) pinned")

    @admin.action(description="Unpin the selected topics")
    def unpin(self, request, queryset):
        _run(request, queryset, lambda t: services.set_topic_pinned(moderator=request.user, topic=t, pinned=False),
             "topic(s) unpinned")

    @admin.action(description="Lock the selected topics")
    def lock(self, request, queryset):
        _run(request, queryset, lambda t: services.set_topic_locked(moderator=request.user, topic=t, locked=True),
             "topic(s) locked")

    @admin.action(description="Unlock the selected topics")
    def unlock(self, request, queryset):
        _run(request, queryset, lambda t: services.set_topic_locked(moderator=request.user, topic=t, locked=False),
             "topic(s) unlocked")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["id", "topic", "author", "status", "created_at", "helpful_count"]
    list_filter = ["status"]
    search_fields = ["body"]
    list_select_related = ["topic", "author"]
    actions = ["hide", "unhide"]

    @admin.action(description="Hide the selected posts")
    def hide(self, request, queryset):
        _run(request, queryset, lambda p: services.hide_post(moderator=request.user, post=p,
                                                             reason="Hidden from the admin"), "post(s) hidden")

    @admin.action(description="Unhide the selected posts")
    def unhide(self, request, queryset):
        _run(request, queryset, lambda p: services.unhide_post(moderator=request.user, post=p), "post(s) unhidden")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags are managed by moderators on /forums/tags/; the admin shows them for reference."""

    list_display = ["name", "slug"]
    search_fields = ["name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
