"""Chat in the admin: conversations and messages to look into, removal through the service."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chat import services
from chat.models import Block, Conversation, Message, Participant
from moderation.permissions import is_global_moderator


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["joined_at", "last_read_message_id", "unread_count"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "created_by", "created_at", "last_message_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    readonly_fields = ["kind", "direct_key", "created_by", "created_at", "last_message", "last_message_at"]
    inlines = [ParticipantInline]

    def save_model(self, request, obj, form, change) -> None:
        # Whose lists showed the conversation before the change: a member taken out of it no longer sees it.
        request.chat_members_before = list(Participant.objects.filter(conversation_id=obj.pk)
                                           .values_list("user_id", flat=True)) if obj.pk else []
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.changed_by_staff(conversation=form.instance, member_ids=request.chat_members_before)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "conversation", "sender", "created_at", "edited_at", "deleted_at"]
    list_filter = ["deleted_at"]
    search_fields = ["body"]
    raw_id_fields = ["conversation", "sender"]
    readonly_fields = ["conversation", "sender", "body", "body_html", "created_at", "edited_at", "deleted_at"]
    actions = ["remove_messages"]

    @admin.action(description=gettext_lazy("Remove the selected messages (shown as deleted)"))
    def remove_messages(self, request, queryset) -> None:
        if not is_global_moderator(request.user):
            self.message_user(request, _("Only moderators remove messages."), messages.ERROR)
            return
        for message in queryset:
            services.remove_message_as_moderator(moderator=request.user, message=message)
        count = queryset.count()
        self.message_user(request, ngettext("%(count)d message removed.", "%(count)d messages removed.", count)
                          % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked"]
