"""Who may do what with members and organisations; used by views, the API and other apps."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser

from accounts.models import Membership, Organisation, User
from core.memberfacts import REQUEST_MEMO

AnyUser = User | AnonymousUser
T = TypeVar("T")


def per_request(user: AnyUser, name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per request for the request's user (accounts.middleware.MemberMiddleware marks it), so a
    page asking "is this a moderator?" twenty times queries once. Any other user object (a service called from a
    job, a test's own object, another member) is answered afresh each time: its rights may change meanwhile."""
    memo = getattr(user, REQUEST_MEMO, None)
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def active_role(user: AnyUser, organisation: Organisation) -> str | None:
    """The member's role in the organisation, or None when they are not an active member.

    Views that show several organisations should prefetch memberships instead of calling this in a loop.
    """
    if not user.is_authenticated:
        return None
    return (Membership.objects.filter(user=user, organisation=organisation, status=Membership.Status.ACTIVE)
            .values_list("role", flat=True).first())


def can_manage_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Edit the profile, approve or decline requests, change roles: the organisation's admins and staff."""
    if not user.is_authenticated:
        return False
    return user.is_staff or active_role(user, organisation) == Membership.Role.ADMIN


def can_manage_with(user: AnyUser, membership: Membership | None) -> bool:
    """can_manage_organisation for a page that has read the user's membership of the organisation already."""
    return user.is_authenticated and (user.is_staff or (membership is not None and membership.is_admin))


def can_organise_for(user: AnyUser, organisation: Organisation) -> bool:
    """Create and run the organisation's events: its organisers and admins."""
    if not user.is_authenticated:
        return False
    return user.is_staff or active_role(user, organisation) in (Membership.Role.ORGANISER, Membership.Role.ADMIN)


def can_view_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Verified organisations are public; an unverified one only to its members and staff."""
    if organisation.verified:
        return True
    return user.is_authenticated and (user.is_staff or Membership.objects.filter(
        user=user, organisation=organisation).exists())


def can_view_profile(viewer: AnyUser, user: User) -> bool:
    if not user.is_active:
        return False
    if user.profile_visibility == User.Visibility.PUBLIC:
        return True
    return viewer.is_authenticated
