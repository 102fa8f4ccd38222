"""Who moderates what: the one definition every app calls.

Global moderators hold the `accounts.moderate` permission (through a group or directly; an active
superuser holds every permission) and moderate everything on the platform. A scope's own moderators
(a forum category's, registered in moderation.registry) moderate that scope only. An inactive or
suspended-by-deactivation account moderates nothing.
"""

from django.contrib.auth.models import Permission
from django.db.models import Model, Q

from accounts.permissions import AnyUser
from core.fragments import RIGHTS_KINDS
from core.memberfacts import member_fact
from moderation.registry import SCOPES, scope_for

MODERATE_PERMISSION = "accounts.moderate"


def _holds_moderate(user: AnyUser) -> bool:
    """Whether `user` holds the `accounts.moderate` permission, given to them or to one of their groups, in one
    small query (has_perm loads every permission the user holds to answer about one). A superuser's is decided
    by the caller, from the user row."""
    app_label, codename = MODERATE_PERMISSION.split(".")
    return Permission.objects.filter(Q(user=user) | Q(group__user=user), content_type__app_label=app_label,
                                     codename=codename).exists()


def rights(user: AnyUser) -> tuple[bool, dict[str, frozenset[int]]]:
    """What `user` moderates beside the user row's own flags: whether they hold the permission, and the ids of
    each scope they moderate as its own moderator (a superuser holds every permission: no query)."""
    scopes = {scope.key: frozenset(scope.moderated_by(user)) for scope in SCOPES}
    return user.is_superuser or _holds_moderate(user), scopes


def rights_kinds(user: AnyUser) -> list:
    """What rights is kept under: the member's rights (core.fragments.RIGHTS_KINDS: groups, permissions,
    superuser, memberships) and each scope's moderators."""
    return [*RIGHTS_KINDS, *dict.fromkeys(kind for scope in SCOPES for kind in scope.kinds)]


def _kept_rights(user: AnyUser) -> tuple[bool, dict[str, frozenset[int]]]:
    """rights, for the request's own member kept per member and read with their other facts (core.memberfacts,
    registered in moderation.apps): every page's header asks whether the member has a moderation queue, and pages
    ask whether they moderate, at no query. Any other user object (a job's, a test's own) is answered from the
    database."""
    return member_fact(user, "moderation.rights")


def is_global_moderator(user: AnyUser) -> bool:
    """An active superuser, or an active member holding the permission (directly or through a group)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or _kept_rights(user)[0]


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
    return _kept_rights(user)[1].get(registered.key, frozenset())


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

