"""Every write to members, organisations and memberships.

Rules that hold wherever a write comes from (view, API, admin, demo data):
- a member belongs to an organisation once; asking again is refused;
- an organisation always keeps at least one active admin;
- only staff verify an organisation.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, User
from accounts.permissions import can_manage_organisation
from core import audit, images, versions
from core.errors import Conflict
from core.markdown import render_markdown
from core.models import PolicyArea, Topic
from core.services import notify, notify_many
from core.slugs import save_with_unique_slug
from core.taxonomy import set_taxonomy


@versions.bumps("accounts.member")
@transaction.atomic
def update_profile(*, user: User, full_name: str | None = None, job_title: str | None = None,
                   bio: str | None = None, timezone: str | None = None, language: str | None = None,
                   profile_visibility: str | None = None, email_notifications: str | None = None) -> User:
    """Change a member's own profile; a field left as None keeps its value. Only these fields: the e-mail
    address, roles and sanctions change elsewhere, so no caller can slip them in."""
    changes = {"full_name": full_name, "job_title": job_title, "bio": bio, "timezone": timezone,
               "language": language, "profile_visibility": profile_visibility,
               "email_notifications": email_notifications}
    for name, value in changes.items():
        if value is not None:
            setattr(user, name, value)
    user.bio_html = render_markdown(user.bio)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@versions.bumps("accounts.member")
@transaction.atomic
def set_language(*, user: User, language: str) -> User:
    """Make `language` (one of settings.LANGUAGES) the member's: their pages, mails and notifications."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@versions.bumps("accounts.member")
@transaction.atomic
def set_avatar(*, user: User, upload: UploadedFile | None) -> User:
    """Give a member a new avatar (checked, resized, stripped by core.images), or none with upload=None.
    The replaced files are deleted once the change is committed."""
    old = user.avatar
    user.avatar = images.store_picture(upload, folder="avatars", crop=True, field="avatar") if upload else ""
    user.save(update_fields=["avatar"])
    if old:
        transaction.on_commit(lambda: images.delete_picture(folder="avatars", key=old))
    return user


