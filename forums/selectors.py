"""Every forum read with rules: what a reader may see lives here once (`categories_visible_to`,
`topics_visible_to`), and pages, the API and search all start from these QuerySets."""

from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest

from accounts.models import Membership, Organisation
from accounts.permissions import AnyUser
from accounts.selectors import beside_content
from core import search, versions
from core.fragments import ReadWhenShown
from forums.models import (
    POST_REACTIONS,
    REACTION_LABELS,
    Bookmark,
    Category,
    Helpful,
    Post,
    PostReaction,
    ReadMarker,
    Tag,
    Topic,
    TopicRead,
    Watch,
)
from forums.permissions import Reader
from moderation.selectors import global_moderators_q

User = get_user_model()
TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 20
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _reader(user: AnyUser, who: Reader | None) -> Reader:
    return who if who is not None else Reader.of(user)


def visible_category_ids(user: AnyUser, who: Reader | None = None) -> list[int]:
    who = _reader(user, who)
    categories = Category.objects.prefetch_related("allowed_groups")
    return [c.pk for c in categories if who.can_read(c)]


def categories_visible_to(user: AnyUser, who: Reader | None = None) -> QuerySet[Category]:
    """The categories the user may read, in their order."""
    return Category.objects.filter(pk__in=visible_category_ids(user, who)).select_related("policy_area")


def topics_visible_to(user: AnyUser, who: Reader | None = None) -> QuerySet[Topic]:
    """Published topics of readable categories, plus the user's own held topics and, in the
    categories they moderate, every held topic. Deleted topics are never listed."""
    who = _reader(user, who)
    readable = visible_category_ids(user, who)
    shown = Q(status=Topic.Status.PUBLISHED)
    if who.is_member:
        moderated = readable if who.is_global_moderator else list(who.moderated_category_ids)
        shown |= Q(status=Topic.Status.PENDING) & (Q(author=user) | Q(category_id__in=moderated))
    return Topic.objects.filter(shown, category_id__in=readable)


def posts_visible_to(user: AnyUser, who: Reader | None = None) -> QuerySet[Post]:
    """Published posts in topics the user may see (what search and activity lists show)."""
    return Post.objects.filter(status=Post.Status.PUBLISHED,
                               topic__in=topics_visible_to(user, who).filter(status=Topic.Status.PUBLISHED))


def with_unread(topics: QuerySet[Topic], user: AnyUser) -> QuerySet[Topic]:
    """Annotate `is_unread`: the topic has posts newer than what the member has read.

    A member has read everything before they joined and before their last "mark all read".
    """
    if not user.is_authenticated:
        return topics.annotate(is_unread=Value(False, output_field=BooleanField()))
    read_until = Greatest(
        Coalesce(Subquery(TopicRead.objects.filter(user=user, topic=OuterRef("pk")).values("read_until")[:1]),
                 Value(_EPOCH, output_field=DateTimeField())),
        Coalesce(Subquery(ReadMarker.objects.filter(user=user).values("all_read_until")[:1]),
                 Value(_EPOCH, output_field=DateTimeField())),
        Value(user.date_joined, output_field=DateTimeField()),
    )
    return topics.annotate(read_until=read_until).annotate(
        is_unread=ExpressionWrapper(Q(last_post_at__gt=F("read_until")), output_field=BooleanField()))


def _for_list(topics: QuerySet[Topic], user: AnyUser) -> QuerySet[Topic]:
    return with_unread(topics.select_related("author", "last_poster", "category").prefetch_related("tags"), user)


def category_counts() -> dict[int, tuple[int, int, int | None]]:
    """Each category's published topics, their replies and its latest topic, by category id: the same for every
    reader, and kept until the forums change (forums.forum: every topic and post written, moved, held, approved,
    hidden or deleted), since counting them reads every topic (a request's cost would grow with the forums)."""
    published = Q(topics__status=Topic.Status.PUBLISHED)
    latest = Topic.objects.filter(category=OuterRef("pk"), status=Topic.Status.PUBLISHED).order_by("-last_post_at")
    return versions.kept("v:forum-category-counts", ["forums.forum"], lambda: {
        pk: (topics, replies, latest_id) for pk, topics, replies, latest_id in Category.objects.annotate(
            topic_count=Count("topics", filter=published),
            reply_total=Coalesce(Sum("topics__reply_count", filter=published), 0),
            latest_topic_id=Subquery(latest.values("pk")[:1]),
        ).order_by().values_list("pk", "topic_count", "reply_total", "latest_topic_id")})


