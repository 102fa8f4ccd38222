"""Every forum write: posting, editing, reading, watching, reporting and every moderator action.

Rules that hold wherever a write comes from (page, API, admin, demo data):
- posting needs the category's permission, an open topic, a member who is not silenced, and stays
  within the rate limit (stricter for new members, who may also put fewer links and mentions in a post);
- in a category that asks for it, a new member's first post waits for a moderator's approval;
- text is rendered to sanitised HTML once, on save, with mentions linked and references resolved;
- every moderator action is written to the moderation log (moderation.services), in the same transaction;
- reports of posts go to the moderation app's queue (registered in forums.moderation).
"""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core import versions
from core.languages import CONTENT_LANGUAGES, content_language_of, default_content_language
from core.markdown import render_markdown
from core.ratelimit import Rate, consume
from core.services import notify, notify_many
from core.tasks import enqueue
from core.text import clean_text
from core.uploads import check_upload
from forums import discussions, tasks, text
from forums.models import (
    POST_REACTIONS,
    Bookmark,
    Category,
    Helpful,
    Post,
    PostEdit,
    PostReaction,
    ReadMarker,
    Tag,
    Topic,
    TopicRead,
    Watch,
)
from forums.permissions import (
    Reader,
    can_delete_post,
    can_edit_post,
    can_mark_helpful,
    can_reply,
    can_see_topic,
)
from forums.references import references_in
from moderation.selectors import moderators_of
from moderation.services import log_moderation_action, move_reports_to_scope
from moderation.text import until_in_zone

User = get_user_model()

# A member is "new" for their first days or first published posts; new members post less often
# and put fewer links and mentions in a post, which is what spam and pile-ons need most.
NEW_MEMBER_DAYS = 7
NEW_MEMBER_POSTS = 3
MEMBER_RATE = Rate(limit=60, period=3600)
NEW_MEMBER_RATE = Rate(limit=10, period=3600)
NEW_MEMBER_MAX_LINKS = 2
NEW_MEMBER_MAX_MENTIONS = 2
MAX_MENTIONS = 10
TITLE_MAX = 200
BODY_MAX = 20000


# --- Helpers ------------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    return " ".join(clean_text(title, field="title", max_length=TITLE_MAX, label="title").split())


def _clean_body(body: str) -> str:
    return clean_text(body, field="body", max_length=BODY_MAX, label="text")


def is_new_member(user: User) -> bool:
    if timezone.now() - user.date_joined < timedelta(days=NEW_MEMBER_DAYS):
        return True
    return Post.objects.filter(author=user, status=Post.Status.PUBLISHED).count() < NEW_MEMBER_POSTS


def _check_may_post(author: User, body: str) -> None:
    """Silence, the posting rate and, for new members, the cap on links and mentions."""
    if author.is_silenced:
        raise PermissionDenied(_("You cannot post until %(until)s: %(reason)s.") % {
            "until": until_in_zone(author.silenced_until, author.timezone),
            "reason": author.silence_reason or _("no reason was given")})
    new = is_new_member(author)
    mentions = len(text.mentioned_ids(body))
    if new and text.count_links(body) > NEW_MEMBER_MAX_LINKS:
        raise ValidationError({"body": [ngettext("New members can put at most %(count)d link in a post.",
                                                  "New members can put at most %(count)d links in a post.",
                                                  NEW_MEMBER_MAX_LINKS) % {"count": NEW_MEMBER_MAX_LINKS}]})
    if mentions > (NEW_MEMBER_MAX_MENTIONS if new else MAX_MENTIONS):
        cap = NEW_MEMBER_MAX_MENTIONS if new else MAX_MENTIONS
        raise ValidationError({"body": [ngettext("Mention at most %(count)d member in a post.",
                                                  "Mention at most %(count)d members in a post.", cap)
                                         % {"count": cap}]})
    consume(action="posts", key=author.pk, rate=NEW_MEMBER_RATE if new else MEMBER_RATE)


