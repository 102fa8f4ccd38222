"""Who may read, start topics, reply and moderate in which forum category: plain functions that
pages, the API and services all call.

Access is decided per category from three settings (see Category): who reads (public, members,
restricted), who starts topics and who replies (readers, restricted, moderators). "Restricted"
means members of the category's chosen groups, or active members of a *verified* organisation of
one of its chosen kinds (so founding an unverified "municipality" opens nothing). Global
moderators read and moderate everything; a category's own moderators read and moderate that category
only (both as moderation.permissions decides: categories are a moderation scope, see forums.moderation).

`Reader.of(user)` loads what the rules need about one user, once per request for the request's own user
(accounts.permissions.per_request); pages that check many categories pass it on. For the request's own user the
facts are kept per member until their rights (core.fragments.RIGHTS_KINDS: groups, superuser, memberships,
organisations' verification) or the forums (forums.forum: a category's moderators) change: one cache round trip
on each page instead of four queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects

from accounts.models import Membership
from accounts.permissions import REQUEST_MEMO, AnyUser, per_request
from core import versions
from core.fragments import RIGHTS_KINDS
from forums.models import Category, Post, Topic
from moderation.permissions import is_global_moderator, moderated_scope_ids


@dataclass(frozen=True)
class Reader:
    user: AnyUser
    is_global_moderator: bool = False
    group_ids: frozenset[int] = field(default_factory=frozenset)
    organisation_kinds: frozenset[str] = field(default_factory=frozenset)
    moderated_category_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user: AnyUser) -> "Reader":
        if not user.is_authenticated or not user.is_active:
            return cls(user=user)
        return per_request(user, "forums.reader", lambda: cls._load(user))

    @classmethod
    def _load(cls, user: AnyUser) -> "Reader":
        if getattr(user, REQUEST_MEMO, None) is None:  # not a request's own user: its rights are read afresh
            return cls(user=user, **cls._read_facts(user))
        return cls(user=user, **versions.kept(*cls._kept(user)))

    @classmethod
    def _kept(cls, user: AnyUser) -> tuple[str, list, Callable[[], dict]]:
        return f"v:forums-reader:{user.pk}", [*RIGHTS_KINDS, "forums.forum"], lambda: cls._read_facts(user)

    @classmethod
    def kept_facts(cls, user: AnyUser) -> tuple[str, list, Callable[[], dict]] | None:
        """For a page that reads the request's own user's rights with its other kept values in one round trip
        (versions.kept_together), then gives them to `remember`: what `of` would keep, or None when `of` keeps
        nothing for this user (a visitor, an inactive member, not a request's own user) or read it already."""
        memo = getattr(user, REQUEST_MEMO, None)
        if memo is None or "forums.reader" in memo or not user.is_authenticated or not user.is_active:
            return None
        return cls._kept(user)

    @classmethod
    def remember(cls, user: AnyUser, facts: dict) -> None:
        """The request's own user's facts, read as `kept_facts` says: `of` answers with them for the request."""
        getattr(user, REQUEST_MEMO)["forums.reader"] = cls(user=user, **facts)

    @staticmethod
    def _read_facts(user: AnyUser) -> dict:
        kinds = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE,
                                          organisation__verified=True).values_list("organisation__kind", flat=True)
        return {
            "is_global_moderator": is_global_moderator(user),
            "group_ids": frozenset(user.groups.values_list("pk", flat=True)),
            "organisation_kinds": frozenset(kinds),
            "moderated_category_ids": moderated_scope_ids(user, Category),
        }

    @property
    def is_member(self) -> bool:
        return self.user.is_authenticated and self.user.is_active

    def moderates(self, category: Category) -> bool:
        return self.is_global_moderator or category.pk in self.moderated_category_ids

    def in_chosen_audience(self, category: Category) -> bool:
        """Member of one of the category's groups, or of a verified organisation of one of its kinds.

        Reads `category.allowed_groups` once per category object, and only for a member in some group: prefetch it
        when checking many categories.
        """
        if not self.is_member:
            return False
        if self.organisation_kinds & set(category.allowed_organisation_kinds or []):
            return True
        if not self.group_ids:
            return False
        prefetch_related_objects([category], "allowed_groups")  # nothing to do when already read
        return any(group.pk in self.group_ids for group in category.allowed_groups.all())

    def can_read(self, category: Category) -> bool:
        if category.visibility == Category.Visibility.PUBLIC:
            return True
        if not self.is_member:
            return False
        if self.moderates(category) or category.visibility == Category.Visibility.MEMBERS:
            return True
        return self.in_chosen_audience(category)

    def _allowed(self, category: Category, access: str) -> bool:
        if not self.is_member or not self.can_read(category):
            return False
        if self.moderates(category):
            return True
        if access == Category.Access.MODERATORS:
            return False
        if access == Category.Access.RESTRICTED:
            return self.in_chosen_audience(category)
        return True

    def can_start_topic(self, category: Category) -> bool:
        return self._allowed(category, category.start_topics)

    def can_reply_in(self, category: Category) -> bool:
        return self._allowed(category, category.reply)


def can_read_category(user: AnyUser, category: Category) -> bool:
    return Reader.of(user).can_read(category)


def can_see_topic(who: Reader, topic: Topic) -> bool:
    """A topic held for approval is seen by its author and moderators; a deleted one by moderators."""
    if not who.can_read(topic.category):
        return False
    if topic.status == Topic.Status.PUBLISHED:
        return True
    if who.moderates(topic.category):
        return True
    return topic.status == Topic.Status.PENDING and who.is_member and topic.author_id == who.user.pk


def can_reply(who: Reader, topic: Topic) -> bool:
    if topic.status != Topic.Status.PUBLISHED or not who.can_reply_in(topic.category):
        return False
    return not topic.is_locked or who.moderates(topic.category)


def can_see_post_body(who: Reader, post: Post) -> bool:
    """Hidden and deleted posts show as such to members; moderators read them in full."""
    if post.status == Post.Status.PUBLISHED:
        return True
    if who.moderates(post.topic.category):
        return True
    return post.status == Post.Status.PENDING and who.is_member and post.author_id == who.user.pk


def can_edit_post(who: Reader, post: Post) -> bool:
    """Authors edit their own published or pending posts while the topic is open; moderators any post."""
    if not who.is_member:
        return False
    if who.moderates(post.topic.category):
        return True
    return (post.author_id == who.user.pk and post.status in (Post.Status.PUBLISHED, Post.Status.PENDING)
            and not post.topic.is_locked)


def can_delete_post(who: Reader, post: Post) -> bool:
    if not who.is_member or post.status == Post.Status.DELETED:
        return False
    return who.moderates(post.topic.category) or post.author_id == who.user.pk


def can_report_post(who: Reader, post: Post) -> bool:
    return (who.is_member and post.author_id != who.user.pk and post.status == Post.Status.PUBLISHED
            and can_see_topic(who, post.topic))


def can_mark_helpful(who: Reader, post: Post) -> bool:
    return (who.is_member and post.author_id != who.user.pk and post.status == Post.Status.PUBLISHED
            and can_see_topic(who, post.topic))
