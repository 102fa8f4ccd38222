"""The one way an app offers something to the others without their importing it: extension points.

A lower layer declares an extension point (a named registry); a higher app fills it in its
`AppConfig.ready()`; whoever needs the contributions reads the point, never the app that made them.
So `events` shows the related practices of `directory`, `directory`'s search covers `forums`, and
`moderation` takes reports of `chat` messages, while no feature app imports another.

The points every app may fill are declared here (core is the lowest layer); moderation declares its
own two (reportable kinds, moderation scopes) in `moderation/registry.py` on the same class:

    PAGE_SECTIONS     a block of one app's content on another's page, by slot: "home", "dashboard",
                      "dashboard_aside", "organisation", "event", "event_details", "practice",
                      "profile_actions", "moderation_queue"
    SEARCH_PROVIDERS  a kind of result on the site-wide search page
    DISCUSSABLE       content that can have a forum discussion (events, practices)
    LINK_PREVIEWS     a card for a link to this site's content in a post (organisations, events, practices)
    ACTIONS           a named call one app offers the others, e.g. "chat.contact_group": events opens a
                      conversation with its organisers without importing chat; a later app opens a group
                      conversation the same way
    MATCHING_EVIDENCE what an app knows of organisations' work, for the matching engine (accounts.matching):
                      "Find peers" and the expertise exchange's suggestions
    NOTIFICATION_KINDS how each kind of notification reads ("forums.reply", "events.confirmed"): its title
                      and body made from the parameters stored with it, in the reader's language, when it
                      is shown (core.notifications.render)

Registering the same key twice with a different contribution is a mistake and raises at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

T = TypeVar("T")


class ExtensionPoint(Generic[T]):
    """A named registry of contributions, each under a key; read in the order of `order`, then key."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.doc = doc
        self._items: dict[str, T] = {}
        POINTS[name] = self

    def register(self, key: str, contribution: T) -> T:
        existing = self._items.get(key)
        if existing is not None and existing != contribution:
            raise ValueError(f"{self.name}: {key!r} is already registered.")
        self._items[key] = contribution
        return contribution

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            raise LookupError(f"{self.name}: nothing is registered as {key!r}; is its app installed?") from None

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def keys(self) -> list[str]:
        return [key for key, _ in self.items()]

    def items(self) -> list[tuple[str, T]]:
        return sorted(self._items.items(), key=lambda kv: (getattr(kv[1], "order", 0), kv[0]))

    def __iter__(self) -> Iterator[T]:
        return iter([item for _, item in self.items()])


POINTS: dict[str, ExtensionPoint] = {}


@dataclass(frozen=True)
class Section:
    """A block of content on another app's page. `context(request, obj)` returns the template's context,
    or None to show nothing (nothing to show, or not for this viewer). `cache` says which viewers share the
    rendered block and what it shows (a rule of core/fragments.py); without it the block is rendered each time."""

    slot: str
    template: str
    context: Callable[[HttpRequest, Any], dict | None]
    order: int = 0
    cache: Callable[[HttpRequest, Any], tuple[list, str] | None] | None = None


@dataclass(frozen=True)
class SearchProvider:
    """One kind of result on the site-wide search page: `search(user, q)` returns what `user` may see
    matching `q`, best first; `template` shows one result as `object`; `list_url_name` is the kind's
    own list page, linked with `?q=`."""

    key: str
    label: str
    search: Callable[[Any, str], QuerySet]
    template: str
    list_url_name: str = ""
    order: int = 0


@dataclass(frozen=True)
class Discussable:
    """Content that can have a discussion topic: `find(slug, user)` returns the one `user` may see (or None),
    `is_public(obj)` whether visitors see it, `policy_area_ids(obj)` where its topic belongs, and
    `public_subjects()` the public ones (demo data starts discussions of them)."""

    model: type[Model]
    find: Callable[[str, Any], Model | None]
    is_public: Callable[[Model], bool]
    policy_area_ids: Callable[[Model], list[int]]
    public_subjects: Callable[[], QuerySet]