def _render(body: str) -> tuple[str, list[dict]]:
    """HTML with mentions linked, and the rich references of its site links."""
    ids = text.mentioned_ids(body)
    known = set(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)) if ids else set()
    html = render_markdown(text.link_mentions(body, known))
    return html, references_in(html)


def _check_attachment(category: Category, attachment: UploadedFile | None) -> None:
    if attachment is None:
        return
    if not category.allow_attachments:
        raise ValidationError({"attachment": [_("This category does not take attachments.")]})
    # The library's check: size, the type read from the content (PDF, DOCX, ODT), no macros, no archive bombs.
    try:
        check_upload(attachment)
    except ValidationError as error:
        raise ValidationError({"attachment": error.message_dict["file"]}) from None


def _index_for_search(*, post: Post) -> None:
    """Keep a post's full-text column current on PostgreSQL; SQLite searches with a plain filter. (A topic's
    is the database's: a trigger in the topic's language, see core/search.py.)"""
    if settings.IS_POSTGRES:
        Post.objects.filter(pk=post.pk).update(search_vector=SearchVector("body", config="english"))


def _held(author: User, category: Category) -> bool:
    """A new member's first post waits for approval in categories that ask for it."""
    if not category.hold_first_posts or Reader.of(author).moderates(category):
        return False
    return not Post.objects.filter(author=author, status=Post.Status.PUBLISHED).exists()


def _watch(user: User, *, topic: Topic | None = None, category: Category | None = None) -> None:
    if not Watch.objects.filter(user=user, topic=topic, category=category).exists():
        Watch.objects.create(user=user, topic=topic, category=category)
        versions.bump("forums.reads", user.pk)  # the topic page keeps whether the member watches it


def _post_url(post: Post) -> str:
    return reverse("forums:post", args=[post.pk])


def _notify_about_post(post: Post, *, new_topic: bool) -> None:
    """Mentioned members, quoted authors and watchers of the topic (or of the category for a new topic)
    are told by a job (forums.tasks.notify_about_post), however many they are."""
    enqueue(tasks.notify_about_post, post_id=post.pk, new_topic=new_topic)


def _refresh_topic(topic: Topic) -> None:
    """Recount the topic's replies and its latest published post after posts change."""
    published = Post.objects.filter(topic=topic, status=Post.Status.PUBLISHED)
    last = published.order_by("-created_at", "-id").select_related("author").first()
    count = published.count()
    topic.reply_count = max(count - 1, 0)
    if last is not None:
        topic.last_post_at, topic.last_poster = last.created_at, last.author
    topic.save(update_fields=["reply_count", "last_post_at", "last_poster"])


def _require_moderator(moderator: User, category: Category) -> None:
    if not Reader.of(moderator).moderates(category):
        raise PermissionDenied(_("Only moderators of this category can do this."))


def _post_label(post: Post) -> str:
    return _("Post %(number)s in “%(title)s”") % {"number": post.pk, "title": post.topic.title}


def _lock_post(post: Post) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related("topic__category", "author").get(pk=post.pk)


# --- Categories ---------------------------------------------------------------------------------


@versions.bumps("forums.forum")
@transaction.atomic
def create_category(*, name: str, slug: str, description: str = "", policy_area=None, position: int = 0,
                    visibility: str = Category.Visibility.PUBLIC, start_topics: str = Category.Access.READERS,
                    reply: str = Category.Access.READERS, allowed_organisation_kinds: list[str] | None = None,
                    allowed_groups=(), hold_first_posts: bool = False,
                    allow_attachments: bool = False, question_style: bool = False) -> Category:
    category = Category(name=name, slug=slug, description=description, policy_area=policy_area,
                        position=position, visibility=visibility, start_topics=start_topics, reply=reply,
                        allowed_organisation_kinds=list(allowed_organisation_kinds or []),
                        hold_first_posts=hold_first_posts, allow_attachments=allow_attachments,
                        question_style=question_style)
    category.full_clean()
    category.save()
    category.allowed_groups.set(allowed_groups)
    return category


# --- Posting ------------------------------------------------------------------------------------