@versions.bumps("accounts.organisation")
@transaction.atomic
def set_organisation_logo(*, actor: User, organisation: Organisation, upload: UploadedFile | None) -> Organisation:
    """Give an organisation a new logo, or none with upload=None; only its administrators may."""
    if not can_manage_organisation(actor, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can change its logo."))
    old = organisation.logo
    organisation.logo = images.store_picture(upload, folder="logos", crop=False, field="logo") if upload else ""
    organisation.save(update_fields=["logo", "updated_at"])
    if old:
        transaction.on_commit(lambda: images.delete_picture(folder="logos", key=old))
    return organisation


@versions.bumps("accounts.organisation")
@transaction.atomic
def found_organisation(*, founder: User, name: str, kind: str, country: str, city: str = "",
                       level: str = "local", website: str = "", description: str = "",
                       policy_areas: Iterable[PolicyArea] = (), topics: Iterable[Topic] = ()) -> Organisation:
    """Create an organisation with its founder as active admin; it stays unverified until staff check it."""
    organisation = Organisation(
        name=name, kind=kind, country=country, city=city, level=level,
        website=website, description=description, description_html=render_markdown(description),
        created_by=founder,
    )
    organisation.full_clean(exclude=["slug"])
    save_with_unique_slug(organisation, name, fallback="organisation", max_length=200)
    set_taxonomy(organisation, policy_areas, topics)
    Membership.objects.create(user=founder, organisation=organisation, role=Membership.Role.ADMIN,
                              status=Membership.Status.ACTIVE, decided_at=timezone.now(), decided_by=founder)
    return organisation


@versions.bumps("accounts.organisation")
@transaction.atomic
def update_organisation(*, actor: User, organisation: Organisation, name: str | None = None, kind: str | None = None,
                        country: str | None = None, city: str | None = None, level: str | None = None,
                        website: str | None = None, description: str | None = None,
                        policy_areas: Iterable[PolicyArea] | None = None,
                        topics: Iterable[Topic] | None = None) -> Organisation:
    """Edit the organisation's profile; a field left as None keeps its value (verification is staff's,
    see set_organisation_verified)."""
    if not can_manage_organisation(actor, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can edit its profile."))
    changes = {"name": name, "kind": kind, "country": country, "city": city, "level": level, "website": website,
               "description": description}
    for field, value in changes.items():
        if value is not None:
            setattr(organisation, field, value)
    organisation.description_html = render_markdown(organisation.description)
    organisation.last_activity_at = timezone.now()
    organisation.full_clean()
    organisation.save()
    set_taxonomy(organisation, policy_areas, topics)
    return organisation


@versions.bumps("accounts.organisation")
@transaction.atomic
def set_organisation_verified(*, actor: User, organisation: Organisation, verified: bool,
                              tell_admins: bool = True) -> Organisation:
    """Staff verify (list) or unlist an organisation; its admins are told unless `tell_admins` is off (a CSV
    import founds and verifies thousands at once for the importing staff member, who needs no notice)."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only staff verify organisations."))
    organisation.verified = verified
    organisation.verified_at = timezone.now() if verified else None
    organisation.save(update_fields=["verified", "verified_at", "updated_at"])
    audit.record(actor=actor, action="organisation.verified" if verified else "organisation.unverified",
                 target=organisation)
    if verified and tell_admins:
        notify_many(
            recipients=[m.user for m in organisation.memberships.filter(
                role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE).select_related("user")],
            kind="accounts.verified", params={"organisation": organisation.name},
            url=organisation.get_absolute_url(), actor=actor,
        )
    return organisation


def _active_admins(organisation: Organisation):
    return Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN,
                                     status=Membership.Status.ACTIVE)


@versions.bumps("accounts.organisation")
@transaction.atomic
def request_membership(*, user: User, organisation: Organisation, message: str = "") -> Membership:
    """A member asks to join; the organisation's admins are told and decide."""
    existing = Membership.objects.filter(user=user, organisation=organisation).first()
    if existing is not None:
        if existing.is_active:
            raise Conflict(_("You are already a member of %(organisation)s.") % {"organisation": organisation.name},
                           field="organisation")
        raise Conflict(_("You have already asked to join %(organisation)s; its administrators will decide.")
                       % {"organisation": organisation.name},
                       field="organisation")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, organisation=organisation, message=message[:500],
                                                   status=Membership.Status.PENDING)
    except IntegrityError:  # the same request submitted twice at once: the first one stands
        raise Conflict(_("You have already asked to join %(organisation)s; its administrators will decide.")
                       % {"organisation": organisation.name},
                       field="organisation") from None
    notify_many(
        recipients=[m.user for m in _active_admins(organisation).select_related("user")],
        kind="accounts.join_request", params={"name": user.full_name, "organisation": organisation.name},
        url=reverse("accounts:organisation-members", args=[organisation.slug]), actor=user,
    )
    return membership


def _lock_with_admins(organisation: Organisation, *, membership_id: int | None = None,
                      user: User | None = None) -> Membership | None:
    """Lock the organisation's admin rows and one membership (by id, or the user's) together, in id order,
    and return that membership. One fixed order: two admins demoting or removing each other at once wait
    for one another instead of deadlocking, and the second then sees the first's change."""
    wanted = Q(pk=membership_id) if membership_id is not None else Q(user=user)
    admins = Q(role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE)
    rows = (Membership.objects.select_for_update(of=("self",)).select_related("user", "organisation")
            .filter(wanted | admins, organisation=organisation).order_by("pk"))
    return next((row for row in rows if row.pk == membership_id or (user is not None and row.user_id == user.pk)),
                None)


def _lock_membership(actor: User, membership_id: int, organisation: Organisation) -> Membership:
    if not can_manage_organisation(actor, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can manage its members."))
    membership = _lock_with_admins(organisation, membership_id=membership_id)
    if membership is None:
        raise ValidationError(_("That membership does not exist (any more)."))
    return membership


@versions.bumps("accounts.organisation")
@transaction.atomic
def approve_membership(*, actor: User, organisation: Organisation, membership_id: int) -> Membership:
    membership = _lock_membership(actor, membership_id, organisation)
    if membership.is_active:
        return membership
    membership.status = Membership.Status.ACTIVE
    membership.decided_at, membership.decided_by = timezone.now(), actor
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    _record_decision(actor, organisation, membership, action="membership.approved", kind="accounts.join_approved")
    return membership


@versions.bumps("accounts.organisation")
@transaction.atomic
def decline_membership(*, actor: User, organisation: Organisation, membership_id: int) -> None:
    membership = _lock_membership(actor, membership_id, organisation)
    if membership.is_active:
        raise ValidationError(_("%(name)s is already a member; remove them instead.")
                              % {"name": membership.user.full_name})
    _record_decision(actor, organisation, membership, action="membership.declined", kind="accounts.join_declined")
    membership.delete()


def _record_decision(actor: User, organisation: Organisation, membership: Membership, *, action: str,
                     kind: str) -> None:
    """An administrator's answer to a request to join: the audit row, and the notice to who asked."""
    audit.record(actor=actor, action=action, target=membership, label=f"{membership.user} in {organisation}")
    notify(recipient=membership.user, kind=kind, actor=actor, params={"organisation": organisation.name},
           url=organisation.get_absolute_url())


def _ensure_another_admin_remains(membership: Membership) -> None:
    """Must be called while holding the lock of _lock_with_admins (the admin rows, in id order)."""
    if membership.is_admin and not _active_admins(membership.organisation).exclude(pk=membership.pk).exists():
        raise ValidationError(
            _("%(organisation)s must keep at least one administrator: make another member an administrator first.")
            % {"organisation": membership.organisation.name}
        )


@versions.bumps("accounts.organisation")
@transaction.atomic
def change_member_role(*, actor: User, organisation: Organisation, membership_id: int, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError(_("“%(role)s” is not a role; choose one of %(roles)s.")
                              % {"role": role, "roles": ", ".join(Membership.Role.values)})
    membership = _lock_membership(actor, membership_id, organisation)
    if not membership.is_active:
        raise ValidationError(_("Approve the request before giving the member a role."))
    if role != Membership.Role.ADMIN:
        _ensure_another_admin_remains(membership)
    audit.record(actor=actor, action="membership.role_changed", target=membership,
                 label=f"{membership.user} in {organisation}", details={"from": membership.role, "to": role})
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@versions.bumps("accounts.organisation")
@transaction.atomic
def remove_member(*, actor: User, organisation: Organisation, membership_id: int) -> None:
    membership = _lock_membership(actor, membership_id, organisation)
    _ensure_another_admin_remains(membership)
    audit.record(actor=actor, action="membership.removed", target=membership,
                 label=f"{membership.user} in {organisation}")
    membership.delete()
    notify(recipient=membership.user, kind="accounts.removed", actor=actor,
           params={"organisation": organisation.name}, url=organisation.get_absolute_url())


@versions.bumps("accounts.organisation")
@transaction.atomic
def leave_organisation(*, user: User, organisation: Organisation) -> None:
    membership = _lock_with_admins(organisation, user=user)
    if membership is None:
        raise ValidationError(_("You are not a member of %(organisation)s.") % {"organisation": organisation.name})
    _ensure_another_admin_remains(membership)
    membership.delete()
