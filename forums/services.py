"""Every forum write: posting, editing, reading, watching, reporting and every moderator action.

Rules that hold wherever a write comes from (page, API, admin, demo data):
- posting needs the category's permission, an open topic, a member who is not silenced, and stays
  within the rate limit (stricter for new members, who may also put fewer links and mentions in a post);
- in a category that asks for it, a new member's first post waits for a moderator's approval;
- text is rendered to sanitised HTML once, on save, with mentions linked and references resolved;
- every moderator action is written to the moderation log, in the same transaction.
"""

import re
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
from django.utils.text import Truncator

from accounts.permissions import is_moderator
from core.markdown import render_markdown
from core.ratelimit import Rate, consume
from core.services import notify, notify_many
from core.uploads import check_upload
from forums import discussions, selectors, text
from forums.models import (
    Category,
    Helpful,
    ModerationLogEntry,
    Post,
    PostEdit,
    ReadMarker,
    Report,
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
    can_report_post,
    can_see_topic,
)
from forums.references import references_in
from forums.reports import DISMISS, WARN, ReportAction, ReportContext, register_report_target, target_for

User = get_user_model()

# A member is "new" for their first days or first published posts; new members post less often
# and put fewer links and mentions in a post, which is what spam and pile-ons need most.
NEW_MEMBER_DAYS = 7
NEW_MEMBER_POSTS = 3
MEMBER_RATE = Rate(limit=60, period=3600)
NEW_MEMBER_RATE = Rate(limit=10, period=3600)
REPORT_RATE = Rate(limit=20, period=3600)
NEW_MEMBER_MAX_LINKS = 2
NEW_MEMBER_MAX_MENTIONS = 2
MAX_MENTIONS = 10
TITLE_MAX = 200
BODY_MAX = 20000


# --- Helpers ------------------------------------------------------------------------------------


def _clean_text(value: str, *, field: str, max_length: int, label: str) -> str:
    """Strip control characters (keeping new lines and tabs) and check presence and length."""
    cleaned = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    cleaned = cleaned.strip()
    if not cleaned:
        raise ValidationError({field: [f"Enter the {label}."]})
    if len(cleaned) > max_length:
        raise ValidationError({field: [f"The {label} is too long: {len(cleaned)} characters, "
                                       f"{max_length} at most."]})
    return cleaned


def _clean_title(title: str) -> str:
    return " ".join(_clean_text(title, field="title", max_length=TITLE_MAX, label="title").split())


def _clean_body(body: str) -> str:
    return _clean_text(body, field="body", max_length=BODY_MAX, label="text")


def is_new_member(user: User) -> bool:
    if timezone.now() - user.date_joined < timedelta(days=NEW_MEMBER_DAYS):
        return True
    return Post.objects.filter(author=user, status=Post.Status.PUBLISHED).count() < NEW_MEMBER_POSTS


def _check_may_post(author: User, body: str) -> None:
    """Silence, the posting rate and, for new members, the cap on links and mentions."""
    if author.is_silenced:
        until = timezone.localtime(author.silenced_until).strftime("%d %B %Y %H:%M")
        reason = author.silence_reason or "no reason was given"
        raise PermissionDenied(f"You cannot post until {until}: {reason}.")
    new = is_new_member(author)
    mentions = len(text.mentioned_ids(body))
    if new and text.count_links(body) > NEW_MEMBER_MAX_LINKS:
        raise ValidationError({"body": [f"New members can put at most {NEW_MEMBER_MAX_LINKS} links in a post."]})
    if mentions > (NEW_MEMBER_MAX_MENTIONS if new else MAX_MENTIONS):
        cap = NEW_MEMBER_MAX_MENTIONS if new else MAX_MENTIONS
        raise ValidationError({"body": [f"Mention at most {cap} members in a post."]})
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
        raise ValidationError({"attachment": ["This category does not take attachments."]})
    # The library's check: size, the type read from the content (PDF, DOCX, ODT), no macros, no archive bombs.
    try:
        check_upload(attachment)
    except ValidationError as error:
        raise ValidationError({"attachment": error.message_dict["file"]}) from None