@versions.bumps("forums.forum")
@transaction.atomic
def start_topic(*, author: User, category: Category, title: str, body: str,
                attachment: UploadedFile | None = None, subject: Model | None = None,
                tags: Iterable[Tag] = (), language: str = "") -> Topic:
    """Open a topic with its first post, with tags chosen among the moderators'; the author watches it. Its
    `language` (what it is written in) defaults to the author's."""
    if not Reader.of(author).can_start_topic(category):
        raise PermissionDenied(_("You cannot start topics in %(category)s.") % {"category": category.name})
    title, body = _clean_title(title), _clean_body(body)
    _check_attachment(category, attachment)
    _check_may_post(author, body)
    held = _held(author, category)
    now = timezone.now()
    if language and language not in CONTENT_LANGUAGES:
        raise ValidationError({"language": [_("Choose one of the languages offered.")]})
    topic = Topic(category=category, title=title, author=author, last_post_at=now, last_poster=author,
                  status=Topic.Status.PENDING if held else Topic.Status.PUBLISHED,
                  language=language or default_content_language(author))
    if subject is not None:
        topic.subject_type = ContentType.objects.get_for_model(subject)
        topic.subject_id = subject.pk
    topic.save()
    tags = _check_tags(tags)
    if tags:
        topic.tags.set(tags)
    html, references = _render(body)
    post = Post.objects.create(topic=topic, author=author, body=body, body_html=html, references=references,
                               status=Post.Status.PENDING if held else Post.Status.PUBLISHED,
                               attachment=attachment or "")
    Topic.objects.filter(pk=topic.pk).update(last_post_at=post.created_at)
    topic.last_post_at = post.created_at
    _index_for_search(post=post)
    _watch(author, topic=topic)
    mark_topic_read(user=author, topic=topic, until=post.created_at)
    if held:
        _tell_moderators_of_held_post(post)
    else:
        _notify_about_post(post, new_topic=True)
    return topic


@versions.bumps("forums.forum")
@transaction.atomic
def reply_to_topic(*, author: User, topic: Topic, body: str, attachment: UploadedFile | None = None) -> Post:
    """Add a post to a topic; watchers, mentioned members and quoted authors are told."""
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    who = Reader.of(author)
    if not can_see_topic(who, topic) or not can_reply(who, topic):
        if topic.is_locked:
            raise PermissionDenied(_("This topic is locked: no new replies."))
        raise PermissionDenied(_("You cannot reply in %(category)s.") % {"category": topic.category.name})
    body = _clean_body(body)
    _check_attachment(topic.category, attachment)
    _check_may_post(author, body)
    held = _held(author, topic.category)
    html, references = _render(body)
    post = Post.objects.create(topic=topic, author=author, body=body, body_html=html, references=references,
                               status=Post.Status.PENDING if held else Post.Status.PUBLISHED,
                               attachment=attachment or "")
    _index_for_search(post=post)
    _watch(author, topic=topic)
    if held:
        _tell_moderators_of_held_post(post)
    else:
        topic.reply_count = F("reply_count") + 1
        topic.last_post_at, topic.last_poster = post.created_at, author
        topic.save(update_fields=["reply_count", "last_post_at", "last_poster"])
        mark_topic_read(user=author, topic=topic, until=post.created_at)
        _notify_about_post(post, new_topic=False)
    return post


def _tell_moderators_of_held_post(post: Post) -> None:
    notify_many(recipients=moderators_of(post.topic.category), kind="forums.held",
                params={"topic": post.topic.title}, url=reverse("moderation:queue"),
                actor=post.author, email=False)


@versions.bumps("forums.forum")
@transaction.atomic
def edit_post(*, editor: User, post: Post, body: str, reason: str = "") -> Post:
    """Change a post's text, keeping the edit history; a moderator's edit of another's post is logged."""
    post = _lock_post(post)
    who = Reader.of(editor)
    if not can_edit_post(who, post):
        raise PermissionDenied(_("You cannot edit this post."))
    body = _clean_body(body)
    if body == post.body:
        return post
    if post.author_id != editor.pk:
        if not reason.strip():
            raise ValidationError({"reason": [_("Say why you edit another member's post.")]})
    else:
        _check_may_post(editor, body)
    PostEdit.objects.create(post=post, editor=editor, body_before=post.body, body_after=body, reason=reason[:500])
    post.body = body
    post.body_html, post.references = _render(body)
    post.edited_at, post.edited_by = timezone.now(), editor
    post.save(update_fields=["body", "body_html", "references", "edited_at", "edited_by"])
    _index_for_search(post=post)
    if post.author_id != editor.pk:
        log_moderation_action(moderator=editor, action="edit_post", target=post, label=_post_label(post),
                              url=_post_url(post), member=post.author, scope=post.topic.category,
                              reason=reason)
    return post


