"""Who may see, write and review practices and resources; used by views, the API and the services alike."""

from accounts.models import Membership, Organisation
from accounts.permissions import AnyUser, active_role
from directory.models import Practice, Replication, Resource
from moderation.permissions import is_moderator


def can_submit_for(user: AnyUser, organisation: Organisation) -> bool:
    """A member writes practices and adds resources for the organisations they actively belong to."""
    return (user.is_authenticated and user.is_active and not user.is_silenced
            and active_role(user, organisation) is not None)


def can_edit_practice(user: AnyUser, practice: Practice) -> bool:
    """The author while they still belong to the lead organisation, and that organisation's admins; a
    translation's translator, whatever organisation they belong to."""
    if not user.is_authenticated or not user.is_active or user.is_silenced:
        return False
    if practice.translation_of_id is not None and practice.author_id == user.pk:
        return True
    known = getattr(practice, "_viewer_roles", {})
    role = known[user.pk] if user.pk in known else active_role(user, practice.organisation)
    return role == Membership.Role.ADMIN or (role is not None and practice.author_id == user.pk)


def remember_role(user: AnyUser, practice: Practice, role: str | None) -> None:
    """`user`'s active role in the practice's lead organisation, read with the practice (the practice page's
    selectors.practice_page_head): can_edit_practice answers from it for this practice object, without a query."""
    practice._viewer_roles = {**getattr(practice, "_viewer_roles", {}), user.pk: role}


def can_translate_practice(user: AnyUser, practice: Practice) -> bool:
    """Any member may write a version of a published original in another language; it is reviewed like any
    practice. A translation is not translated again: its original is."""
    return (user.is_authenticated and user.is_active and not user.is_silenced and practice.is_published
            and practice.translation_of_id is None)


def can_review_practices(user: AnyUser) -> bool:
    return is_moderator(user)


def can_view_practice(user: AnyUser, practice: Practice) -> bool:
    """Published practices are public; the others only to those who edit or review them."""
    if practice.is_published:
        return True
    if not user.is_authenticated:
        return False
    return user.is_staff or can_review_practices(user) or can_edit_practice(user, practice)


def can_record_replication(user: AnyUser, practice: Practice) -> bool:
    """Any member may say a place replicated a published practice; its editors may also while it is a draft."""
    if not user.is_authenticated or not user.is_active or user.is_silenced:
        return False
    return practice.is_published or can_edit_practice(user, practice)


def can_remove_replication(user: AnyUser, replication: Replication) -> bool:
    if not user.is_authenticated:
        return False
    return (replication.added_by_id == user.pk or can_review_practices(user)
            or can_edit_practice(user, replication.practice))


def can_view_resource(user: AnyUser, resource: Resource) -> bool:
    """A resource is public when its publisher is verified; otherwise only its publisher's members see it."""
    if resource.publisher.verified:
        return True
    if not user.is_authenticated:
        return False
    return user.is_staff or active_role(user, resource.publisher) is not None


def can_edit_resource(user: AnyUser, resource: Resource) -> bool:
    """Whoever added it while still a member of the publisher, the publisher's admins, and moderators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_moderator(user):
        return True
    if user.is_silenced:
        return False
    role = active_role(user, resource.publisher)
    return role == Membership.Role.ADMIN or (role is not None and resource.added_by_id == user.pk)


def can_translate_resource(user: AnyUser, resource: Resource) -> bool:
    """A library item goes in unreviewed, in its publisher's name: so its versions in other languages are added by
    those who add its publisher's resources (its active members). A version is not translated again."""
    return resource.translation_of_id is None and can_submit_for(user, resource.publisher)


def can_import(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff

