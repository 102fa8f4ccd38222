"""What the forums offer other apps' pages through core.extensions (registered from ready()): active
topics on the home page, watched topics on the dashboard, an organisation's recent posts, the discussion
link on an event's or a practice's page, the mention handle on a profile; topics in the site-wide search."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from core import fragments
from core.extensions import (
    PAGE_SECTIONS,
    SEARCH_PROVIDERS,
    SearchProvider,
    Section,
    discussable_kind_of,
)
from forums import selectors
from forums.models import Topic
from forums.permissions import Reader, can_see_topic


def home_section(request: HttpRequest, obj: None) -> dict:
    return {"topics": selectors.active_topics(request.user)}


def organisation_section(request: HttpRequest, organisation: Organisation) -> dict:
    return {"posts": selectors.recent_posts_by_organisation(organisation, request.user),
            "organisation": organisation}


def dashboard_section(request: HttpRequest, obj: None) -> dict:
    user = request.user
    return {"topics": selectors.watched_topics(user), "unread_count": selectors.unread_topics(user).count()}


def discussion_section(request: HttpRequest, subject: Model) -> dict:
    """On an event's or a practice's page: its discussion topic, or a button to start it."""
    found = discussable_kind_of(subject)
    topic = (Topic.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
             .select_related("category").first())
    if topic is not None and not can_see_topic(Reader.of(request.user), topic):
        topic = None
    return {"topic": topic, "kind": found[0] if found else "", "subject": subject}


def profile_section(request: HttpRequest, person: User) -> dict:
    return {"person": person}




def register() -> None:
    # A member's topics carry their unread marks, and what they may read depends on groups and organisations.
    read_marks = fragments.per_viewer("forums.forum", own=("forums.reads",))
    readable = fragments.per_viewer("forums.forum", "accounts.member")
    PAGE_SECTIONS.register("forums.home", Section("home", "forums/_active_topics.html", home_section, order=20,
                                                  cache=read_marks))
    PAGE_SECTIONS.register("forums.dashboard", Section("dashboard", "forums/_dashboard.html", dashboard_section,
                                                       order=20, cache=read_marks))
    PAGE_SECTIONS.register("forums.organisation", Section("organisation", "forums/_organisation_activity.html",
                                                          organisation_section, order=30, cache=readable))
    PAGE_SECTIONS.register("forums.event", Section("event", "forums/_discussion_link.html", discussion_section,
                                                   cache=readable))
    PAGE_SECTIONS.register("forums.practice", Section("practice", "forums/_discussion_link.html",
                                                      discussion_section, cache=readable))
    PAGE_SECTIONS.register("forums.profile", Section("profile_actions", "forums/_profile_handle.html",
                                                     profile_section, order=20))
    SEARCH_PROVIDERS.register("topics", SearchProvider("topics", _("Forum topics"), selectors.search_topics,
                                                       "directory/search/forum_topic.html", "forums:search", order=50))
