"""The pages and endpoints the benchmark measures; each app adds its own when it lands.

A page's `path` runs inside Django against the generated data and returns the URL to load, so a page
names what it shows (the flagship organisation, the bench member's inbox) rather than a fixed id.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

# What every request of the bench sends, as a browser does (calendar apps send gzip too): visitors' cached pages
# and the feeds answer it gzip-compressed (core/compression.py), members' pages plain.
ACCEPT_ENCODING = "gzip, deflate, br"


@dataclass(frozen=True)
class Page:
    name: str
    path: Callable[[], str]
    login: bool = False
    # A conditional GET: the load sends the validators of a first response and expects 304.
    conditional: bool = False
    # The baseline is the ceiling the others are compared with, not a page held to the targets.
    baseline: bool = False
    # The Accept header the load sends, as a browser or an API client would.
    accept: str = "text/html"
    # The anchor of its class (visitor or member): a plain 20-row list inside base.html (bench/views.py).
    anchor: bool = False


def _flagship_path() -> str:
    from bench.generate import FLAGSHIP_SLUG

    return reverse("accounts:organisation", args=[FLAGSHIP_SLUG])


def _practice_path() -> str:
    from bench.generate import FLAGSHIP_PRACTICE_SLUG

    return reverse("directory:practice", args=[FLAGSHIP_PRACTICE_SLUG])


def _event_path() -> str:
    from bench.generate import FLAGSHIP_EVENT_SLUG

    return reverse("events:detail", args=[FLAGSHIP_EVENT_SLUG])


def _personal_feed_path() -> str:
    from bench.generate import FEED_TOKEN

    return reverse("events:personal-feed", args=[FEED_TOKEN])


def _topic_path() -> str:
    from bench.generate import FLAGSHIP_TOPIC_TITLE
    from forums.models import Topic

    return reverse("forums:topic", args=[Topic.objects.get(title=FLAGSHIP_TOPIC_TITLE).pk])


def _topic_last_page_path() -> str:
    """The topic's real last page: the view's paginator reads ?page=last as page 1."""
    from django.core.paginator import Paginator

    from accounts.models import User
    from bench.generate import BENCH_EMAIL, FLAGSHIP_TOPIC_TITLE
    from forums import selectors
    from forums.models import Topic
    from forums.permissions import Reader

    topic = Topic.objects.get(title=FLAGSHIP_TOPIC_TITLE)
    member = User.objects.get(email=BENCH_EMAIL)
    pages = Paginator(selectors.posts_on_topic_page(topic, member, Reader.of(member)), selectors.POSTS_PER_PAGE)
    return reverse("forums:topic", args=[topic.pk]) + f"?page={pages.num_pages}"


def _search(view: str, frequency: str, extra: str = "") -> Callable[[], str]:
    def path() -> str:
        from bench.generate import search_terms

        return reverse(view) + f"?{extra}q={search_terms()[frequency]}"

    return path


def _search_pages() -> list[Page]:
    """Directory, practice and site search, each with a rare, a medium and a common term of the generator's
    vocabulary (bench.generate.search_terms: ranks of its Zipf-like spread)."""
    pages = []
    for frequency in ("rare", "medium", "common"):
        pages += [
            Page(f"directory: two facets and a {frequency} term",
                 _search("directory:organisations", frequency, "kind=municipality&area=socio-economic&")),
            Page(f"practice search, {frequency} term", _search("directory:practices", frequency)),
            Page(f"site search, {frequency} term", _search("directory:search", frequency)),
        ]
    # A member's search is never a whole cached page: their lists and results are kept blocks inside it.
    pages += [
        Page("directory: two facets and a common term (member)",
             _search("directory:organisations", "common", "kind=municipality&area=socio-economic&"), login=True),
        Page("practice search, common term (member)", _search("directory:practices", "common"), login=True),
        Page("site search, common term (member)", _search("directory:search", "common"), login=True),
    ]
    return pages


def _conversation_path() -> str:
    from bench.generate import BENCH_EMAIL
    from chat.models import Conversation, Participant

    mine = Participant.objects.filter(user__email=BENCH_EMAIL, conversation__kind=Conversation.Kind.GROUP)
    return reverse("chat:conversation", args=[mine.order_by("conversation_id").values_list(
        "conversation_id", flat=True).first()])


def _files_conversation_path() -> str:
    from bench.generate import FILES_CONVERSATION_TITLE
    from chat.models import Conversation

    return reverse("chat:conversation", args=[Conversation.objects.get(title=FILES_CONVERSATION_TITLE).pk])


PAGES: list[Page] = [
    # core's load-balancer endpoint: the full middleware stack, no database, a two-key JSON body.
    Page("baseline: /healthz", lambda: reverse("core:health"), baseline=True, accept="application/json"),
    # The anchors (bench/views.py, served only under bench.settings): the yardstick of each class of page.
    Page("anchor: 20-row list in base.html (visitor)", lambda: reverse("bench-anchor"), anchor=True),
    Page("anchor: 20-row list in base.html (member)", lambda: reverse("bench-anchor"), login=True, anchor=True),
    Page("home page (visitor)", lambda: reverse("core:home")),
    Page("home page (member)", lambda: reverse("core:home"), login=True),
    Page("organisation page, 120 members (visitor)", _flagship_path),
    Page("organisation page, 120 members (member)", _flagship_path, login=True),
    Page("practice page (visitor)", _practice_path),
    Page("practice page (member)", _practice_path, login=True),
    *_search_pages(),
    Page("resource library", lambda: reverse("directory:resources")),
    Page("dashboard /me/", lambda: reverse("accounts:dashboard"), login=True),
    Page("notifications", lambda: reverse("core:notifications"), login=True),
    Page("event list (visitor)", lambda: reverse("events:list")),
    Page("event list (member)", lambda: reverse("events:list"), login=True),
    Page("event page, 150 registered (visitor)", _event_path),
    Page("event page, 150 registered (member)", _event_path, login=True),
    Page("public iCal feed", lambda: reverse("events:feed"), accept="text/calendar"),
    Page("public iCal feed, 304", lambda: reverse("events:feed"), accept="text/calendar", conditional=True),
    Page("personal iCal feed, 25 events", _personal_feed_path, accept="text/calendar"),
    Page("personal iCal feed, 304", _personal_feed_path, accept="text/calendar", conditional=True),
    Page("forum topic, 200 posts, first page (visitor)", _topic_path),
    Page("forum topic, 200 posts, first page (member)", _topic_path, login=True),
    Page("forum topic, 200 posts, last page (member)", _topic_last_page_path, login=True),
    Page("inbox, 40 conversations", lambda: reverse("chat:inbox"), login=True),
    Page("group conversation page", _conversation_path, login=True),
    Page("conversation page, 50 messages with reactions and files", _files_conversation_path, login=True),
    Page("message search in my conversations", lambda: reverse("chat:search") + "?q=housing+mentoring", login=True),
    Page("API /api/me/", lambda: reverse("api-me"), login=True, accept="application/json"),
    Page("API /api/notifications/", lambda: reverse("api-notifications"), login=True,
         accept="application/json"),
    Page("API /api/organisations/", lambda: reverse("api-organisations"), login=True, accept="application/json"),
    Page("API /api/practices/", lambda: reverse("api-practices"), login=True, accept="application/json"),
    Page("API /api/resources/", lambda: reverse("api-resources"), login=True, accept="application/json"),
    Page("API /api/events/", lambda: reverse("api-events"), accept="application/json"),
    Page("API /api/forums/categories/", lambda: reverse("api-forum-categories"), accept="application/json"),
    Page("API /api/chat/conversations/", lambda: reverse("api-chat-conversations"), login=True,
         accept="application/json"),
]