@versions.bumps("forums.forum")
@transaction.atomic
def delete_post(*, actor: User, post: Post, reason: str = "") -> Post:
    """Soft delete: the post stays as a "deleted" placeholder. Deleting a topic's first post deletes
    the topic. A moderator deleting another member's post is logged."""
    post = _lock_post(post)
    if not can_delete_post(Reader.of(actor), post):
        raise PermissionDenied(_("You cannot delete this post."))
    by_moderator = post.author_id != actor.pk
    if by_moderator and not reason.strip():
        raise ValidationError({"reason": [_("Say why you delete another member's post.")]})
    post.status, post.deleted_at = Post.Status.DELETED, timezone.now()
    post.status_reason = reason[:500]
    post.save(update_fields=["status", "deleted_at", "status_reason"])
    topic = post.topic
    is_first = Post.objects.filter(topic=topic).order_by("created_at", "id").values_list("pk", flat=True)[:1].get() \
        == post.pk
    if is_first:
        topic.status = Topic.Status.DELETED
        topic.save(update_fields=["status"])
    _refresh_topic(topic)
    if by_moderator:
        log_moderation_action(moderator=actor, action="delete_topic" if is_first else "delete_post", target=post,
                              label=_post_label(post), url=_post_url(post), member=post.author,
                              scope=topic.category, reason=reason)
    return post


@versions.bumps("forums.forum")
@transaction.atomic
def toggle_helpful(*, user: User, post: Post) -> bool:
    """Mark a post helpful, or take the mark back; returns whether it is now marked."""
    post = _lock_post(post)
    if not can_mark_helpful(Reader.of(user), post):
        raise PermissionDenied(_("You cannot mark this post helpful."))
    deleted, _count = Helpful.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
        return False
    Helpful.objects.create(post=post, user=user)
    Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
    return True


@versions.bumps("forums.forum")
@transaction.atomic
def open_discussion(*, member: User, subject: Model) -> Topic:
    """The discussion topic of an event or a practice, started by `member` the first time it is asked for.

    The database holds one topic per subject; when two members start it at once, both get the same topic.
    """
    content_type = ContentType.objects.get_for_model(subject)
    existing = Topic.objects.filter(subject_type=content_type, subject_id=subject.pk).first()
    if existing is not None:
        return existing
    category = discussions.category_for(subject)
    if category is None:
        raise ValidationError({"subject": [_("No forum category takes these discussions yet.")]})
    name = re.sub(r"[\[\]]", "", str(subject))
    try:
        with transaction.atomic():
            return start_topic(author=member, category=category,
                               # Translators: the title of the topic discussing an event or a practice.
                               title=(_("Discussion: %(subject)s") % {"subject": subject})[:TITLE_MAX],
                               # Translators: its first post, in Markdown: keep [%(name)s](%(url)s), a link.
                               body=_("Discussion of [%(name)s](%(url)s).") % {"name": name,
                                                                              "url": subject.get_absolute_url()},
                               subject=subject, language=content_language_of(get_language()))
    except IntegrityError:
        return Topic.objects.get(subject_type=content_type, subject_id=subject.pk)


# --- Reading and watching -----------------------------------------------------------------------


