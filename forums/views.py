"""Forum pages: thin views that check permissions, call a selector or a service, and render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import SERVICE_ERRORS, describe, run_service
from core.extensions import DISCUSSABLE
from core.pagecache import cache_for_visitors
from core.ratelimit import Rate, consume
from core.uploads import CONTENT_TYPES, download_name, serve_download
from forums import forms, permissions, selectors, services
from forums.models import Category, Post, Tag, Topic
from forums.permissions import Reader
from forums.text import quote_block
from moderation.views import report_page

# What the forum pages show visitors: the forums themselves, their authors, the policy areas of categories.
FORUM_KINDS = ("forums.forum", "accounts.member", "core.taxonomy")

User = get_user_model()


def _refuse(request: HttpRequest, message: str = "Not found.") -> HttpResponse:
    """A visitor is sent to log in (the page may open to members); a member who may not see it gets 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(message)


def _data(request: HttpRequest):
    """The submitted data on POST (even when empty, so the form is bound and validated), else None."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _topic_for(request: HttpRequest, pk: int) -> tuple[Topic, Reader]:
    topic = selectors.topic_for_page(pk).first()
    who = Reader.of(request.user)
    if topic is None or not permissions.can_see_topic(who, topic):
        raise Http404("No such topic.")
    return topic, who


def _post_for(request: HttpRequest, pk: int) -> tuple[Post, Reader]:
    post = selectors.post_for_page(pk).first()
    who = Reader.of(request.user)
    if post is None or not permissions.can_see_topic(who, post.topic):
        raise Http404("No such post.")
    return post, who


# --- Reading ------------------------------------------------------------------------------------


@cache_for_visitors(*FORUM_KINDS)
def category_list(request: HttpRequest) -> HttpResponse:
    who = Reader.of(request.user)
    return render(request, "forums/category_list.html", {
        "categories": selectors.category_index(request.user, who),
        "watched": selectors.watched_category_ids(request.user),
    })


@cache_for_visitors(*FORUM_KINDS)
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_for_page(slug).first()
    who = Reader.of(request.user)
    if category is None or not who.can_read(category):
        return _refuse(request, "No such category.")
    tag = Tag.objects.filter(slug=request.GET.get("tag", "")).first() if request.GET.get("tag") else None
    topics = selectors.topics_in_category(category, request.user, who, tag=tag)
    return render(request, "forums/category_detail.html", {
        "category": category,
        "page": Paginator(topics, selectors.TOPICS_PER_PAGE).get_page(request.GET.get("page")),
        "can_start": who.can_start_topic(category),
        "watching": selectors.is_watching(request.user, category=category),
        "tags": selectors.tags_in_use(category),
        "current_tag": tag,
        "query_string": urlencode({"tag": tag.slug}) if tag else "",
    })


@cache_for_visitors(*FORUM_KINDS, "accounts.organisation", "events.event", "directory.practice")
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The topic (its tags are read when the heading is rendered afresh), the reader's rights and marks: kept, and
    # read in one cache round trip; then the page's count and posts in another.
    topic, who, (read_until, watching) = selectors.topic_page_start(pk, request.user)
    if topic is None or not permissions.can_see_topic(who, topic):
        return _refuse(request, "No such topic.")
    # Kept with the reader's own marks; each post's text, author and reactions are read only if its card misses.
    page, posts = selectors.topic_page(topic, request.user, who, request.GET.get("page"))
    if who.is_member and posts:
        until = max(p.created_at for p in posts)
        if read_until is None or read_until < until:
            services.mark_topic_read(user=request.user, topic=topic, until=until)
    moderates = who.moderates(topic.category)
    for post in posts:
        post.topic = topic
        post.show_body = permissions.can_see_post_body(who, post)
        post.may_edit = permissions.can_edit_post(who, post)
        post.may_delete = permissions.can_delete_post(who, post)
        post.may_report = permissions.can_report_post(who, post)
        post.may_mark = permissions.can_mark_helpful(who, post)
        post.may_react = post.may_mark
    may_accept = services.can_accept_answer(who, topic)
    first_id = posts[0].pk if posts and page.number == 1 else None
    can_reply = permissions.can_reply(who, topic)
    for post in posts:
        post.may_accept = (may_accept and post.status == "published" and post.pk != first_id
                           and post.pk != topic.accepted_answer_id)
        post.is_answer = post.pk == topic.accepted_answer_id
        # The rendered post is kept ({% card %}) until the forums change, and shared by every reader with the same
        # rights on it and the same marks of their own (a moderator's holds their own "Member…" link).
        post.card_varies = (
            request.user.is_authenticated, moderates and request.user.pk, can_reply, post.show_body, post.may_edit,
            post.may_delete, post.may_report, post.may_mark, post.may_accept, post.is_answer,
            post.marked_helpful, post.bookmarked, post.mine)
    return render(request, "forums/topic_detail.html", {
        "topic": topic, "page": page, "posts": posts, "moderates": moderates,
        "may_accept": may_accept, "first_id": first_id,
        "answer": topic.accepted_answer if topic.accepted_answer_id and topic.accepted_answer.status == "published"
        else None,
        # The heading and the reply form are kept ({% card %}) until the forums (or the discussed subject) change,
        # per reader with the same buttons: what only they show is made when they are rendered afresh.
        "head_varies": (topic.pk, request.user.is_authenticated, watching, moderates),
        "reply_varies": (topic.pk, request.user.is_authenticated, can_reply),
        "tags_form": (lambda: forms.TopicTagsForm(initial={"tags": list(topic.tags.all())})) if moderates else None,
        "can_reply": can_reply,
        "reply_form": lambda: forms.ReplyForm(allow_attachment=topic.category.allow_attachments),
        "watching": watching,
        "subject": lambda: topic.subject,
    })


def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """A stable link to a post: the topic page it is on, scrolled to it."""
    post = selectors.post_for_page(pk).first()
    who = Reader.of(request.user)
    if post is None or not permissions.can_see_topic(who, post.topic):
        return _refuse(request, "No such post.")
    page = selectors.post_page_number(post, request.user, who)
    return redirect(f"{post.topic.get_absolute_url()}?page={page}#post-{post.pk}")


@login_required
def first_unread(request: HttpRequest, pk: int) -> HttpResponse:
    topic, who = _topic_for(request, pk)
    post = selectors.first_unread_post(topic, request.user, who)
    if post is None:
        last_page = Paginator(selectors.posts_on_topic_page(topic, request.user, who),
                              selectors.POSTS_PER_PAGE).num_pages
        return redirect(f"{topic.get_absolute_url()}?page={last_page}")
    return redirect("forums:post", post.pk)


@login_required
def unread(request: HttpRequest) -> HttpResponse:
    topics = selectors.unread_topics(request.user)
    return render(request, "forums/unread.html", {
        "page": Paginator(topics, selectors.TOPICS_PER_PAGE).get_page(request.GET.get("page"))})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(user=request.user)
    messages.success(request, gettext("Every topic is marked as read."))
    return redirect("forums:unread")


def search(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    topics, page, query = [], None, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        who = Reader.of(request.user)
        topics = list(selectors.search_topics(request.user, query, who)[:10])
        page = Paginator(selectors.search_posts(request.user, query, who), 20).get_page(request.GET.get("page"))
    return render(request, "forums/search.html", {
        "form": form, "query": query, "topics": topics, "page": page,
        "query_string": urlencode({"q": query}),
    })


def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve a post's attachment to those who may read the post."""
    post, who = _post_for(request, pk)
    if not post.attachment or not permissions.can_see_post_body(who, post):
        raise Http404("No such attachment.")
    name = post.attachment.name.rsplit("/", 1)[-1]
    stem, _dot, extension = name.rpartition(".")
    # Checked on upload, so the stored name ends in the type the content was found to be. A file from
    # before that check, of any other type, is served as opaque bytes, never as what its name suggests.
    content_type = CONTENT_TYPES.get(extension.lower(), "application/octet-stream")
    file_type = extension.lower() if extension.lower() in CONTENT_TYPES else "bin"
    try:
        handle = post.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return serve_download(request, handle, content_type=content_type, filename=download_name(stem or name, file_type))