def category_index(user: AnyUser, who: Reader | None = None, *, latest: bool = True) -> list[Category]:
    """Readable categories with topic and post counts (category_counts) and, with `latest`, their latest topic:
    one query for the categories (their groups too, for a member in some group), one for the latest topics."""
    who = _reader(user, who)
    categories = list(Category.objects.select_related("policy_area"))
    if who.group_ids:  # what in_chosen_audience reads, for every category at once
        prefetch_related_objects(categories, "allowed_groups")
    categories = [category for category in categories if who.can_read(category)]
    counts = category_counts()
    for category in categories:
        category.topic_count, category.reply_total, category.latest_topic_id = counts.get(category.pk, (0, 0, None))
        category.post_count = category.topic_count + category.reply_total
    if latest:
        ids = [c.latest_topic_id for c in categories if c.latest_topic_id]
        latest_topics = Topic.objects.select_related("last_poster").in_bulk(ids) if ids else {}
        for category in categories:
            category.latest_topic = latest_topics.get(category.latest_topic_id)
    return categories


def category_for_page(slug: str) -> QuerySet[Category]:
    return Category.objects.filter(slug=slug).select_related("policy_area").prefetch_related("allowed_groups")


def topics_in_category(category: Category, user: AnyUser, who: Reader | None = None,
                       tag: Tag | None = None) -> QuerySet[Topic]:
    """The category's topics the reader may see, pinned first; only those with `tag` when given."""
    topics = topics_visible_to(user, who).filter(category=category)
    if tag is not None:
        topics = topics.filter(tags=tag)
    return _for_list(topics, user).order_by("-is_pinned", "-last_post_at", "-id")


def all_tags() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def tags_in_use(category: Category) -> QuerySet[Tag]:
    """The tags of the category's published topics, for its filter."""
    return Tag.objects.filter(topics__category=category, topics__status=Topic.Status.PUBLISHED).distinct().order_by(
        "name")


def bookmarks_of(user: AnyUser) -> QuerySet[Bookmark]:
    """The member's bookmarks of posts they can still see, newest first."""
    return (Bookmark.objects.filter(user=user, post__in=posts_visible_to(user))
            .select_related("post__topic__category", "post__author").order_by("-created_at", "-id"))


def topic_for_page(pk: int, *, tags: bool = True) -> QuerySet[Topic]:
    """The topic with what its page shows (its tags unless `tags` is false: they are read when first shown); the
    category's groups are read only if a rule needs them (Reader.in_chosen_audience)."""
    topics = Topic.objects.filter(pk=pk).select_related("category", "author", "subject_type", "accepted_answer__author")
    return topics.prefetch_related("tags") if tags else topics


def kept_topic_for_page(pk: int) -> Topic | None:
    """topic_for_page's topic without its tags, kept until the forums change (forums.forum: its title, state,
    category and that category's rules, its accepted answer) or a member's name does (accounts.member: its author
    and the answer's): the topic page asks the cache once instead of building a five-table query."""
    return versions.kept(*_kept_topic(pk))


def _kept_topic(pk: int) -> tuple[str, list, Callable[[], Topic | None]]:
    return (f"v:topic-for-page:{pk}", ["forums.forum", "accounts.member"],
            lambda: topic_for_page(pk, tags=False).first())


def topic_page_start(pk: int, user: AnyUser) -> tuple[Topic | None, Reader, tuple[datetime | None, bool]]:
    """What the topic page reads first, in one cache round trip: the kept topic (kept_topic_for_page), the reader's
    rights (Reader.of, kept per member) and their read mark and watch on the topic (topic_marks)."""
    if not user.is_authenticated:
        return kept_topic_for_page(pk), Reader.of(user), (None, False)
    rights = Reader.kept_facts(user)  # None when already read in this request, or not kept for this user
    topic, marks, *facts = versions.kept_together(_kept_topic(pk), _kept_marks(user, pk),
                                                  *([rights] if rights is not None else []))
    if facts:
        Reader.remember(user, facts[0])
    return topic, Reader.of(user), marks


def _listed_on_topic_page(topic: Topic, user: AnyUser, who: Reader) -> QuerySet[Post]:
    """The topic's posts its pages list to the reader, unordered and with nothing joined."""
    posts = Post.objects.filter(topic=topic)
    if not who.moderates(topic.category):
        held = Q(status=Post.Status.PENDING)
        posts = posts.exclude(held & ~Q(author_id=user.pk)) if who.is_member else posts.exclude(held)
    return posts