def mark_topic_read(*, user: User, topic: Topic, until: datetime) -> None:
    """Record that the member has read the topic's posts up to `until`; it never moves back."""
    if not user.is_authenticated:
        return
    # Read first: a page view that reads nothing new (most of them) writes nothing and asks once.
    read_until = TopicRead.objects.filter(user=user, topic=topic).values_list("read_until", flat=True).first()
    if read_until is not None and read_until >= until:
        return
    moved = TopicRead.objects.filter(user=user, topic=topic, read_until__lt=until)
    if read_until is not None:
        updated = moved.update(read_until=until)
    else:
        try:
            with transaction.atomic():
                TopicRead.objects.create(user=user, topic=topic, read_until=until)
            updated = 1
        except IntegrityError:  # a parallel request recorded it first
            updated = moved.update(read_until=until)
    if updated:  # only a real move: a page view that reads nothing new leaves the member's fragments cached
        versions.bump("forums.reads", user.pk)


@versions.bumps("forums.reads", of="user")
@transaction.atomic
def mark_all_read(*, user: User) -> None:
    ReadMarker.objects.update_or_create(user=user, defaults={"all_read_until": timezone.now()})


@versions.bumps("forums.reads", of="user")
@transaction.atomic
def set_watching(*, user: User, watching: bool, topic: Topic | None = None,
                 category: Category | None = None) -> None:
    """Watch (or stop watching) a topic — told of each reply — or a category — told of each new topic."""
    who = Reader.of(user)
    if not who.is_member:
        raise PermissionDenied(_("Log in to watch."))
    if (topic is None) == (category is None):
        raise ValueError("Watch a topic or a category.")
    if topic is not None and not can_see_topic(who, topic):
        raise PermissionDenied(_("You cannot read this topic."))
    if category is not None and not who.can_read(category):
        raise PermissionDenied(_("You cannot read this category."))
    if watching:
        _watch(user, topic=topic, category=category)
    else:
        Watch.objects.filter(user=user, topic=topic, category=category).delete()


# --- Moderating posts and topics ------------------------------------------------------------------


@versions.bumps("forums.forum")
@transaction.atomic
def hide_post(*, moderator: User, post: Post, reason: str) -> Post:
    """Hidden posts show as hidden to members and in full to moderators."""
    return _set_post_hidden(moderator=moderator, post=post, hidden=True, reason=reason)


@versions.bumps("forums.forum")
@transaction.atomic
def unhide_post(*, moderator: User, post: Post, reason: str = "") -> Post:
    return _set_post_hidden(moderator=moderator, post=post, hidden=False, reason=reason)


def _set_post_hidden(*, moderator: User, post: Post, hidden: bool, reason: str) -> Post:
    """Hide a post (not a deleted one) or show a hidden one again, under the post's row lock; logged."""
    post = _lock_post(post)
    _require_moderator(moderator, post.topic.category)
    if hidden and post.status == Post.Status.DELETED:
        raise ValidationError({"post": [_("A deleted post cannot be hidden.")]})
    if not hidden and post.status != Post.Status.HIDDEN:
        raise ValidationError({"post": [_("This post is not hidden.")]})
    post.status = Post.Status.HIDDEN if hidden else Post.Status.PUBLISHED
    post.status_reason = reason[:500] if hidden else ""
    post.save(update_fields=["status", "status_reason"])
    _refresh_topic(post.topic)
    log_moderation_action(moderator=moderator, action="hide_post" if hidden else "unhide_post", target=post,
                          label=_post_label(post), url=_post_url(post), member=post.author,
                          scope=post.topic.category, reason=reason)
    return post


@versions.bumps("forums.forum")
@transaction.atomic
def approve_post(*, moderator: User, post: Post) -> Post:
    """Publish a held post (and its topic, when it is the first); watchers are told now."""
    post = _lock_post(post)
    _require_moderator(moderator, post.topic.category)
    if post.status != Post.Status.PENDING:
        raise ValidationError({"post": [_("This post is not waiting for approval.")]})
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status"])
    topic = post.topic
    new_topic = topic.status == Topic.Status.PENDING
    if new_topic:
        topic.status = Topic.Status.PUBLISHED
        topic.save(update_fields=["status"])
    _refresh_topic(topic)
    log_moderation_action(moderator=moderator, action="approve_post", target=post, label=_post_label(post),
                          url=_post_url(post), member=post.author, scope=topic.category)
    if post.author is not None:
        notify(recipient=post.author, kind="forums.approved", actor=moderator, url=_post_url(post),
               params={"topic": topic.title})
    _notify_about_post(post, new_topic=new_topic)
    return post


