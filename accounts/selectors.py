"""Reads about members and organisations, with their visibility rules."""

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import Membership, Organisation, User
from accounts.permissions import AnyUser

# What a page shows of a member beside their content (a message, a post, a reaction): name, avatar, address.
FACE_FIELDS = ("id", "email", "full_name", "avatar", "is_active")
_UNSHOWN = [field.name for field in User._meta.concrete_fields if field.name not in FACE_FIELDS]


def beside_content(*relations: str) -> list[str]:
    """For `.defer()`: the columns of the members reached through `relations` that no face shows (bio, password,
    settings, sanctions), so a list of 50 messages does not read and parse 50 biographies."""
    return [f"{relation}__{field}" for relation in relations for field in _UNSHOWN]


def organisation_for_page(slug: str) -> QuerySet[Organisation]:
    """The organisation without its taxonomy, which the page reads only when its head is rendered afresh."""
    return Organisation.objects.filter(slug=slug)


def membership_in(user: AnyUser, organisation: Organisation) -> Membership | None:
    """The user's membership of the organisation, active or asked for, or None (one query, none for a visitor)."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).order_by().first()


def listed_members(organisation: Organisation, viewer: AnyUser) -> QuerySet[Membership]:
    """Active members shown on the organisation's page: public profiles to all, every profile to members."""
    qs = (Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE,
                                    user__is_active=True)
          .select_related("user").order_by("user__full_name"))
    if not viewer.is_authenticated:
        qs = qs.filter(user__profile_visibility=User.Visibility.PUBLIC)
    return qs


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def pending_requests(organisation: Organisation) -> QuerySet[Membership]:
    return (Membership.objects.filter(organisation=organisation, status=Membership.Status.PENDING)
            .select_related("user").order_by("created_at"))


def members_for_admin(organisation: Organisation) -> QuerySet[Membership]:
    return (Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
            .select_related("user").order_by("user__full_name"))




def profile_with_memberships(user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk=user_id).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(status=Membership.Status.ACTIVE)
                 .select_related("organisation").order_by("organisation__name"))
    )


def pending_request_counts(organisation_ids: list[int]) -> dict[int, int]:
    """Pending join requests per organisation, in one query."""
    rows = (Membership.objects.filter(organisation_id__in=organisation_ids, status=Membership.Status.PENDING)
            .values("organisation_id").annotate(n=Count("id")))
    return {row["organisation_id"]: row["n"] for row in rows}
