"""Who moderates what: the one definition every app calls.

Global moderators hold the `accounts.moderate` permission (through a group or directly; an active
superuser holds every permission) and moderate everything on the platform. A scope's own moderators
(a forum category's, registered in moderation.registry) moderate that scope only. An inactive or
suspended-by-deactivation account moderates nothing.
"""

from django.contrib.auth.models import Permission
from django.db.models import Model, Q

from accounts.permissions import AnyUser, per_request
from moderation.registry import SCOPES, scope_for

MODERATE_PERMISSION = "accounts.moderate"


def _holds_moderate(user: AnyUser) -> bool:
    """`user.has_perm("accounts.moderate")` in one small query: has_perm loads every permission the user holds
    (all of them for a superuser, ~10 ms) to answer about one. Same rules: an active superuser holds it, else
    the permission given to the user or to one of their groups."""
    if user.is_superuser:
        return True
    if hasattr(user, "_perm_cache"):  # Django loaded them already in this request: no query
        return user.has_perm(MODERATE_PERMISSION)
    app_label, codename = MODERATE_PERMISSION.split(".")
    return Permission.objects.filter(Q(user=user) | Q(group__user=user), content_type__app_label=app_label,
                                     codename=codename).exists()


def is_global_moderator(user: AnyUser) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return per_request(user, "is_global_moderator", lambda: _holds_moderate(user))


def is_moderator(user: AnyUser, scope: Model | None = None) -> bool:
    """Does `user` moderate `scope` (a forum category, ...)? Without a scope: the whole platform."""
    if is_global_moderator(user):
        return True
    if scope is None or not (user.is_authenticated and user.is_active):
        return False
    return scope.pk in moderated_scope_ids(user, type(scope))


def moderated_scope_ids(user: AnyUser, model: type[Model]) -> frozenset[int]:
    """The ids of the `model` scopes `user` moderates as their own moderator (not as a global one)."""
    registered = scope_for(model)
    if registered is None or not (user.is_authenticated and user.is_active):
        return frozenset()
    return per_request(user, f"moderated:{registered.key}", lambda: frozenset(registered.moderated_by(user)))


def moderates_any_scope(user: AnyUser) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return any(moderated_scope_ids(user, scope.model) for scope in SCOPES)


def can_use_moderation_queue(user: AnyUser) -> bool:
    """The queue and the log: global moderators, and moderators of any scope (who see their scope's)."""
    return is_global_moderator(user) or moderates_any_scope(user)


def can_moderate_members(user: AnyUser) -> bool:
    """Warning from the member page, silencing and suspending act on the whole platform: global moderators."""
    return is_global_moderator(user)