def posts_on_topic_page(topic: Topic, user: AnyUser, who: Reader | None = None) -> QuerySet[Post]:
    """Every post of the topic in order, as placeholders when hidden or deleted (so links stay stable);
    a post held for approval only for its author and the category's moderators."""
    who = _reader(user, who)
    posts = (_listed_on_topic_page(topic, user, who).select_related("author", "edited_by")
             .defer(*beside_content("author", "edited_by")).prefetch_related("reactions").order_by("created_at", "id"))
    if who.is_member:
        posts = posts.annotate(marked_helpful=Exists(Helpful.objects.filter(post=OuterRef("pk"), user=user)),
                               bookmarked=Exists(Bookmark.objects.filter(post=OuterRef("pk"), user=user)))
    return posts


def _reader_key(topic: Topic, user: AnyUser, who: Reader) -> str:
    """Whose list of the topic's posts a reader sees: the moderators', a member's (their own held posts), visitors'."""
    return "moderator" if who.moderates(topic.category) else f"member:{user.pk}" if who.is_member else "visitor"


def _kept_count(topic: Topic, user: AnyUser, who: Reader) -> tuple[str, list, Callable[[], int]]:
    return (f"v:topic-post-count:{topic.pk}:{_reader_key(topic, user, who)}", ["forums.forum"],
            lambda: _listed_on_topic_page(topic, user, who).count())


def count_posts_on_topic_page(topic: Topic, user: AnyUser, who: Reader | None = None) -> int:
    """How many posts posts_on_topic_page lists for the reader (which the topic's pages are numbered by): kept per
    topic and reader until the forums change (forums.forum: a post written, held, approved, hidden, moved)."""
    return versions.kept(*_kept_count(topic, user, _reader(user, who)))


# What the topic page decides with about each post of a page, before its card is looked up: (id, author_id, status,
# created_at, marked helpful by the reader, bookmarked by the reader, the reader's own reactions).
_PAGE_ROW_FIELDS = ("id", "author_id", "status", "created_at")


def _kept_rows(topic: Topic, user: AnyUser, who: Reader, number: int) -> tuple[str, list, Callable[[], list]]:
    if who.is_member:  # with the member's own marks, so never shared, even between moderators
        reader, kinds = f"{_reader_key(topic, user, who)}:{user.pk}", ["forums.forum", ("forums.reads", user.pk)]
    else:
        reader, kinds = "visitor", ["forums.forum"]
    return (f"v:topic-page-posts:{topic.pk}:{reader}:{number}", kinds,
            lambda: _topic_page_rows(topic, user, who, number))


def topic_page(topic: Topic, user: AnyUser, who: Reader | None, requested: str | None) -> tuple[Page, ReadWhenShown]:
    """The `requested` page of the topic's posts (posts_on_topic_page's, POSTS_PER_PAGE a page, numbered as
    Paginator.get_page does) for the topic page, whose posts are cards ({% card %}), and the page's posts.

    Each post holds only what the page and the card's key need (its id, author, status and date, the reader's
    helpful mark, bookmark and own reactions), kept per topic, reader and page until the forums (forums.forum: a
    post, an edit, a reaction, a moderator's action) or the reader's own marks (forums.reads: their bookmarks,
    reads and watches) change; they are looked up with the count in one cache round trip, and a warm page asks the
    database nothing. The rest of a post (its text, author, editor and reactions' counts) is read, for the posts
    whose card is rendered afresh only, in one query and its reactions' prefetch (core.fragments.ReadWhenShown)."""
    who = _reader(user, who)
    try:
        wanted = int(requested) if requested is not None else 1
    except (TypeError, ValueError):
        wanted = 1
    paginator = Paginator((), POSTS_PER_PAGE)  # numbers the pages; its own list is never read
    if wanted >= 1:
        paginator.count, rows = versions.kept_together(_kept_count(topic, user, who),
                                                       _kept_rows(topic, user, who, wanted))
    else:
        paginator.count, rows = versions.kept(*_kept_count(topic, user, who)), None
    page = paginator.get_page(requested)
    if page.number != wanted:  # past the last page (Paginator shows the last one)
        rows = versions.kept(*_kept_rows(topic, user, who, page.number))
    posts = []
    for post_id, author_id, status, created_at, helpful, bookmarked, mine in rows:
        post = Post.from_db("default", _PAGE_ROW_FIELDS, (post_id, author_id, status, created_at))
        post.topic_id = topic.pk
        post.marked_helpful, post.bookmarked, post.mine = helpful, bookmarked, mine
        posts.append(post)
    return page, ReadWhenShown(posts, _read_posts_in_full)


