"""Pages for a member's own account, profiles, and running an organisation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import JoinRequestForm, OrganisationForm, ProfileForm, RoleForm
from accounts.models import Membership, Organisation, User
from accounts.permissions import (
    active_role,
    can_manage_organisation,
    can_manage_with,
    can_view_organisation,
    can_view_profile,
)
from core import drafts, fragments, versions
from core.errors import SERVICE_ERRORS, describe, run_service
from core.pagecache import cache_for_visitors

ORGANISATION_DRAFT = "organisation:new"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The member's own page. Their organisations are a card kept per member and language until organisations,
    memberships or join requests change (accounts.organisation): read only when it is rendered afresh."""
    memberships = SimpleLazyObject(lambda: list(selectors.memberships_of(request.user)))
    return render(request, "accounts/dashboard.html", {
        "memberships": memberships,
        "pending_counts": SimpleLazyObject(lambda: selectors.pending_request_counts(
            [m.organisation_id for m in memberships if m.is_admin])),
    })


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        @transaction.atomic
        def save() -> User:
            if data["avatar"] or data["remove_avatar"]:
                services.set_avatar(user=request.user, upload=data["avatar"])
            return services.update_profile(
                user=request.user, full_name=data["full_name"], job_title=data["job_title"], bio=data["bio"],
                timezone=data["timezone"], language=data["language"], profile_visibility=data["profile_visibility"],
                email_notifications=data["email_notifications"])

        if run_service(form, save) is not None:
            translation.activate(data["language"])  # the page after the save is in the language just chosen
            messages.success(request, _("Your profile is saved."))
            return remember_language(redirect("accounts:profile", request.user.pk), data["language"])
    return render(request, "accounts/profile_form.html", {"form": form})


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """The language cookie too, as the menu sets it: after logging out, the pages stay in the member's language."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language menu: Django's set_language (the language cookie, back to `next`), and for a
    member the profile's language too, so their pages, mails and notifications follow.

    Exempt from the CSRF middleware so that visitors' pages carry no token and can be cached whole: a
    visitor's forged POST can only set a language cookie, which is as harmless as Accept-Language. A
    member's POST changes the profile, so it must carry the token: checked here, refused with 403."""
    if request.user.is_authenticated:
        refusal = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refusal is not None:
            return refusal
        language = request.POST.get("language", "")
        if language in dict(settings.LANGUAGES):
            services.set_language(user=request.user, language=language)
    return i18n.set_language(request)


@cache_for_visitors(*versions.CONTENT_KINDS)
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.profile_with_memberships(pk).first()
    if person is None or not can_view_profile(request.user, person):
        if person is not None and person.is_active and not request.user.is_authenticated:
            return redirect(f"{request.build_absolute_uri('/accounts/login/')}?next={request.path}")
        raise Http404(_("No such profile."))
    return render(request, "accounts/profile.html", {"person": person})


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if (response := drafts.draft_action(request, ORGANISATION_DRAFT, OrganisationForm.base_fields)) is not None:
        return response
    form = OrganisationForm(request.POST or None, request.FILES or None)
    draft = drafts.restore(request, ORGANISATION_DRAFT, form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        @transaction.atomic
        def found() -> Organisation:
            organisation = services.found_organisation(
                founder=request.user, name=data["name"], kind=data["kind"], country=data["country"],
                city=data["city"], level=data["level"], website=data["website"],
                description=data["description"], policy_areas=data["policy_areas"], topics=data["topics"],
            )
            if data["logo"]:
                services.set_organisation_logo(actor=request.user, organisation=organisation, upload=data["logo"])
            return organisation

        organisation = run_service(form, found)
        if organisation is not None:
            drafts.discard(request, ORGANISATION_DRAFT)
            messages.success(request, _("%(organisation)s is created. Staff will verify it before it is listed in "
                                        "the public directory.") % {"organisation": organisation.name})
            return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True, "draft": draft,
                                                               "draft_key": ORGANISATION_DRAFT})


@cache_for_visitors(*versions.CONTENT_KINDS, timeout=60)
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_page(slug).first()
    if organisation is None or not can_view_organisation(request.user, organisation):
        raise Http404(_("No such organisation."))
    membership = selectors.membership_in(request.user, organisation)
    return render(request, "accounts/organisation_detail.html", {
        "organisation": organisation,
        # Read only when the head's card is rendered afresh.
        "with_taxonomy": fragments.prefetched_when_shown(organisation, "policy_areas", "topics"),
        "members": lambda: selectors.listed_members(organisation, request.user),  # only for a card made afresh
        "membership": membership,
        "can_manage": can_manage_with(request.user, membership),
        "join_form": JoinRequestForm(),
    })


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_manage_organisation(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can do this."))
    return organisation


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation, initial={
        "policy_areas": organisation.policy_areas.all(), "topics": organisation.topics.all()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        @transaction.atomic
        def save() -> Organisation:
            if data["logo"] or data["remove_logo"]:
                services.set_organisation_logo(actor=request.user, organisation=organisation, upload=data["logo"])
            return services.update_organisation(
                actor=request.user, organisation=organisation, name=data["name"], kind=data["kind"],
                country=data["country"], city=data["city"], level=data["level"], website=data["website"],
                description=data["description"], policy_areas=data["policy_areas"], topics=data["topics"])

        if run_service(form, save) is not None:
            messages.success(request, _("The organisation's profile is saved."))
            return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    return render(request, "accounts/organisation_members.html", {
        "organisation": organisation,
        "pending": selectors.pending_requests(organisation),
        "members": selectors.members_for_admin(organisation),
        "roles": Membership.Role.choices,
    })


@login_required
@require_POST
def organisation_join(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_view_organisation(request.user, organisation):
        raise Http404(_("No such organisation."))
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your message is too long: 500 characters at most."))
        return redirect(organisation)
    try:
        services.request_membership(user=request.user, organisation=organisation,
                                    message=form.cleaned_data["message"])
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, _("Your request to join %(organisation)s is sent to its administrators.")
                         % {"organisation": organisation.name})
    return redirect(organisation)


@login_required
@require_POST
def organisation_leave(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    try:
        services.leave_organisation(user=request.user, organisation=organisation)
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
        return redirect(organisation)
    messages.success(request, _("You have left %(organisation)s.") % {"organisation": organisation.name})
    return redirect("accounts:dashboard")


@login_required
@require_POST
def membership_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    try:
        if action == "approve":
            membership = services.approve_membership(actor=request.user, organisation=organisation,
                                                     membership_id=pk)
            messages.success(request, _("%(name)s is now a member.") % {"name": membership.user.full_name})
        elif action == "decline":
            services.decline_membership(actor=request.user, organisation=organisation, membership_id=pk)
            messages.success(request, _("The request is declined."))
        elif action == "remove":
            services.remove_member(actor=request.user, organisation=organisation, membership_id=pk)
            messages.success(request, _("The member is removed."))
        elif action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a role: member, organiser or administrator."))
            membership = services.change_member_role(actor=request.user, organisation=organisation,
                                                     membership_id=pk, role=form.cleaned_data["role"])
            messages.success(request, _("%(name)s is now %(role)s.") % {"name": membership.user.full_name,
                                                                        "role": membership.get_role_display()})
        else:
            raise Http404(_("No such action."))
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
    # Leaving yourself without the admin role takes you away from the admin page.
    if active_role(request.user, organisation) != Membership.Role.ADMIN and not request.user.is_staff:
        return redirect(organisation)
    return redirect("accounts:organisation-members", organisation.slug)
