from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import Membership, Organisation, User
from core.admin import BumpsVersionsAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    raw_id_fields = ["user", "decided_by"]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BumpsVersionsAdmin, DjangoGroupAdmin):
    """A group's permissions are its members' rights (accounts/roles.py): what pages keep per member's rights
    (core.fragments.RIGHTS_KINDS, the header's moderation link) is stale after an edit."""

    version_kinds = ("accounts.member",)


@admin.register(User)
class UserAdmin(BumpsVersionsAdmin, DjangoUserAdmin):
    version_kinds = ("accounts.member", "accounts.organisation")
    ordering = ["email"]
    list_display = ["email", "full_name", "job_title", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "profile_visibility"]
    search_fields = ["email", "full_name", "job_title"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "job_title", "bio", "timezone", "language", "profile_visibility",
                                "email_notifications"]}),
        (_("Moderation"), {"fields": ["silenced_until", "silence_reason", "suspended_until", "suspension_reason"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
                   "description": _("Add a user to the Moderators group to make them a moderator.")}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    actions = ["remove_avatar"]

    @admin.action(description=_("Remove the avatar of the selected members"))
    def remove_avatar(self, request, queryset):
        members = list(queryset.exclude(avatar=""))
        for member in members:
            services.set_avatar(user=member, upload=None)
        messages.success(request, ngettext("%(count)d avatar removed.", "%(count)d avatars removed.", len(members))
                         % {"count": len(members)})


@admin.register(Organisation)
class OrganisationAdmin(BumpsVersionsAdmin):
    version_kinds = ("accounts.organisation",)
    list_display = ["name", "kind", "country", "city", "verified", "created_at"]
    list_filter = ["verified", "kind", "level", "country"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified", "verified_at", "description_html"]
    filter_horizontal = ["policy_areas", "topics"]
    inlines = [MembershipInline]
    actions = ["verify", "unverify", "remove_logo"]

    @admin.action(description=_("Remove the logo of the selected organisations"))
    def remove_logo(self, request, queryset):
        organisations = list(queryset.exclude(logo=""))
        for organisation in organisations:
            services.set_organisation_logo(actor=request.user, organisation=organisation, upload=None)
        messages.success(request, ngettext("%(count)d logo removed.", "%(count)d logos removed.", len(organisations))
                         % {"count": len(organisations)})

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request, queryset):
        for organisation in queryset:
            services.set_organisation_verified(actor=request.user, organisation=organisation, verified=True)
        count = queryset.count()
        messages.success(request, ngettext("%(count)d organisation verified.", "%(count)d organisations verified.",
                                           count) % {"count": count})

    @admin.action(description=_("Withdraw verification"))
    def unverify(self, request, queryset):
        for organisation in queryset:
            services.set_organisation_verified(actor=request.user, organisation=organisation, verified=False)
        count = queryset.count()
        messages.success(request, ngettext("%(count)d organisation no longer verified.",
                                           "%(count)d organisations no longer verified.", count) % {"count": count})


@admin.register(Membership)
class MembershipAdmin(BumpsVersionsAdmin):
    version_kinds = ("accounts.organisation",)
    list_display = ["user", "organisation", "role", "status", "created_at"]
    list_filter = ["role", "status"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    raw_id_fields = ["user", "organisation", "decided_by"]