# --- Writing ------------------------------------------------------------------------------------


@login_required
def topic_create(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_for_page(slug).first()
    who = Reader.of(request.user)
    if category is None or not who.can_read(category):
        raise Http404("No such category.")
    if not who.can_start_topic(category):
        raise PermissionDenied(gettext("You cannot start topics in %(category)s.") % {"category": category.name})
    form = forms.TopicForm(_data(request), _files(request), allow_attachment=category.allow_attachments,
                           author=request.user)
    if request.method == "POST" and form.is_valid():
        topic = run_service(form, lambda: services.start_topic(
            author=request.user, category=category, title=form.cleaned_data["title"],
            body=form.cleaned_data["body"], attachment=form.cleaned_data.get("attachment"),
            tags=form.cleaned_data.get("tags") or (), language=form.cleaned_data["language"]))
        if topic is not None:
            if topic.status == Topic.Status.PENDING:
                messages.info(request, gettext("Your topic waits for a moderator's approval before others see it."))
            return redirect(topic)
    return render(request, "forums/topic_form.html", {"form": form, "category": category})


@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    topic, who = _topic_for(request, pk)
    if not permissions.can_reply(who, topic):
        raise PermissionDenied(gettext("This topic is locked.") if topic.is_locked
                               else gettext("You cannot reply here."))
    initial = {}
    quote_id = request.GET.get("quote", "")
    if quote_id.isdigit():
        quoted = selectors.post_for_page(int(quote_id)).filter(topic=topic).first()
        if quoted is not None and quoted.status == Post.Status.PUBLISHED:
            initial["body"] = quote_block(author_name=quoted.author.full_name if quoted.author else "",
                                          post_id=quoted.pk, body=quoted.body)
    form = forms.ReplyForm(_data(request), _files(request), initial=initial,
                           allow_attachment=topic.category.allow_attachments)
    if request.method == "POST" and form.is_valid():
        post = run_service(form, lambda: services.reply_to_topic(
            author=request.user, topic=topic, body=form.cleaned_data["body"],
            attachment=form.cleaned_data.get("attachment")))
        if post is not None:
            if post.status == Post.Status.PENDING:
                messages.info(request, gettext("Your reply waits for a moderator's approval before others see it."))
            return redirect("forums:post", post.pk)
    return render(request, "forums/reply_form.html", {"form": form, "topic": topic})


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post, who = _post_for(request, pk)
    if not permissions.can_edit_post(who, post):
        raise PermissionDenied(gettext("You cannot edit this post."))
    form = forms.EditPostForm(_data(request), initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, lambda: services.edit_post(
            editor=request.user, post=post, body=form.cleaned_data["body"], reason=form.cleaned_data["reason"]))
        if saved is not None:
            messages.success(request, gettext("The post is saved."))
            return redirect("forums:post", post.pk)
    return render(request, "forums/post_edit.html", {"form": form, "post": post,
                                                      "others_post": post.author_id != request.user.pk})


@login_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post, who = _post_for(request, pk)
    if not permissions.can_delete_post(who, post):
        raise PermissionDenied(gettext("You cannot delete this post."))
    form = forms.ReasonForm(_data(request))
    if request.method == "POST" and form.is_valid():
        deleted = run_service(form, lambda: services.delete_post(
            actor=request.user, post=post, reason=form.cleaned_data["reason"]))
        if deleted is not None:
            messages.success(request, gettext("The post is deleted."))
            if deleted.topic.status == Topic.Status.DELETED:
                return redirect(post.topic.category)
            return redirect("forums:post", post.pk)
    return render(request, "forums/confirm.html", {
        "form": form, "title": gettext("Delete this post?"), "post": post,
        "button": pgettext("button", "Delete"),
        "note": gettext("The post stays in the topic as “deleted”.") if post.author_id == request.user.pk else
                gettext("Say why: the log keeps it.")})


@login_required
@require_POST
def helpful(request: HttpRequest, pk: int) -> HttpResponse:
    post, _who = _post_for(request, pk)
    try:
        marked = services.toggle_helpful(user=request.user, post=post)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("Marked as helpful.") if marked else gettext("Helpful mark taken back."))
    return redirect("forums:post", post.pk)


