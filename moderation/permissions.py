"""Who moderates what: the one definition every app calls.

Global moderators hold the `accounts.moderate` permission (through a group or directly; an active
superuser holds every permission) and moderate everything on the platform. A scope's own moderators
(a forum category's, registered in moderation.registry) moderate that scope only. An inactive or
suspended-by-deactivation account moderates nothing.
"""

from django.db.models import Model

from accounts.permissions import AnyUser
from moderation.registry import SCOPES, scope_for

MODERATE_PERMISSION = "accounts.moderate"


def is_global_moderator(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MODERATE_PERMISSION)


def is_moderator(user: AnyUser, scope: Model | None = None) -> bool:
    """Does `user` moderate `scope` (a forum category, ...)? Without a scope: the whole platform."""
    if is_global_moderator(user):
        return True
    if scope is None or not (user.is_authenticated and user.is_active):
        return False
    registered = scope_for(type(scope))
    return registered is not None and scope.pk in set(registered.moderated_by(user))


def moderated_scope_ids(user: AnyUser, model: type[Model]) -> frozenset[int]:
    """The ids of the `model` scopes `user` moderates as their own moderator (not as a global one)."""
    registered = scope_for(model)
    if registered is None or not (user.is_authenticated and user.is_active):
        return frozenset()
    return frozenset(registered.moderated_by(user))


def moderates_any_scope(user: AnyUser) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return any(next(iter(scope.moderated_by(user)), None) is not None for scope in SCOPES)


def can_use_moderation_queue(user: AnyUser) -> bool:
    """The queue and the log: global moderators, and moderators of any scope (who see their scope's)."""
    return is_global_moderator(user) or moderates_any_scope(user)


def can_moderate_members(user: AnyUser) -> bool:
    """Warning from the member page, silencing and suspending act on the whole platform: global moderators."""
    return is_global_moderator(user)

