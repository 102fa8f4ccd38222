"""Discussion topics for content that lives in other apps (an event, a practice): created on demand,
linked both ways — the topic names its subject (Topic.subject), the subject's page links its topic.

A kind registers how to find a subject the member may see, and whether the subject is public:
`register_discussion_kind(name, model=..., find=..., is_public=...)`. The topic goes to the public
category of the subject's first policy area (or a public general category); a members-only
subject's topic goes to a members-only category, so a discussion never shows more than its subject.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from accounts.permissions import AnyUser
from directory.models import Practice
from directory.selectors import published_practices
from events.models import Event
from events.selectors import events_visible_to
from forums.models import Category


@dataclass(frozen=True)
class DiscussionKind:
    name: str
    model: type[Model]
    find: Callable[[str, AnyUser], Model | None]
    is_public: Callable[[Model], bool]
    policy_area_ids: Callable[[Model], list[int]]


_KINDS: dict[str, DiscussionKind] = {}


def register_discussion_kind(name: str, *, model: type[Model], find: Callable[[str, AnyUser], Model | None],
                             is_public: Callable[[Model], bool],
                             policy_area_ids: Callable[[Model], list[int]]) -> None:
    _KINDS[name] = DiscussionKind(name=name, model=model, find=find, is_public=is_public,
                                  policy_area_ids=policy_area_ids)


def kind_named(name: str) -> DiscussionKind | None:
    return _KINDS.get(name)


def kind_of(subject: Model) -> DiscussionKind | None:
    return next((k for k in _KINDS.values() if isinstance(subject, k.model)), None)


def category_for(subject: Model) -> Category | None:
    """Where a subject's discussion goes (see the module's docstring); None when no category fits."""
    kind = kind_of(subject)
    if kind is None:
        return None
    visibility = Category.Visibility.PUBLIC if kind.is_public(subject) else Category.Visibility.MEMBERS
    candidates = list(Category.objects.filter(visibility=visibility, start_topics=Category.Access.READERS))
    areas = kind.policy_area_ids(subject)
    for area_id in areas:
        for category in candidates:
            if category.policy_area_id == area_id:
                return category
    general = [c for c in candidates if c.policy_area_id is None]
    return (general or candidates or [None])[0]


register_discussion_kind(
    "event", model=Event,
    find=lambda slug, user: events_visible_to(user).filter(slug=slug, status=Event.Status.PUBLISHED).first(),
    is_public=lambda event: event.visibility == Event.Visibility.PUBLIC,
    policy_area_ids=lambda event: list(event.policy_areas.values_list("pk", flat=True)),
)

register_discussion_kind(
    "practice", model=Practice,
    find=lambda slug, user: published_practices().filter(slug=slug).first(),
    is_public=lambda practice: True,
    policy_area_ids=lambda practice: list(practice.policy_areas.values_list("pk", flat=True)),
)
