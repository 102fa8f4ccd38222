"""Django admin for events; its actions call the same services as the pages."""

from django.contrib import admin
from django.utils.translation import gettext, gettext_lazy

from core.admin import BumpsVersionsAdmin, run_for_each
from events import services
from events.models import Attachment, Event, ProgrammeItem, Registration, Speaker


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ["starts_at", "title"]
    readonly_fields = fields
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "title", "file", "size"]
    readonly_fields = fields
    can_delete = False


@admin.register(Event)
class EventAdmin(BumpsVersionsAdmin):
    version_kinds = ("events.event",)
    """Read and act here; content is edited on the event's own pages, where the rules are checked."""

    list_display = ["title", "kind", "status", "starts_at", "timezone", "capacity", "sequence"]
    list_filter = ["status", "kind", "format", "visibility"]
    search_fields = ["title", "slug", "venue", "city"]
    readonly_fields = [f.name for f in Event._meta.concrete_fields] + ["organisations", "policy_areas"]
    inlines = [SpeakerInline, ProgrammeItemInline, AttachmentInline]
    actions = ["publish", "cancel"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=gettext_lazy("Publish the selected drafts"))
    def publish(self, request, queryset):
        run_for_each(request, queryset, lambda event: services.publish_event(actor=request.user, event=event))

    @admin.action(description=gettext_lazy("Cancel the selected events (registrants are told)"))
    def cancel(self, request, queryset):
        run_for_each(request, queryset, lambda event: services.cancel_event(
            actor=request.user, event=event, reason=gettext("Cancelled by the platform's staff.")))


@admin.register(Registration)
class RegistrationAdmin(BumpsVersionsAdmin):
    version_kinds = ("events.event",)
    list_display = ["event", "user", "status", "registered_at"]
    list_filter = ["status"]
    search_fields = ["event__title", "user__full_name", "user__email"]
    readonly_fields = ["event", "user", "status", "registered_at", "updated_at", "decided_by"]
    actions = ["approve", "decline", "cancel"]

    def has_add_permission(self, request) -> bool:
        return False

    def _act(self, request, queryset, service) -> None:
        run_for_each(request, queryset.select_related("event"), lambda registration: service(
            actor=request.user, event=registration.event, registration_id=registration.pk))

    @admin.action(description=gettext_lazy("Approve the selected pending registrations"))
    def approve(self, request, queryset):
        self._act(request, queryset, services.approve_registration)

    @admin.action(description=gettext_lazy("Decline the selected pending or waitlisted registrations"))
    def decline(self, request, queryset):
        self._act(request, queryset, services.decline_registration)

    @admin.action(description=gettext_lazy("Cancel the selected registrations (the waitlist moves up)"))
    def cancel(self, request, queryset):
        self._act(request, queryset, services.cancel_registration_by_organiser)