def _index_for_search(*, topic: Topic | None = None, post: Post | None = None) -> None:
    """Keep the full-text columns current on PostgreSQL; SQLite searches with a plain filter."""
    if not settings.IS_POSTGRES:
        return
    if topic is not None:
        Topic.objects.filter(pk=topic.pk).update(search_vector=SearchVector("title", config="english"))
    if post is not None:
        Post.objects.filter(pk=post.pk).update(search_vector=SearchVector("body", config="english"))


def _held(author: User, category: Category) -> bool:
    """A new member's first post waits for approval in categories that ask for it."""
    if not category.hold_first_posts or Reader.of(author).moderates(category):
        return False
    return not Post.objects.filter(author=author, status=Post.Status.PUBLISHED).exists()


def _watch(user: User, *, topic: Topic | None = None, category: Category | None = None) -> None:
    if not Watch.objects.filter(user=user, topic=topic, category=category).exists():
        Watch.objects.create(user=user, topic=topic, category=category)


def _post_url(post: Post) -> str:
    return reverse("forums:post", args=[post.pk])


def _notify_about_post(post: Post, *, new_topic: bool) -> None:
    """Tell mentioned members, quoted authors, and watchers of the topic (or of the category for a
    new topic) — each member once, with the most specific reason, and only members who may read it."""
    topic, category, author = post.topic, post.topic.category, post.author
    url = _post_url(post)
    told: set[int] = {author.pk} if author else set()

    def tell(users, *, kind: str, title: str) -> None:
        recipients = [u for u in selectors.readers_among(category, users) if u.pk not in told]
        told.update(u.pk for u in recipients)
        notify_many(recipients=recipients, kind=kind, title=title, url=url, actor=author,
                    body=Truncator(post.body).chars(300))

    name = author.full_name if author else "A member"
    mentioned = text.mentioned_ids(post.body)
    if mentioned:
        tell(User.objects.filter(pk__in=mentioned), kind="forums.mention",
             title=f"{name} mentioned you in “{topic.title}”")
    quoted = text.quoted_post_ids(post.body)
    if quoted:
        authors = Post.objects.filter(pk__in=quoted, topic__category=category).values("author_id")
        tell(User.objects.filter(pk__in=authors), kind="forums.quote", title=f"{name} quoted you in “{topic.title}”")
    if new_topic:
        watchers = Watch.objects.filter(category=category).values("user_id")
        tell(User.objects.filter(pk__in=watchers), kind="forums.new_topic",
             title=f"New topic in {category.name}: “{topic.title}”")
    else:
        watchers = Watch.objects.filter(topic=topic).values("user_id")
        tell(User.objects.filter(pk__in=watchers), kind="forums.reply", title=f"{name} replied to “{topic.title}”")


def _refresh_topic(topic: Topic) -> None:
    """Recount the topic's replies and its latest published post after posts change."""
    published = Post.objects.filter(topic=topic, status=Post.Status.PUBLISHED)
    last = published.order_by("-created_at", "-id").select_related("author").first()
    count = published.count()
    topic.reply_count = max(count - 1, 0)
    if last is not None:
        topic.last_post_at, topic.last_poster = last.created_at, last.author
    topic.save(update_fields=["reply_count", "last_post_at", "last_poster"])


def log_moderation_action(*, moderator: User, action: str, target: Model | None, label: str, url: str = "",
                          member: User | None = None, category: Category | None = None, reason: str = "",
                          details: dict | None = None) -> ModerationLogEntry:
    """Write one moderation log entry; other apps call it for their own moderator actions."""
    return ModerationLogEntry.objects.create(
        moderator=moderator, action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_label=Truncator(label).chars(300), target_url=url[:500], member=member, category=category,
        reason=reason[:1000], details=details or {},
    )


def _require_moderator(moderator: User, category: Category) -> None:
    if not Reader.of(moderator).moderates(category):
        raise PermissionDenied("Only moderators of this category can do this.")


def _post_label(post: Post) -> str:
    return f"Post {post.pk} in “{post.topic.title}”"


def _lock_post(post: Post) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related("topic__category", "author").get(pk=post.pk)


# --- Categories ---------------------------------------------------------------------------------