@login_required
@require_POST
def watch(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    watching = request.POST.get("watching") == "1"
    if kind == "topic":
        target, _who = _topic_for(request, pk)
        services.set_watching(user=request.user, topic=target, watching=watching)
    elif kind == "category":
        target = Category.objects.filter(pk=pk).first()
        if target is None or not permissions.can_read_category(request.user, target):
            raise Http404("No such category.")
        services.set_watching(user=request.user, category=target, watching=watching)
    else:
        raise Http404("No such thing to watch.")
    messages.success(request, (gettext("You now watch “%(name)s”.") if watching
                               else gettext("You no longer watch “%(name)s”.")) % {"name": target})
    return redirect(target)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a post: moderation's one report form, once the post is one the member may read."""
    post, _who = _post_for(request, pk)
    return report_page(request, kind="forums.post", target=post)


@login_required
@require_POST
def discuss(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """Open (or start, the first time) the discussion topic of an event or a practice."""
    discussion_kind = DISCUSSABLE.get(kind)
    subject = discussion_kind.find(slug, request.user) if discussion_kind else None
    if subject is None:
        raise Http404("Nothing to discuss here.")
    try:
        topic = services.open_discussion(member=request.user, subject=subject)
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
        return redirect(subject)
    return redirect(topic)


# --- Moderation ---------------------------------------------------------------------------------


# Each action: its service, the confirmation page's title and button, and the message once done.
_POST_ACTIONS = {
    "hide": (services.hide_post, _("Hide this post?"), pgettext_lazy("button", "Hide"), _("The post is hidden.")),
    "unhide": (services.unhide_post, _("Unhide this post?"), pgettext_lazy("button", "Unhide"),
               _("The post is visible again.")),
    "approve": (services.approve_post, _("Approve this post?"), pgettext_lazy("button", "Approve"),
                _("The post is approved and published.")),
    "reject": (services.reject_post, _("Reject this post?"), pgettext_lazy("button", "Reject"),
               _("The post is rejected.")),
}


@login_required
def moderate_post(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _POST_ACTIONS:
        raise Http404("No such action.")
    post, who = _post_for(request, pk)
    if not who.moderates(post.topic.category):
        raise PermissionDenied(gettext("Only moderators of this category can do this."))
    service, title, button, done = _POST_ACTIONS[action]
    form = forms.ReasonForm(_data(request))
    if request.method == "POST" and form.is_valid():
        kwargs = {} if action == "approve" else {"reason": form.cleaned_data["reason"]}
        if run_service(form, lambda: service(moderator=request.user, post=post, **kwargs)):
            messages.success(request, done)
            if request.POST.get("next") == "queue":
                return redirect("moderation:queue")
            return redirect("forums:post", post.pk)
    return render(request, "forums/confirm.html", {
        "form": form, "title": title, "post": post, "button": button,
        "note": gettext("Say why: the log keeps it.")})


_TOPIC_TOGGLES = {
    "pin": (services.set_topic_pinned, {"pinned": True}, _("The topic is pinned.")),
    "unpin": (services.set_topic_pinned, {"pinned": False}, _("The topic is unpinned.")),
    "lock": (services.set_topic_locked, {"locked": True}, _("The topic is locked.")),
    "unlock": (services.set_topic_locked, {"locked": False}, _("The topic is unlocked.")),
}


@login_required
@require_POST
def moderate_topic(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _TOPIC_TOGGLES:
        raise Http404("No such action.")
    topic, who = _topic_for(request, pk)
    if not who.moderates(topic.category):
        raise PermissionDenied(gettext("Only moderators of this category can do this."))
    service, kwargs, done = _TOPIC_TOGGLES[action]
    service(moderator=request.user, topic=topic, reason=request.POST.get("reason", "")[:1000], **kwargs)
    messages.success(request, done)
    return redirect(topic)


def _moderated_topic(request: HttpRequest, pk: int) -> tuple[Topic, Reader]:
    topic, who = _topic_for(request, pk)
    if not who.moderates(topic.category):
        raise PermissionDenied(gettext("Only moderators of this category can do this."))
    return topic, who


@login_required
def topic_move(request: HttpRequest, pk: int) -> HttpResponse:
    topic, who = _moderated_topic(request, pk)
    targets = Category.objects.filter(pk__in=[c.pk for c in Category.objects.prefetch_related("allowed_groups")
                                              if who.moderates(c)]).exclude(pk=topic.category_id)
    form = forms.MoveTopicForm(_data(request), categories=targets)
    if request.method == "POST" and form.is_valid() and run_service(form, lambda: services.move_topic(
            moderator=request.user, topic=topic, category=form.cleaned_data["category"],
            reason=form.cleaned_data["reason"])):
        messages.success(request, gettext("The topic is moved to %(category)s.")
                         % {"category": form.cleaned_data["category"].name})
        return redirect(topic)
    return render(request, "forums/topic_tool.html", {"form": form, "topic": topic,
                                                      "title": gettext("Move the topic"),
                                                      "button": pgettext("button: move the topic", "Move")})


@login_required
def topic_merge(request: HttpRequest, pk: int) -> HttpResponse:
    topic, _who = _moderated_topic(request, pk)
    form = forms.MergeTopicForm(_data(request))
    if request.method == "POST" and form.is_valid():
        target = Topic.objects.filter(pk=form.cleaned_data["target"]).exclude(status=Topic.Status.DELETED).first()
        if target is None:
            form.add_error("target", gettext("No such topic."))
        else:
            merged = run_service(form, lambda: services.merge_topics(
                moderator=request.user, source=topic, target=target, reason=form.cleaned_data["reason"]))
            if merged is not None:
                messages.success(request, gettext("The posts are merged into “%(title)s”.") % {"title": merged.title})
                return redirect(merged)
    return render(request, "forums/topic_tool.html", {"form": form, "topic": topic,
                                                      "title": gettext("Merge into another topic"),
                                                      "button": pgettext("button: merge the topic", "Merge")})


@login_required
def topic_split(request: HttpRequest, pk: int) -> HttpResponse:
    topic, _who = _moderated_topic(request, pk)
    posts = list(Post.objects.filter(topic=topic).select_related("author").order_by("created_at", "id"))
    form = forms.SplitTopicForm(_data(request), posts=posts[1:])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        into = None
        if data.get("into"):
            into = Topic.objects.filter(pk=data["into"]).exclude(status=Topic.Status.DELETED).first()
            if into is None:
                form.add_error("into", gettext("No such topic."))
        if not form.errors:
            moved = run_service(form, lambda: services.split_posts(
                moderator=request.user, topic=topic, post_ids=[int(p) for p in data["posts"]],
                title=data.get("title", ""), into=into, reason=data["reason"]))
            if moved is not None:
                messages.success(request, gettext("The posts are moved to “%(title)s”.") % {"title": moved.title})
                return redirect(moved)
    return render(request, "forums/topic_tool.html", {"form": form, "topic": topic,
                                                      "title": gettext("Move posts to another topic"),
                                                      "button": gettext("Move posts")})


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post, who = _post_for(request, pk)
    if not who.moderates(post.topic.category):
        raise PermissionDenied(gettext("Only moderators see a post's edit history."))
    return render(request, "forums/post_history.html", {"post": post, "edits": selectors.post_edits(post)})


# --- Forum tools: preview, accepted answers, tags, bookmarks, reactions --------------------------

PREVIEW_RATE = Rate(limit=120, period=60)


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The Markdown being written, rendered by the server's sanitiser (htmx swaps it under the form)."""
    form = forms.PreviewForm(request.POST)
    html, error = "", ""
    try:
        consume(action="preview", key=request.user.pk, rate=PREVIEW_RATE)
        if form.is_valid():
            html = services.rendered_preview(form.cleaned_data["body"])
        else:
            error = " ".join(form.errors["body"])
    except SERVICE_ERRORS as refusal:
        error = describe(refusal)
    return render(request, "forums/_preview.html", {"html": html, "error": error})


def _back_to_post(post: Post) -> HttpResponse:
    return redirect("forums:post", post.pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the reply as the question's accepted answer (the topic's starter or a moderator)."""
    post, _who = _post_for(request, pk)
    try:
        services.accept_answer(actor=request.user, post=post)
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, gettext("Marked as the accepted answer."))
    return _back_to_post(post)


@login_required
@require_POST
def unaccept(request: HttpRequest, pk: int) -> HttpResponse:
    topic, _who = _topic_for(request, pk)
    try:
        services.unaccept_answer(actor=request.user, topic=topic)
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, gettext("The question has no accepted answer now."))
    return redirect(topic)


@login_required
@require_POST
def bookmark(request: HttpRequest, pk: int) -> HttpResponse:
    post, _who = _post_for(request, pk)
    try:
        kept = services.toggle_bookmark(user=request.user, post=post)
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, gettext("Bookmarked: find it under “My bookmarks”.") if kept
                         else gettext("Bookmark removed."))
    return _back_to_post(post)


@login_required
def bookmarks(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.bookmarks_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "forums/bookmarks.html", {"page": page})


@login_required
@require_POST
def react(request: HttpRequest, pk: int) -> HttpResponse:
    post, _who = _post_for(request, pk)
    try:
        services.toggle_post_reaction(user=request.user, post=post, emoji=request.POST.get("emoji", ""))
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
    return _back_to_post(post)


@login_required
def tags(request: HttpRequest) -> HttpResponse:
    """Moderators keep the list of tags members may pick."""
    if not Reader.of(request.user).is_global_moderator:
        raise PermissionDenied(gettext("Only moderators manage tags."))
    form = forms.TagForm(_data(request))
    if request.method == "POST" and form.is_valid():
        tag = run_service(form, lambda: services.create_tag(moderator=request.user, name=form.cleaned_data["name"]))
        if tag is not None:
            messages.success(request, gettext("The tag “%(name)s” is ready.") % {"name": tag.name})
            return redirect("forums:tags")
    return render(request, "forums/tags.html", {"form": form, "tags": selectors.all_tags()},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def tag_delete(request: HttpRequest, pk: int) -> HttpResponse:
    tag = Tag.objects.filter(pk=pk).first()
    if tag is None:
        raise Http404("No such tag.")
    try:
        services.delete_tag(moderator=request.user, tag=tag)
    except SERVICE_ERRORS as error:
        raise PermissionDenied(describe(error)) from error
    messages.success(request, gettext("The tag “%(name)s” is deleted.") % {"name": tag.name})
    return redirect("forums:tags")


@login_required
@require_POST
def topic_tags(request: HttpRequest, pk: int) -> HttpResponse:
    topic, _who = _topic_for(request, pk)
    form = forms.TopicTagsForm(request.POST)
    if not form.is_valid():
        messages.error(request, describe_form(form))
        return redirect(topic)
    try:
        services.set_topic_tags(moderator=request.user, topic=topic, tags=form.cleaned_data["tags"])
    except SERVICE_ERRORS as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, describe(error))
    else:
        messages.success(request, gettext("Tags saved."))
    return redirect(topic)


def describe_form(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)