@versions.bumps("forums.forum")
@transaction.atomic
def reject_post(*, moderator: User, post: Post, reason: str) -> Post:
    post = _lock_post(post)
    _require_moderator(moderator, post.topic.category)
    if post.status != Post.Status.PENDING:
        raise ValidationError({"post": [_("This post is not waiting for approval.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why: the member sees it.")]})
    post.status, post.status_reason, post.deleted_at = Post.Status.DELETED, reason[:500], timezone.now()
    post.save(update_fields=["status", "status_reason", "deleted_at"])
    topic = post.topic
    if topic.status == Topic.Status.PENDING:
        topic.status = Topic.Status.DELETED
        topic.save(update_fields=["status"])
    log_moderation_action(moderator=moderator, action="reject_post", target=post, label=_post_label(post),
                          url=_post_url(post), member=post.author, scope=topic.category, reason=reason)
    if post.author is not None:
        notify(recipient=post.author, kind="forums.rejected", actor=moderator, url=topic.category.get_absolute_url(),
               params={"topic": topic.title, "reason": reason})
    return post


def _recategorise_reports(post_ids: list[int], category: Category) -> None:
    """Reports follow their posts to another category, so its moderators see them."""
    move_reports_to_scope(model=Post, target_ids=post_ids, scope=category)


def _lock_topic(topic: Topic) -> Topic:
    return Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)


def _log_topic(moderator: User, action: str, topic: Topic, reason: str, category: Category | None = None,
               details: dict | None = None) -> None:
    log_moderation_action(moderator=moderator, action=action, target=topic,
                          label=_("Topic “%(title)s”") % {"title": topic.title}, url=topic.get_absolute_url(),
                          member=topic.author, scope=category or topic.category,
                          reason=reason, details=details)


def set_topic_pinned(*, moderator: User, topic: Topic, pinned: bool, reason: str = "") -> Topic:
    return _set_topic_flag(moderator=moderator, topic=topic, field="is_pinned", value=pinned, reason=reason,
                           action="pin_topic" if pinned else "unpin_topic")


def set_topic_locked(*, moderator: User, topic: Topic, locked: bool, reason: str = "") -> Topic:
    return _set_topic_flag(moderator=moderator, topic=topic, field="is_locked", value=locked, reason=reason,
                           action="lock_topic" if locked else "unlock_topic")


@versions.bumps("forums.forum")
@transaction.atomic
def _set_topic_flag(*, moderator: User, topic: Topic, field: str, value: bool, reason: str, action: str) -> Topic:
    """Pin or lock a topic (or undo it), under the topic's row lock, logged as `action`."""
    topic = _lock_topic(topic)
    _require_moderator(moderator, topic.category)
    setattr(topic, field, value)
    topic.save(update_fields=[field])
    _log_topic(moderator, action, topic, reason)
    return topic


@versions.bumps("forums.forum")
@transaction.atomic
def move_topic(*, moderator: User, topic: Topic, category: Category, reason: str = "") -> Topic:
    """Move a topic to another category; the moderator must moderate both."""
    topic = _lock_topic(topic)
    _require_moderator(moderator, topic.category)
    _require_moderator(moderator, category)
    if category.pk == topic.category_id:
        raise ValidationError({"category": [_("The topic is already in this category.")]})
    old = topic.category
    topic.category = category
    topic.save(update_fields=["category"])
    _recategorise_reports(list(topic.posts.values_list("pk", flat=True)), category)
    _log_topic(moderator, "move_topic", topic, reason, category=category,
               details={"from": old.name, "to": category.name})
    return topic