@transaction.atomic
def create_category(*, name: str, slug: str, description: str = "", policy_area=None, position: int = 0,
                    visibility: str = Category.Visibility.PUBLIC, start_topics: str = Category.Access.READERS,
                    reply: str = Category.Access.READERS, allowed_organisation_kinds: list[str] | None = None,
                    allowed_groups=(), hold_first_posts: bool = False,
                    allow_attachments: bool = False) -> Category:
    category = Category(name=name, slug=slug, description=description, policy_area=policy_area,
                        position=position, visibility=visibility, start_topics=start_topics, reply=reply,
                        allowed_organisation_kinds=list(allowed_organisation_kinds or []),
                        hold_first_posts=hold_first_posts, allow_attachments=allow_attachments)
    category.full_clean()
    category.save()
    category.allowed_groups.set(allowed_groups)
    return category


# --- Posting ------------------------------------------------------------------------------------


@transaction.atomic
def start_topic(*, author: User, category: Category, title: str, body: str,
                attachment: UploadedFile | None = None, subject: Model | None = None) -> Topic:
    """Open a topic with its first post; the author watches it from then on."""
    if not Reader.of(author).can_start_topic(category):
        raise PermissionDenied(f"You cannot start topics in {category.name}.")
    title, body = _clean_title(title), _clean_body(body)
    _check_attachment(category, attachment)
    _check_may_post(author, body)
    held = _held(author, category)
    now = timezone.now()
    topic = Topic(category=category, title=title, author=author, last_post_at=now, last_poster=author,
                  status=Topic.Status.PENDING if held else Topic.Status.PUBLISHED)
    if subject is not None:
        topic.subject_type = ContentType.objects.get_for_model(subject)
        topic.subject_id = subject.pk
    topic.save()
    html, references = _render(body)
    post = Post.objects.create(topic=topic, author=author, body=body, body_html=html, references=references,
                               status=Post.Status.PENDING if held else Post.Status.PUBLISHED,
                               attachment=attachment or "")
    Topic.objects.filter(pk=topic.pk).update(last_post_at=post.created_at)
    topic.last_post_at = post.created_at
    _index_for_search(topic=topic, post=post)
    _watch(author, topic=topic)
    mark_topic_read(user=author, topic=topic, until=post.created_at)
    if held:
        _tell_moderators_of_held_post(post)
    else:
        _notify_about_post(post, new_topic=True)
    return topic


@transaction.atomic
def reply_to_topic(*, author: User, topic: Topic, body: str, attachment: UploadedFile | None = None) -> Post:
    """Add a post to a topic; watchers, mentioned members and quoted authors are told."""
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    who = Reader.of(author)
    if not can_see_topic(who, topic) or not can_reply(who, topic):
        if topic.is_locked:
            raise PermissionDenied("This topic is locked: no new replies.")
        raise PermissionDenied(f"You cannot reply in {topic.category.name}.")
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
    notify_many(recipients=selectors.moderators_of(post.topic.category), kind="forums.held",
                title=f"A post in “{post.topic.title}” waits for approval", url=reverse("forums:queue"),
                actor=post.author, email=False)


@transaction.atomic
def edit_post(*, editor: User, post: Post, body: str, reason: str = "") -> Post:
    """Change a post's text, keeping the edit history; a moderator's edit of another's post is logged."""
    post = _lock_post(post)
    who = Reader.of(editor)
    if not can_edit_post(who, post):
        raise PermissionDenied("You cannot edit this post.")
    body = _clean_body(body)
    if body == post.body:
        return post
    if post.author_id != editor.pk:
        if not reason.strip():
            raise ValidationError({"reason": ["Say why you edit another member's post."]})
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
                              url=_post_url(post), member=post.author, category=post.topic.category,
                              reason=reason)
    return post


@transaction.atomic
def delete_post(*, actor: User, post: Post, reason: str = "") -> Post:
    """Soft delete: the post stays as a "deleted" placeholder. Deleting a topic's first post deletes
    the topic. A moderator deleting another member's post is logged."""
    post = _lock_post(post)
    if not can_delete_post(Reader.of(actor), post):
        raise PermissionDenied("You cannot delete this post.")
    by_moderator = post.author_id != actor.pk
    if by_moderator and not reason.strip():
        raise ValidationError({"reason": ["Say why you delete another member's post."]})
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
                              category=topic.category, reason=reason)
    return post