def _topic_page_rows(topic: Topic, user: AnyUser, who: Reader, number: int) -> list[tuple]:
    """topic_page's rows: the page's post ids read first (the index on topic, date and id; OFFSET skips ids,
    not joined rows), then those posts with the reader's marks, and the reader's reactions to them."""
    start = (number - 1) * POSTS_PER_PAGE
    ids = _listed_on_topic_page(topic, user, who).order_by("created_at", "id").values("pk")[
        start:start + POSTS_PER_PAGE]
    posts = Post.objects.filter(pk__in=ids).order_by("created_at", "id")
    if not who.is_member:
        return [(*row, False, False, ()) for row in posts.values_list(*_PAGE_ROW_FIELDS)]
    posts = posts.annotate(marked_helpful=Exists(Helpful.objects.filter(post=OuterRef("pk"), user=user)),
                           bookmarked=Exists(Bookmark.objects.filter(post=OuterRef("pk"), user=user)))
    rows = list(posts.values_list(*_PAGE_ROW_FIELDS, "marked_helpful", "bookmarked"))
    mine: dict[int, set[str]] = {}
    for post_id, emoji in PostReaction.objects.filter(user=user, post_id__in=[row[0] for row in rows]).values_list(
            "post_id", "emoji"):
        mine.setdefault(post_id, set()).add(emoji)
    return [(*row, tuple(code for code in POST_REACTIONS if code in mine.get(row[0], ()))) for row in rows]


def _read_posts_in_full(posts: list[Post]) -> None:
    """Fill topic_page's posts whose cards are rendered afresh: every field but the Markdown source (the page
    shows the HTML), the author and editor, and `reaction_counts` (each reaction in order, its count, whether the
    reader gave it). A post gone since its page was kept shows as deleted."""
    read = {post.pk: post for post in Post.objects.filter(pk__in=[post.pk for post in posts]).select_related(
        "author", "edited_by").defer("body", *beside_content("author", "edited_by")).prefetch_related("reactions")}
    for post in posts:
        source = read.get(post.pk)
        if source is None:
            source = Post(id=post.pk, topic_id=post.topic_id, status=Post.Status.DELETED, created_at=post.created_at)
            source._prefetched_objects_cache = {"reactions": PostReaction.objects.none()}
        for name, value in source.__dict__.items():
            if name not in ("_state", "status", "author_id") and not name.startswith("_"):
                post.__dict__[name] = value
        post._state.fields_cache.update(source._state.fields_cache)
        counts: dict[str, int] = {}
        for reaction in source.reactions.all():
            counts[reaction.emoji] = counts.get(reaction.emoji, 0) + 1
        post.reaction_counts = [{"emoji": code, "symbol": symbol, "label": REACTION_LABELS[code],
                                 "count": counts.get(code, 0), "mine": code in post.mine}
                                for code, symbol in POST_REACTIONS.items()]


def post_page_number(post: Post, user: AnyUser, who: Reader | None = None, per_page: int = POSTS_PER_PAGE) -> int:
    before = posts_on_topic_page(post.topic, user, who).filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, id__lt=post.pk)).count()
    return before // per_page + 1


def post_for_page(pk: int) -> QuerySet[Post]:
    return Post.objects.filter(pk=pk).select_related("topic__category", "author").prefetch_related(
        "topic__category__allowed_groups")


def first_unread_post(topic: Topic, user: AnyUser, who: Reader | None = None) -> Post | None:
    read = with_unread(Topic.objects.filter(pk=topic.pk), user).values_list("read_until", flat=True).first()
    posts = posts_on_topic_page(topic, user, who)
    return posts.filter(created_at__gt=read).first() if read else posts.first()


def unread_topics(user: AnyUser, who: Reader | None = None) -> QuerySet[Topic]:
    return _for_list(topics_visible_to(user, who), user).filter(is_unread=True).order_by("-last_post_at", "-id")


