"""How the forums plug into moderation: posts are reportable, categories have their own moderators,
and posts held for approval show in the moderators' queue. Registered from ForumsConfig.ready()."""

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.extensions import PAGE_SECTIONS, Section
from forums import selectors, services
from forums.models import Category, Post
from forums.permissions import Reader, can_report_post
from moderation.registry import (
    AWAITING_APPROVAL,
    AwaitingApproval,
    ReportAction,
    ReportContext,
    register_reportable,
    register_scope,
)


def describe_post(post: Post) -> ReportContext:
    post = Post.objects.select_related("topic__category", "author").get(pk=post.pk)
    return ReportContext(excerpt=post.body, author=post.author, url=post.get_absolute_url(),
                         # Translators: what was reported: "Report a post in “Housing” to the moderators".
                         where=gettext("a post in “%(title)s”") % {"title": post.topic.title},
                         scope=post.topic.category)


def _can_report(user: User, post: Post) -> bool:
    return can_report_post(Reader.of(user), Post.objects.select_related("topic__category").get(pk=post.pk))


def _hide(*, moderator: User, target: Post, reason: str, **extra) -> None:
    services.hide_post(moderator=moderator, post=target, reason=reason)


def _delete(*, moderator: User, target: Post, reason: str, **extra) -> None:
    services.delete_post(actor=moderator, post=target, reason=reason)


def _edit(*, moderator: User, target: Post, reason: str, body: str = "", **extra) -> None:
    services.edit_post(editor=moderator, post=target, body=body, reason=reason)


POST_ACTIONS = {
    "hide": ReportAction(_("Hide the post"), _hide, outcome=_("A moderator has hidden the post.")),
    "delete": ReportAction(_("Delete the post"), _delete, outcome=_("A moderator has deleted the post.")),
    "edit": ReportAction(_("Edit the post"), _edit, needs_body=True, outcome=_("A moderator has edited the post.")),
}


def _held_posts(request: HttpRequest, obj: None) -> dict:
    return {"held": selectors.held_posts_for(request.user)}


def register() -> None:
    register_reportable("forums.post", Post, describe=describe_post, actions=POST_ACTIONS, can_report=_can_report)
    register_scope("forums.category", Category, moderators=lambda category: category.moderators.all(),
                   moderated_by=lambda user: user.moderated_forum_categories.values_list("pk", flat=True),
                   kinds=("forums.forum",))  # a category's moderators: CategoryAdmin bumps forums.forum
    AWAITING_APPROVAL.register("forums.held_posts", AwaitingApproval(
        _("Forum posts awaiting approval"), "moderation:queue", lambda user: selectors.held_posts_for(user).count()))
    PAGE_SECTIONS.register("forums.held_posts", Section(slot="moderation_queue", template="forums/_held_posts.html",
                                                        context=_held_posts))
