"""Forum pieces shown on other apps' pages (home, organisation, profile) and the edit diff."""

import difflib

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from accounts.models import Organisation, User
from forums import discussions, selectors
from forums.models import Topic
from forums.permissions import Reader, can_see_topic
from forums.text import handle_of

register = template.Library()


@register.simple_tag
def diff(before: str, after: str) -> str:
    """A unified diff of two versions of a post's text (auto-escaped where it is shown)."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=2)
    return "\n".join(lines)


@register.inclusion_tag("forums/_active_topics.html", takes_context=True)
def active_forum_topics(context: template.Context) -> dict:
    user = context["request"].user
    return {"topics": selectors.active_topics(user), "user": user}


@register.inclusion_tag("forums/_organisation_activity.html", takes_context=True)
def organisation_forum_activity(context: template.Context, organisation: Organisation) -> dict:
    return {"posts": selectors.recent_posts_by_organisation(organisation, context["request"].user),
            "organisation": organisation}


@register.inclusion_tag("forums/_dashboard.html", takes_context=True)
def dashboard_forums(context: template.Context) -> dict:
    user = context["request"].user
    return {"topics": selectors.watched_topics(user), "unread_count": selectors.unread_topics(user).count(),
            "user": user}


@register.simple_tag
def mention_handle(person: User) -> str:
    return f"@{handle_of(person)}"


@register.inclusion_tag("forums/_discussion_link.html", takes_context=True)
def forum_discussion(context: template.Context, subject: Model) -> dict:
    """On an event's or a practice's page: its discussion topic, or a button to start it."""
    user = context["request"].user
    kind = discussions.kind_of(subject)
    topic = (Topic.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
             .select_related("category").first())
    if topic is not None and not can_see_topic(Reader.of(user), topic):
        topic = None
    return {"topic": topic, "kind": kind.name if kind else "", "subject": subject, "user": user,
            "request": context["request"], "csrf_token": context.get("csrf_token")}
