"""Forum admin: staff configure categories; topics and posts are read here and changed
through the moderation services (admin actions); reports and the moderation log are the moderation app's."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import BumpsVersionsAdmin, ReadOnlyAdmin, run_for_each
from forums import services
from forums.models import Category, Post, Tag, Topic


@admin.register(Category)
class CategoryAdmin(BumpsVersionsAdmin):
    version_kinds = ("forums.forum",)
    list_display = ["name", "policy_area", "visibility", "start_topics", "reply", "hold_first_posts", "question_style",
                    "position"]
    list_filter = ["visibility", "policy_area"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["allowed_groups", "moderators"]
    search_fields = ["name"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "author", "status", "is_pinned", "is_locked", "reply_count", "last_post_at"]
    list_filter = ["status", "is_pinned", "is_locked", "category"]
    search_fields = ["title"]
    list_select_related = ["category", "author"]
    actions = ["pin", "unpin", "lock", "unlock"]

    @admin.action(description=gettext_lazy("Pin the selected topics"))
    def pin(self, request, queryset):
        count = run_for_each(request, queryset,
                             lambda t: services.set_topic_pinned(moderator=request.user, topic=t, pinned=True))
        messages.success(request, ngettext("%(count)d topic pinned.", "%(count)d topics pinned.", count)
                         % {"count": count})

    @admin.action(description=gettext_lazy("Unpin the selected topics"))
    def unpin(self, request, queryset):
        count = run_for_each(request, queryset,
                             lambda t: services.set_topic_pinned(moderator=request.user, topic=t, pinned=False))
        messages.success(request, ngettext("%(count)d topic unpinned.", "%(count)d topics unpinned.", count)
                         % {"count": count})

    @admin.action(description=gettext_lazy("Lock the selected topics"))
    def lock(self, request, queryset):
        count = run_for_each(request, queryset,
                             lambda t: services.set_topic_locked(moderator=request.user, topic=t, locked=True))
        messages.success(request, ngettext("%(count)d topic locked.", "%(count)d topics locked.", count)
                         % {"count": count})

    @admin.action(description=gettext_lazy("Unlock the selected topics"))
    def unlock(self, request, queryset):
        count = run_for_each(request, queryset,
                             lambda t: services.set_topic_locked(moderator=request.user, topic=t, locked=False))
        messages.success(request, ngettext("%(count)d topic unlocked.", "%(count)d topics unlocked.", count)
                         % {"count": count})


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["id", "topic", "author", "status", "created_at", "helpful_count"]
    list_filter = ["status"]
    search_fields = ["body"]
    list_select_related = ["topic", "author"]
    actions = ["hide", "unhide"]

    @admin.action(description=gettext_lazy("Hide the selected posts"))
    def hide(self, request, queryset):
        count = run_for_each(request, queryset, lambda p: services.hide_post(moderator=request.user, post=p,
                                                                             reason=_("Hidden from the admin")))
        messages.success(request, ngettext("%(count)d post hidden.", "%(count)d posts hidden.", count)
                         % {"count": count})

    @admin.action(description=gettext_lazy("Unhide the selected posts"))
    def unhide(self, request, queryset):
        count = run_for_each(request, queryset, lambda p: services.unhide_post(moderator=request.user, post=p))
        messages.success(request, ngettext("%(count)d post unhidden.", "%(count)d posts unhidden.", count)
                         % {"count": count})


@admin.register(Tag)
class TagAdmin(BumpsVersionsAdmin):
    version_kinds = ("forums.forum",)
    """Tags are managed by moderators on /forums/tags/; the admin shows them for reference."""

    list_display = ["name", "slug"]
    search_fields = ["name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