@versions.bumps("forums.forum")
@transaction.atomic
def merge_topics(*, moderator: User, source: Topic, target: Topic, reason: str = "") -> Topic:
    """Move every post of `source` into `target` (kept in time order) and delete `source`."""
    if source.pk == target.pk:
        raise ValidationError({"target": [_("Choose another topic to merge into.")]})
    # Lock both rows in id order, so two merges of the same pair cannot deadlock.
    locked = {t.pk: _lock_topic(t) for t in sorted([source, target], key=lambda t: t.pk)}
    source, target = locked[source.pk], locked[target.pk]
    _require_moderator(moderator, source.category)
    _require_moderator(moderator, target.category)
    moved_ids = list(Post.objects.filter(topic=source).values_list("pk", flat=True))
    moved = Post.objects.filter(pk__in=moved_ids).update(topic=target)
    _recategorise_reports(moved_ids, target.category)
    source.status = Topic.Status.DELETED
    source.save(update_fields=["status"])
    for watch in Watch.objects.filter(topic=source).select_related("user"):
        _watch(watch.user, topic=target)
    _refresh_topic(target)
    _log_topic(moderator, "merge_topics", target, reason,
               details={"merged_topic": source.pk, "merged_title": source.title, "posts": moved})
    return target


@versions.bumps("forums.forum")
@transaction.atomic
def split_posts(*, moderator: User, topic: Topic, post_ids: list[int], reason: str = "", title: str = "",
                into: Topic | None = None) -> Topic:
    """Move chosen posts out of a topic into a new topic (titled `title`) or into an existing one."""
    topic = _lock_topic(topic)
    _require_moderator(moderator, topic.category)
    posts = list(Post.objects.filter(topic=topic, pk__in=post_ids).order_by("created_at", "id"))
    if not posts:
        raise ValidationError({"posts": [_("Choose the posts to move.")]})
    first_post = Post.objects.filter(topic=topic).order_by("created_at", "id").first()
    if first_post in posts:
        raise ValidationError({"posts": [_("The topic's first post stays; move the others or merge the topic.")]})
    if into is None:
        title = _clean_title(title)
        into = Topic.objects.create(category=topic.category, title=title, author=posts[0].author,
                                    last_post_at=posts[-1].created_at, last_poster=posts[-1].author)
    else:
        into = _lock_topic(into)
        if into.pk == topic.pk:
            raise ValidationError({"into": [_("Choose another topic.")]})
        _require_moderator(moderator, into.category)
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(topic=into)
    _recategorise_reports([p.pk for p in posts], into.category)
    _refresh_topic(topic)
    _refresh_topic(into)
    _log_topic(moderator, "split_topic", topic, reason,
               details={"posts": [p.pk for p in posts], "into": into.pk, "into_title": into.title})
    return into


# --- Forum tools: accepted answers, tags, bookmarks, reactions -----------------------------------

MAX_TAGS = 5
REACTION_RATE = Rate(limit=60, period=60)


def rendered_preview(body: str) -> str:
    """The HTML a post with this Markdown would show, through the same sanitiser; nothing is saved."""
    return _render(_clean_body(body))[0] if body.strip() else ""


def can_accept_answer(who: Reader, topic: Topic) -> bool:
    """In a question category, the topic's starter or one of its moderators marks the answer."""
    return (who.is_member and topic.category.question_style and topic.status == Topic.Status.PUBLISHED
            and (topic.author_id == who.user.pk or who.moderates(topic.category)))


@versions.bumps("forums.forum")
@transaction.atomic
def accept_answer(*, actor: User, post: Post) -> Topic:
    """Mark a published reply as the accepted answer of its question (replacing any earlier one)."""
    topic = Topic.objects.select_for_update().select_related("category").get(pk=post.topic_id)
    if not can_accept_answer(Reader.of(actor), topic):
        if not topic.category.question_style:
            raise ValidationError({"post": [_("Only topics in question categories have an accepted answer.")]})
        raise PermissionDenied(_("Only the topic's starter or a moderator marks the accepted answer."))
    post = Post.objects.get(pk=post.pk)
    first = Post.objects.filter(topic=topic).order_by("created_at", "id").values_list("pk", flat=True).first()
    if post.status != Post.Status.PUBLISHED or post.pk == first:
        raise ValidationError({"post": [_("Choose a published reply as the answer, not the question itself.")]})
    topic.accepted_answer = post
    topic.save(update_fields=["accepted_answer"])
    if post.author_id and post.author_id != actor.pk:
        notify(recipient=post.author, actor=actor, kind="forums.accepted", url=_post_url(post),
               params={"topic": topic.title})
    return topic