@transaction.atomic
def toggle_helpful(*, user: User, post: Post) -> bool:
    """Mark a post helpful, or take the mark back; returns whether it is now marked."""
    post = _lock_post(post)
    if not can_mark_helpful(Reader.of(user), post):
        raise PermissionDenied("You cannot mark this post helpful.")
    deleted, _ = Helpful.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
        return False
    Helpful.objects.create(post=post, user=user)
    Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
    return True


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
        raise ValidationError({"subject": ["No forum category takes these discussions yet."]})
    name = re.sub(r"[\[\]]", "", str(subject))
    try:
        with transaction.atomic():
            return start_topic(author=member, category=category, title=f"Discussion: {subject}"[:TITLE_MAX],
                               body=f"Discussion of [{name}]({subject.get_absolute_url()}).", subject=subject)
    except IntegrityError:
        return Topic.objects.get(subject_type=content_type, subject_id=subject.pk)


# --- Reading and watching -----------------------------------------------------------------------


def mark_topic_read(*, user: User, topic: Topic, until: datetime) -> None:
    """Record that the member has read the topic's posts up to `until`; it never moves back."""
    if not user.is_authenticated:
        return
    updated = TopicRead.objects.filter(user=user, topic=topic, read_until__lt=until).update(read_until=until)
    if not updated and not TopicRead.objects.filter(user=user, topic=topic).exists():
        try:
            with transaction.atomic():
                TopicRead.objects.create(user=user, topic=topic, read_until=until)
        except IntegrityError:  # a parallel request recorded it first
            TopicRead.objects.filter(user=user, topic=topic, read_until__lt=until).update(read_until=until)


@transaction.atomic
def mark_all_read(*, user: User) -> None:
    ReadMarker.objects.update_or_create(user=user, defaults={"all_read_until": timezone.now()})


@transaction.atomic
def set_watching(*, user: User, watching: bool, topic: Topic | None = None,
                 category: Category | None = None) -> None:
    """Watch (or stop watching) a topic — told of each reply — or a category — told of each new topic."""
    who = Reader.of(user)
    if not who.is_member:
        raise PermissionDenied("Log in to watch.")
    if (topic is None) == (category is None):
        raise ValueError("Watch a topic or a category.")
    if topic is not None and not can_see_topic(who, topic):
        raise PermissionDenied("You cannot read this topic.")
    if category is not None and not who.can_read(category):
        raise PermissionDenied("You cannot read this category.")
    if watching:
        _watch(user, topic=topic, category=category)
    else:
        Watch.objects.filter(user=user, topic=topic, category=category).delete()


# --- Reports ------------------------------------------------------------------------------------


@transaction.atomic
def file_report(*, reporter: User, target: Model, reason: str) -> Report:
    """Report anything registered in forums.reports to the moderators, with a snapshot of its context."""
    registered = target_for(type(target))
    if registered is None:
        raise ValueError(f"{type(target).__name__} is not a reportable kind.")
    if not reporter.is_authenticated or not reporter.is_active:
        raise PermissionDenied("Log in to report.")
    if isinstance(target, Post) and not _can_report_post(reporter, target):
        raise PermissionDenied("You cannot report this post.")
    reason = _clean_text(reason, field="reason", max_length=1000, label="reason")
    content_type = ContentType.objects.get_for_model(target)
    if Report.objects.filter(reporter=reporter, target_type=content_type, target_id=target.pk,
                             status=Report.Status.OPEN).exists():
        raise ValidationError({"reason": ["You have already reported this; moderators will look at it."]})
    consume(action="reports", key=reporter.pk, rate=REPORT_RATE)
    context: ReportContext = registered.describe(target)
    report = Report.objects.create(
        target_type=content_type, target_id=target.pk, reporter=reporter, reason=reason,
        category=context.category,
        context={"excerpt": Truncator(context.excerpt).chars(1000), "url": context.url, "where": context.where,
                 "author": context.author.full_name if context.author else "",
                 "author_id": context.author.pk if context.author else None,
                 "kind": target._meta.verbose_name},
    )
    recipients = (selectors.moderators_of(context.category) if context.category is not None else
                  User.objects.filter(groups__permissions__codename="moderate", is_active=True).distinct())
    notify_many(recipients=recipients, kind="forums.report", title=f"New report: {context.where}",
                url=reverse("forums:queue"), email=False)
    return report


