"""The kinds the site-wide search page covers. Adding a kind is one line in SEARCH_KINDS.

Each kind names a function `(user, q) -> QuerySet` returning what `user` may see matching `q`, best
first; a template that shows one result as `object`; and, optionally, the URL name of the kind's own
list page, which the search page links to with `?q=`. Functions are named by dotted path so that an
app's search can be listed here without importing it at start-up.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.module_loading import import_string

from accounts.models import Organisation
from accounts.permissions import AnyUser
from directory import selectors
from directory.models import Practice, Resource

RESULTS_PER_KIND = 5


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    function: str
    template: str
    list_url_name: str = ""

    def search(self, user: AnyUser, q: str) -> QuerySet:
        return import_string(self.function)(user, q)


def search_organisations(user: AnyUser, q: str) -> QuerySet[Organisation]:
    return (selectors.search_organisations(selectors.directory_organisations(), q)
            .order_by("-rank", "name").prefetch_related("policy_areas"))


def search_practices(user: AnyUser, q: str) -> QuerySet[Practice]:
    return (selectors.search_practices(selectors.published_practices(), q)
            .select_related("organisation").order_by("-rank", "-published_at"))


def search_resources(user: AnyUser, q: str) -> QuerySet[Resource]:
    return (selectors.search_resources(selectors.resources_visible_to(user), q)
            .select_related("publisher").order_by("-rank", "-year"))


def search_events(user: AnyUser, q: str) -> QuerySet:
    """Events the user may see (drafts left out, as on the events list), newest first."""
    from events.models import Event
    from events.selectors import events_visible_to, filter_events

    return filter_events(events_visible_to(user).exclude(status=Event.Status.DRAFT), q=q).order_by("-starts_at")


SEARCH_KINDS: list[SearchKind] = [
    SearchKind("organisations", "Organisations", "directory.search.search_organisations",
               "directory/search/organisation.html", "directory:organisations"),
    SearchKind("practices", "Good practices", "directory.search.search_practices",
               "directory/search/practice.html", "directory:practices"),
    SearchKind("resources", "Resources", "directory.search.search_resources",
               "directory/search/resource.html", "directory:resources"),
    SearchKind("events", "Events", "directory.search.search_events", "directory/search/event.html", "events:list"),
    SearchKind("topics", "Forum topics", "forums.selectors.search_topics", "directory/search/forum_topic.html",
               "forums:search"),
]


@dataclass
class KindResults:
    kind: SearchKind
    results: list
    total: int


def search_everything(user: AnyUser, q: str) -> list[KindResults]:
    """The first results of every kind and how many there are in all; two queries a kind."""
    grouped = []
    for kind in SEARCH_KINDS:
        qs = kind.search(user, q)
        grouped.append(KindResults(kind, list(qs[:RESULTS_PER_KIND]), qs.count()))
    return grouped