@dataclass(frozen=True)
class LinkPreview:
    """The card a post shows for a link to public content on this site."""

    kind: str
    title: str
    url: str
    meta: str = ""


# Purposes of the matching engine: organisations like mine ("Find peers"), who could help with a request.
PEERS = "peers"
SUPPORT = "support"


@dataclass(frozen=True)
class Need:
    """What is sought, for the matching engine: the sub-topics and areas, where, at which level, in which
    languages; `exclude` are organisations not to suggest."""

    area_ids: frozenset[int] = frozenset()
    topic_ids: frozenset[int] = frozenset()
    level: str = ""
    country: str = ""
    kind: str = ""
    languages: frozenset[str] = frozenset()
    exclude: frozenset[int] = frozenset()


@dataclass
class Finding:
    """One evidence source's finding about one organisation: its weight, why (a sentence), who did it."""

    score: float
    reasons: list[str]
    people: tuple[int, ...] = ()


@dataclass(frozen=True)
class EvidenceSource:
    """What an app knows of organisations' work, in batch: `find(need, candidates)` returns
    {organisation_id: Finding} in a fixed number of queries. A `qualifying` source decides who is a candidate
    (and gets candidates=None); any other only adds weight and a reason to those that qualified (and gets
    their ids). `purposes` are PEERS and/or SUPPORT."""

    find: Callable[[Need, set[int] | None], dict[int, Finding]]
    purposes: frozenset[str]
    qualifying: bool = True


@dataclass(frozen=True)
class NotificationKind:
    """How one kind of notification reads. `title` and `body` are each a message marked for translation
    (`gettext_lazy`, with named placeholders filled from the notification's parameters) or a callable
    `(params) -> str` for text that needs more (a date in the reader's time zone, a plural); `body=None`
    means no body. Both are evaluated when the notification is shown, in the active language and zone."""

    title: Any
    body: Any = None


class _Sections:
    """PAGE_SECTIONS keyed by slot: `register(key, Section(slot=...))`, read with `for_slot(slot)`."""

    def __init__(self) -> None:
        self._point: ExtensionPoint[Section] = ExtensionPoint(
            "core.page_sections", "A block of one app's content on another app's page.")

    def register(self, key: str, section: Section) -> Section:
        return self._point.register(key, section)

    def for_slot(self, slot: str) -> list[Section]:
        return [section for section in self._point if section.slot == slot]


PAGE_SECTIONS = _Sections()
SEARCH_PROVIDERS: ExtensionPoint[SearchProvider] = ExtensionPoint(
    "core.search_providers", "A kind of result on the site-wide search page.")
DISCUSSABLE: ExtensionPoint[Discussable] = ExtensionPoint(
    "core.discussable", "Content that can have a forum discussion, by kind name (the URL's kind).")
LINK_PREVIEWS: ExtensionPoint[Callable[..., LinkPreview | None]] = ExtensionPoint(
    "core.link_previews", "By URL name: the preview card of the page's content, from the URL's arguments.")
ACTIONS: ExtensionPoint[Callable[..., Any]] = ExtensionPoint(
    "core.actions", "A named call one app offers the others (keyword arguments only).")
MATCHING_EVIDENCE: ExtensionPoint[EvidenceSource] = ExtensionPoint(
    "core.matching_evidence", "What an app knows of organisations' work, in batch, for matching peers.")
NOTIFICATION_KINDS: ExtensionPoint[NotificationKind] = ExtensionPoint(
    "core.notification_kinds", "By notification kind: how its title and body read, from its parameters.")

def call(action: str, **kwargs: Any) -> Any:
    """Run the action another app registered under `action` (see ACTIONS); keyword arguments only."""
    return ACTIONS[action](**kwargs)


def discussable_kind_of(obj: Model) -> tuple[str, Discussable] | None:
    return next(((key, kind) for key, kind in DISCUSSABLE.items() if isinstance(obj, kind.model)), None)