def _can_report_post(user: User, post: Post) -> bool:
    return can_report_post(Reader.of(user), Post.objects.select_related("topic__category").get(pk=post.pk))


def can_resolve_report(user: User, report: Report) -> bool:
    registered = target_for(report.target_type.model_class())
    target = report.target
    if registered is None or target is None:
        return is_moderator(user)
    return registered.can_resolve(user, target)


def report_actions(report: Report) -> dict[str, ReportAction]:
    """The actions that apply to a report's target; only dismissal once the target is gone."""
    registered = target_for(report.target_type.model_class())
    if registered is None or report.target is None:
        return {"dismiss": DISMISS}
    return dict(registered.actions)


@transaction.atomic
def resolve_report(*, moderator: User, report: Report, action: str, reason: str = "", message: str = "",
                   body: str = "") -> Report:
    """Resolve an open report with one of its target's actions; the reporter is told the outcome.

    Other open reports of the same target are resolved with it, and their reporters told too.
    """
    report = Report.objects.select_for_update().select_related("target_type").get(pk=report.pk)
    if report.status != Report.Status.OPEN:
        raise ValidationError({"action": ["This report is already resolved."]})
    if not can_resolve_report(moderator, report):
        raise PermissionDenied("You cannot resolve this report.")
    actions = report_actions(report)
    if action not in actions:
        raise ValidationError({"action": [f"Choose one of: {', '.join(actions)}."]})
    chosen = actions[action]
    reason = reason.strip()[:1000]
    if action != "dismiss" and not reason:
        raise ValidationError({"reason": ["Say why: the log and the member see it."]})
    if chosen.needs_body and not body.strip():
        raise ValidationError({"body": ["Enter the post's new text."]})
    target = report.target
    if target is not None:
        chosen.apply(moderator=moderator, target=target, reason=reason or "Report dismissed", body=body)
    outcome = message.strip()[:1000] or chosen.outcome
    now = timezone.now()
    same_target = Report.objects.select_for_update().filter(
        target_type=report.target_type, target_id=report.target_id, status=Report.Status.OPEN)
    reporters = [r.reporter for r in same_target.select_related("reporter")]
    same_target.update(status=Report.Status.RESOLVED, resolved_at=now, resolved_by=moderator, resolution=action,
                       outcome_message=outcome)
    log_moderation_action(moderator=moderator, action=f"report_{action}", target=target,
                          label=f"Report {report.pk}: {report.context.get('where', '')}",
                          url=report.context.get("url", ""),
                          member=User.objects.filter(pk=report.context.get("author_id")).first(),
                          category=report.category, reason=reason,
                          details={"report": report.pk, "reports_resolved": len(reporters)})
    notify_many(recipients=reporters, kind="forums.report_outcome", actor=moderator,
                title=f"Your report about {report.context.get('where', 'some content')}: {outcome}",
                url=report.context.get("url", ""), body=outcome)
    report.refresh_from_db()
    return report


# --- Moderating posts and topics ------------------------------------------------------------------


@transaction.atomic
def hide_post(*, moderator: User, post: Post, reason: str) -> Post:
    """Hidden posts show as hidden to members and in full to moderators."""
    post = _lock_post(post)
    _require_moderator(moderator, post.topic.category)
    if post.status == Post.Status.DELETED:
        raise ValidationError({"post": ["A deleted post cannot be hidden."]})
    post.status, post.status_reason = Post.Status.HIDDEN, reason[:500]
    post.save(update_fields=["status", "status_reason"])
    _refresh_topic(post.topic)
    log_moderation_action(moderator=moderator, action="hide_post", target=post, label=_post_label(post),
                          url=_post_url(post), member=post.author, category=post.topic.category, reason=reason)
    return post