def watched_topics(user: AnyUser, limit: int = 8) -> QuerySet[Topic]:
    """Topics the member watches, latest activity first, with their unread state."""
    watched = Watch.objects.filter(user=user, topic__isnull=False).values("topic_id")
    return _for_list(topics_visible_to(user).filter(pk__in=watched), user).order_by("-last_post_at", "-id")[:limit]


def active_topics(user: AnyUser, limit: int = 6) -> QuerySet[Topic]:
    return _for_list(topics_visible_to(user).filter(status=Topic.Status.PUBLISHED), user).order_by(
        "-last_post_at", "-id")[:limit]


def recent_posts_by_organisation(organisation: Organisation, user: AnyUser, limit: int = 5) -> QuerySet[Post]:
    """Recent posts by the organisation's active members, in topics the viewer may see."""
    members = Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
    return (posts_visible_to(user).filter(author__in=members.values("user"))
            .select_related("author", "topic").order_by("-created_at", "-id")[:limit])


def topic_marks(user: AnyUser, topic: Topic) -> tuple[datetime | None, bool]:
    """How far the member has read the topic, and whether they watch it: kept per member and topic until their
    read marks or watches change (forums.reads, bumped by mark_topic_read, set_watching and the automatic watch of
    a topic one writes in), so a topic page asks the cache once instead of the database twice."""
    if not user.is_authenticated:
        return None, False
    return versions.kept(*_kept_marks(user, topic.pk))


def _kept_marks(user: AnyUser, topic_pk: int) -> tuple[str, list, Callable[[], tuple[datetime | None, bool]]]:
    return (f"v:topic-marks:{user.pk}:{topic_pk}", [("forums.reads", user.pk)], lambda: (
        TopicRead.objects.filter(user=user, topic_id=topic_pk).values_list("read_until", flat=True).first(),
        Watch.objects.filter(user=user, topic_id=topic_pk, category=None).exists()))


def is_watching(user: AnyUser, *, topic: Topic | None = None, category: Category | None = None) -> bool:
    if not user.is_authenticated:
        return False
    return Watch.objects.filter(user=user, topic=topic, category=category).exists()


def readers_among(category: Category, users: QuerySet) -> QuerySet:
    """Of `users`, the active members who may read `category`, in one query (for notifications)."""
    users = users.filter(is_active=True)
    if category.visibility != Category.Visibility.RESTRICTED:
        return users
    audience = (Q(groups__in=category.allowed_groups.all())
                | Q(memberships__status=Membership.Status.ACTIVE, memberships__organisation__verified=True,
                    memberships__organisation__kind__in=category.allowed_organisation_kinds or [])
                | Q(moderated_forum_categories=category)
                | global_moderators_q())
    return User.objects.filter(pk__in=users.filter(audience).values("pk"))


def _search_filter(qs: QuerySet, query: str, field: str) -> QuerySet:
    if settings.IS_POSTGRES:
        search = SearchQuery(query, config="english", search_type="websearch")
        return qs.filter(search_vector=search).annotate(rank=SearchRank(F("search_vector"), search)).order_by(
            "-rank", "-id")
    return qs.filter(**{f"{field}__folded_contains": query}).order_by("-id")


def search_topics(user: AnyUser, query: str, who: Reader | None = None) -> QuerySet[Topic]:
    """Topics whose title matches, among those the reader may see: on PostgreSQL the stored vector in each
    topic's language (core/search.py), best first, newest among equals."""
    topics = topics_visible_to(user, who).filter(status=Topic.Status.PUBLISHED)
    return search.ranked(search.matching(topics.select_related("category", "author").defer("search_vector"),
                                         query, fallback={"A": ["title"]}), "-id")


def search_posts(user: AnyUser, query: str, who: Reader | None = None) -> QuerySet[Post]:
    """Published posts whose text matches, in topics the reader may see (full-text on PostgreSQL)."""
    return _search_filter(posts_visible_to(user, who).select_related("topic__category", "author"), query, "body")


def held_posts_for(user: AnyUser, who: Reader | None = None) -> QuerySet[Post]:
    who = _reader(user, who)
    posts = Post.objects.filter(status=Post.Status.PENDING).select_related("author", "topic__category")
    if who.is_global_moderator:
        return posts
    return posts.filter(topic__category_id__in=who.moderated_category_ids)


def post_edits(post: Post) -> QuerySet:
    return post.edits.select_related("editor")


def watched_category_ids(user: AnyUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Watch.objects.filter(user=user, category__isnull=False).values_list("category_id", flat=True))