@versions.bumps("forums.forum")
@transaction.atomic
def unaccept_answer(*, actor: User, topic: Topic) -> Topic:
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    if not can_accept_answer(Reader.of(actor), topic):
        raise PermissionDenied(_("Only the topic's starter or a moderator marks the accepted answer."))
    topic.accepted_answer = None
    topic.save(update_fields=["accepted_answer"])
    return topic


def _check_tags(tags: Iterable[Tag]) -> list[Tag]:
    tags = list({tag.pk: tag for tag in tags}.values())
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": [_("Choose at most %(count)d tags.") % {"count": MAX_TAGS}]})
    return tags


def _require_tag_moderator(user: User) -> None:
    if not Reader.of(user).is_global_moderator:
        raise PermissionDenied(_("Only moderators manage tags."))


@versions.bumps("forums.forum")
@transaction.atomic
def create_tag(*, moderator: User, name: str) -> Tag:
    """A new tag members may pick for their topics."""
    _require_tag_moderator(moderator)
    name = " ".join(clean_text(name, field="name", max_length=40, label="tag").split())
    slug = slugify(name)
    if not slug:
        raise ValidationError({"name": [_("A tag needs letters or digits.")]})
    if Tag.objects.filter(slug=slug).exists() or Tag.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("The tag “%(name)s” exists already.") % {"name": name}]})
    tag = Tag.objects.create(name=name, slug=slug)
    log_moderation_action(moderator=moderator, action="create_tag", target=tag, label=name)
    return tag


@versions.bumps("forums.forum")
@transaction.atomic
def delete_tag(*, moderator: User, tag: Tag) -> None:
    """Remove a tag from every topic, and the tag itself."""
    _require_tag_moderator(moderator)
    log_moderation_action(moderator=moderator, action="delete_tag", target=None, label=tag.name)
    tag.delete()


@versions.bumps("forums.forum")
@transaction.atomic
def set_topic_tags(*, moderator: User, topic: Topic, tags: Iterable[Tag]) -> Topic:
    """A moderator re-tags a topic."""
    if not Reader.of(moderator).moderates(topic.category):
        raise PermissionDenied(_("Only moderators of this category change a topic's tags."))
    topic.tags.set(_check_tags(tags))
    return topic


def _check_can_see(user: User, post: Post) -> None:
    who = Reader.of(user)
    if not who.is_member or post.status != Post.Status.PUBLISHED or not can_see_topic(who, post.topic):
        raise PermissionDenied(_("You cannot see this post."))


@versions.bumps("forums.reads", of="user")  # the topic page keeps the member's bookmarks with its posts
@transaction.atomic
def toggle_bookmark(*, user: User, post: Post) -> bool:
    """Keep a post on the member's bookmarks page, or take it off; True when bookmarked."""
    _check_can_see(user, post)
    removed, _count = Bookmark.objects.filter(user=user, post=post).delete()
    if not removed:
        Bookmark.objects.create(user=user, post=post)
    return not removed


@versions.bumps("forums.forum")
@transaction.atomic
def toggle_post_reaction(*, user: User, post: Post, emoji: str) -> bool:
    """Give a reaction to a post, or take it back; True when given."""
    if not isinstance(emoji, str) or emoji not in POST_REACTIONS:
        raise ValidationError({"emoji": [_("Choose one of the reactions: %(list)s.")
                                         % {"list": ", ".join(POST_REACTIONS)}]})
    _check_can_see(user, post)
    if user.is_silenced:
        raise PermissionDenied(_("You are silenced by the moderators and cannot react for now."))
    consume(action="post-reactions", key=user.pk, rate=REACTION_RATE)
    removed, _count = PostReaction.objects.filter(user=user, post=post, emoji=emoji).delete()
    if not removed:
        PostReaction.objects.create(user=user, post=post, emoji=emoji)
    return not removed