@transaction.atomic
def unhide_post(*, moderator: User, post: Post, reason: str = "") -> Post:
    post = _lock_post(post)
    _require_moderator(moderator, post.topic.category)
    if post.status != Post.Status.HIDDEN:
        raise ValidationError({"post": ["This post is not hidden."]})
    post.status, post.status_reason = Post.Status.PUBLISHED, ""
    post.save(update_fields=["status", "status_reason"])
    _refresh_topic(post.topic)
    log_moderation_action(moderator=moderator, action="unhide_post", target=post, label=_post_label(post),
                          url=_post_url(post), member=post.author, category=post.topic.category, reason=reason)
    return post


@transaction.atomic
def approve_post(*, moderator: User, post: Post) -> Post:
    """Publish a held post (and its topic, when it is the first); watchers are told now."""
    post = _lock_post(post)
    _require_moderator(moderator, post.topic.category)
    if post.status != Post.Status.PENDING:
        raise ValidationError({"post": ["This post is not waiting for approval."]})
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status"])
    topic = post.topic
    new_topic = topic.status == Topic.Status.PENDING
    if new_topic:
        topic.status = Topic.Status.PUBLISHED
        topic.save(update_fields=["status"])
    _refresh_topic(topic)
    log_moderation_action(moderator=moderator, action="approve_post", target=post, label=_post_label(post),
                          url=_post_url(post), member=post.author, category=topic.category)
    if post.author is not None:
        notify(recipient=post.author, kind="forums.approved", actor=moderator, url=_post_url(post),
               title=f"Your post in “{topic.title}” is approved and published")
    _notify_about_post(post, new_topic=new_topic)
    return post


@transaction.atomic
def reject_post(*, moderator: User, post: Post, reason: str) -> Post:
    post = _lock_post(post)
    _require_moderator(moderator, post.topic.category)
    if post.status != Post.Status.PENDING:
        raise ValidationError({"post": ["This post is not waiting for approval."]})
    if not reason.strip():
        raise ValidationError({"reason": ["Say why: the member sees it."]})
    post.status, post.status_reason, post.deleted_at = Post.Status.DELETED, reason[:500], timezone.now()
    post.save(update_fields=["status", "status_reason", "deleted_at"])
    topic = post.topic
    if topic.status == Topic.Status.PENDING:
        topic.status = Topic.Status.DELETED
        topic.save(update_fields=["status"])
    log_moderation_action(moderator=moderator, action="reject_post", target=post, label=_post_label(post),
                          url=_post_url(post), member=post.author, category=topic.category, reason=reason)
    if post.author is not None:
        notify(recipient=post.author, kind="forums.rejected", actor=moderator, url=topic.category.get_absolute_url(),
               title=f"Your post in “{topic.title}” was not published: {reason}")
    return post


def _recategorise_reports(post_ids: list[int], category: Category) -> None:
    """Reports follow their posts to another category, so its moderators see them."""
    Report.objects.filter(target_type=ContentType.objects.get_for_model(Post), target_id__in=post_ids).update(
        category=category)


def _lock_topic(topic: Topic) -> Topic:
    return Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)


def _log_topic(moderator: User, action: str, topic: Topic, reason: str, category: Category | None = None,
               details: dict | None = None) -> None:
    log_moderation_action(moderator=moderator, action=action, target=topic, label=f"Topic “{topic.title}”",
                          url=topic.get_absolute_url(), member=topic.author, category=category or topic.category,
                          reason=reason, details=details)


@transaction.atomic
def set_topic_pinned(*, moderator: User, topic: Topic, pinned: bool, reason: str = "") -> Topic:
    topic = _lock_topic(topic)
    _require_moderator(moderator, topic.category)
    topic.is_pinned = pinned
    topic.save(update_fields=["is_pinned"])
    _log_topic(moderator, "pin_topic" if pinned else "unpin_topic", topic, reason)
    return topic


@transaction.atomic
def set_topic_locked(*, moderator: User, topic: Topic, locked: bool, reason: str = "") -> Topic:
    topic = _lock_topic(topic)
    _require_moderator(moderator, topic.category)
    topic.is_locked = locked
    topic.save(update_fields=["is_locked"])
    _log_topic(moderator, "lock_topic" if locked else "unlock_topic", topic, reason)
    return topic


@transaction.atomic
def move_topic(*, moderator: User, topic: Topic, category: Category, reason: str = "") -> Topic:
    """Move a topic to another category; the moderator must moderate both."""
    topic = _lock_topic(topic)
    _require_moderator(moderator, topic.category)
    _require_moderator(moderator, category)
    if category.pk == topic.category_id:
        raise ValidationError({"category": ["The topic is already in this category."]})
    old = topic.category
    topic.category = category
    topic.save(update_fields=["category"])
    _recategorise_reports(list(topic.posts.values_list("pk", flat=True)), category)
    _log_topic(moderator, "move_topic", topic, reason, category=category,
               details={"from": old.name, "to": category.name})
    return topic


@transaction.atomic
def merge_topics(*, moderator: User, source: Topic, target: Topic, reason: str = "") -> Topic:
    """Move every post of `source` into `target` (kept in time order) and delete `source`."""
    if source.pk == target.pk:
        raise ValidationError({"target": ["Choose another topic to merge into."]})
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


@transaction.atomic
def split_posts(*, moderator: User, topic: Topic, post_ids: list[int], reason: str = "", title: str = "",
                into: Topic | None = None) -> Topic:
    """Move chosen posts out of a topic into a new topic (titled `title`) or into an existing one."""
    topic = _lock_topic(topic)
    _require_moderator(moderator, topic.category)
    posts = list(Post.objects.filter(topic=topic, pk__in=post_ids).order_by("created_at", "id"))
    if not posts:
        raise ValidationError({"posts": ["Choose the posts to move."]})
    first_post = Post.objects.filter(topic=topic).order_by("created_at", "id").first()
    if first_post in posts:
        raise ValidationError({"posts": ["The topic's first post stays; move the others or merge the topic."]})
    if into is None:
        title = _clean_title(title)
        into = Topic.objects.create(category=topic.category, title=title, author=posts[0].author,
                                    last_post_at=posts[-1].created_at, last_poster=posts[-1].author)
        _index_for_search(topic=into)
    else:
        into = _lock_topic(into)
        if into.pk == topic.pk:
            raise ValidationError({"into": ["Choose another topic."]})
        _require_moderator(moderator, into.category)
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(topic=into)
    _recategorise_reports([p.pk for p in posts], into.category)
    _refresh_topic(topic)
    _refresh_topic(into)
    _log_topic(moderator, "split_topic", topic, reason,
               details={"posts": [p.pk for p in posts], "into": into.pk, "into_title": into.title})
    return into


# --- Members ------------------------------------------------------------------------------------


def _require_member_moderator(moderator: User) -> None:
    if not is_moderator(moderator):
        raise PermissionDenied("Only global moderators can act on members' accounts.")


def _check_period(until: datetime, member: User, moderator: User) -> None:
    if until <= timezone.now():
        raise ValidationError({"until": ["Choose a moment in the future."]})
    if member.pk == moderator.pk:
        raise ValidationError({"member": ["You cannot act on your own account."]})


@transaction.atomic
def warn_member(*, moderator: User, member: User, reason: str, about: Model | None = None) -> ModerationLogEntry:
    """Tell a member a rule was broken; they see the reason."""
    if not is_moderator(moderator) and not (isinstance(about, Post) and Reader.of(moderator).moderates(
            about.topic.category)):
        raise PermissionDenied("Only moderators warn members.")
    reason = _clean_text(reason, field="reason", max_length=1000, label="reason")
    label = _post_label(about) if isinstance(about, Post) else str(member)
    category = about.topic.category if isinstance(about, Post) else None
    url = _post_url(about) if isinstance(about, Post) else ""
    entry = log_moderation_action(moderator=moderator, action="warn_member", target=about or member, label=label,
                                  url=url, member=member, category=category, reason=reason)
    notify(recipient=member, kind="forums.warning", actor=moderator, url=url,
           title=f"A moderator warns you: {reason}")
    return entry


@transaction.atomic
def silence_member(*, moderator: User, member: User, until: datetime, reason: str) -> User:
    """No posting in forums or messaging until `until`; the member sees the reason."""
    _require_member_moderator(moderator)
    _check_period(until, member, moderator)
    reason = _clean_text(reason, field="reason", max_length=500, label="reason")
    User.objects.filter(pk=member.pk).update(silenced_until=until, silence_reason=reason)
    member.silenced_until, member.silence_reason = until, reason
    log_moderation_action(moderator=moderator, action="silence_member", target=member, label=str(member),
                          url=member.get_absolute_url(), member=member, reason=reason,
                          details={"until": until.isoformat()})
    notify(recipient=member, kind="forums.silenced", actor=moderator,
           title=f"You cannot post or send messages until {timezone.localtime(until):%d %B %Y %H:%M}: {reason}")
    return member


@transaction.atomic
def unsilence_member(*, moderator: User, member: User, reason: str = "") -> User:
    _require_member_moderator(moderator)
    User.objects.filter(pk=member.pk).update(silenced_until=None, silence_reason="")
    member.silenced_until, member.silence_reason = None, ""
    log_moderation_action(moderator=moderator, action="unsilence_member", target=member, label=str(member),
                          url=member.get_absolute_url(), member=member, reason=reason)
    notify(recipient=member, kind="forums.unsilenced", actor=moderator, title="You can post and message again")
    return member


@transaction.atomic
def suspend_member(*, moderator: User, member: User, until: datetime, reason: str) -> User:
    """No log-in until `until`; the member sees the reason on the log-in page (accounts enforces it)."""
    _require_member_moderator(moderator)
    _check_period(until, member, moderator)
    reason = _clean_text(reason, field="reason", max_length=500, label="reason")
    User.objects.filter(pk=member.pk).update(suspended_until=until, suspension_reason=reason)
    member.suspended_until, member.suspension_reason = until, reason
    log_moderation_action(moderator=moderator, action="suspend_member", target=member, label=str(member),
                          url=member.get_absolute_url(), member=member, reason=reason,
                          details={"until": until.isoformat()})
    notify(recipient=member, kind="forums.suspended", actor=moderator,
           title=f"Your account is suspended until {timezone.localtime(until):%d %B %Y %H:%M}: {reason}")
    return member


@transaction.atomic
def unsuspend_member(*, moderator: User, member: User, reason: str = "") -> User:
    _require_member_moderator(moderator)
    User.objects.filter(pk=member.pk).update(suspended_until=None, suspension_reason="")
    member.suspended_until, member.suspension_reason = None, ""
    log_moderation_action(moderator=moderator, action="unsuspend_member", target=member, label=str(member),
                          url=member.get_absolute_url(), member=member, reason=reason)
    return member


# --- Forum posts as a report target ---------------------------------------------------------------


def _describe_post(post: Post) -> ReportContext:
    post = Post.objects.select_related("topic__category", "author").get(pk=post.pk)
    return ReportContext(excerpt=post.body, author=post.author, url=_post_url(post),
                         where=f"a post in “{post.topic.title}”", category=post.topic.category)


def _can_resolve_post_report(user: User, post: Post) -> bool:
    return Reader.of(user).moderates(Post.objects.select_related("topic__category").get(pk=post.pk).topic.category)


def _hide(*, moderator: User, target: Post, reason: str, **extra) -> None:
    hide_post(moderator=moderator, post=target, reason=reason)


def _delete(*, moderator: User, target: Post, reason: str, **extra) -> None:
    delete_post(actor=moderator, post=target, reason=reason)


def _edit(*, moderator: User, target: Post, reason: str, body: str = "", **extra) -> None:
    edit_post(editor=moderator, post=target, body=body, reason=reason)


POST_ACTIONS = {
    "hide": ReportAction("Hide the post", _hide, outcome="A moderator has hidden the post."),
    "delete": ReportAction("Delete the post", _delete, outcome="A moderator has deleted the post."),
    "edit": ReportAction("Edit the post", _edit, needs_body=True, outcome="A moderator has edited the post."),
    "warn": WARN,
    "dismiss": DISMISS,
}

register_report_target(Post, describe=_describe_post, actions=POST_ACTIONS, can_resolve=_can_resolve_post_report)

