"""Forum data: categories with their access rules, topics, posts and their history, read state,
watches and reactions. Reports and the moderation log belong to the moderation app."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.labels import ChoiceLabels
from core.languages import content_language_choices


class Category(ChoiceLabels, models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone, signed in or not, can read")
        MEMBERS = "members", _("Members only: any signed-in member can read")
        RESTRICTED = "restricted", _("Restricted: only the chosen groups and organisation kinds can read")

    class Access(models.TextChoices):
        READERS = "readers", _("Every member who can read the category")
        RESTRICTED = "restricted", _("Only members of the chosen groups and organisation kinds")
        MODERATORS = "moderators", _("Only moderators")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    policy_area = models.ForeignKey("core.PolicyArea", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="forum_categories", verbose_name=_("policy area"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    visibility = models.CharField(_("who reads"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    start_topics = models.CharField(_("who starts topics"), max_length=20, choices=Access.choices,
                                    default=Access.READERS)
    reply = models.CharField(_("who replies"), max_length=20, choices=Access.choices, default=Access.READERS)
    allowed_groups = models.ManyToManyField(Group, blank=True, related_name="+", verbose_name=_("allowed groups"),
                                            help_text=_("For restricted reading or posting: these groups."))
    allowed_organisation_kinds = models.JSONField(
        _("allowed organisation kinds"), default=list, blank=True,
        help_text=_("For restricted reading or posting: active members of verified organisations of these kinds."))
    moderators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                        related_name="moderated_forum_categories", verbose_name=_("moderators"),
                                        help_text=_("Moderators of this category only; global moderators "
                                                    "moderate every category."))
    hold_first_posts = models.BooleanField(
        _("hold new members' first post for approval"), default=False,
        help_text=_("A new member's first post here waits for a moderator before others see it."))
    allow_attachments = models.BooleanField(_("allow attachments"), default=False)
    question_style = models.BooleanField(
        _("questions"), default=False,
        help_text=_("Topics are questions: the starter or a moderator may mark one reply as the accepted answer."))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:category", args=[self.slug])


class Topic(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("topic status", "Published")
        PENDING = "pending", pgettext_lazy("topic status", "Held for approval")
        DELETED = "deleted", pgettext_lazy("topic status", "Deleted")

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics",
                                 verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("written in"), max_length=5, choices=content_language_choices, default="en",
                                help_text=_("The language the topic is written in."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="forum_topics", verbose_name=_("author"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last post"), db_index=True)
    last_poster = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("last poster"))
    reply_count = models.PositiveIntegerField(_("replies"), default=0,
                                              help_text=_("Published posts after the first."))
    # What the topic discusses when it belongs to something else: an event, a practice.
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("kind of subject"))
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # The title (A), stemmed in the topic's language; PostgreSQL only, kept current by a trigger
    # (core/search.py, forums/migrations/0008).
    search_vector = SearchVectorField(null=True, editable=False)
    accepted_answer = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                        verbose_name=_("accepted answer"),
                                        help_text=_("In a question category: the reply that answers the question."))
    tags = models.ManyToManyField("Tag", blank=True, related_name="topics", verbose_name=_("tags"))

    class Meta:
        ordering = ["-is_pinned", "-last_post_at", "-id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [models.Index(fields=["category", "status", "-last_post_at"], name="topic_category_latest")]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id"], name="topic_one_per_subject",
                                    condition=Q(subject_type__isnull=False)),
            models.CheckConstraint(condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                                   | Q(subject_type__isnull=False, subject_id__isnull=False),
                                   name="topic_subject_complete"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:topic", args=[self.pk])


class Post(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("post status", "Published")
        PENDING = "pending", pgettext_lazy("post status", "Held for approval")
        HIDDEN = "hidden", pgettext_lazy("post status", "Hidden by a moderator")
        DELETED = "deleted", pgettext_lazy("post status", "Deleted")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts", verbose_name=_("topic"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="forum_posts", verbose_name=_("author"))
    body = models.TextField(_("text"), max_length=20000, help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    references = models.JSONField(default=list, blank=True, editable=False,
                                  help_text="Rich references to linked organisations, events and practices, "
                                            "resolved when the post was saved.")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    status_reason = models.CharField(_("reason for the status"), max_length=500, blank=True,
                                     help_text=_("Why a moderator hid it."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("edited by"))
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    helpful_count = models.PositiveIntegerField(_("found helpful"), default=0)
    attachment = models.FileField(_("attachment"), upload_to="forums/%Y/%m/", blank=True, max_length=300)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["topic", "created_at", "id"], name="post_topic_order"),
                   models.Index(fields=["author", "status"], name="post_author_status")]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("forums:post", args=[self.pk])


class PostEdit(models.Model):
    """One edit of a post: who, when, the text before and after (the diff is shown to moderators)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    edited_at = models.DateTimeField(auto_now_add=True)
    body_before = models.TextField()
    body_after = models.TextField()
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"Edit of post {self.post_id} at {self.edited_at:%Y-%m-%d %H:%M}"


class Helpful(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="helpful_once")]

    def __str__(self) -> str:
        return f"Helpful: post {self.post_id} by {self.user_id}"


class TopicRead(models.Model):
    """How far a member has read a topic: every post created up to `read_until` is read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reads")
    read_until = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read topic {self.topic_id} until {self.read_until:%Y-%m-%d %H:%M}"


class ReadMarker(models.Model):
    """"Mark all read": every topic whose last post is older than `all_read_until` counts as read."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    all_read_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} read everything until {self.all_read_until:%Y-%m-%d %H:%M}"


class Watch(models.Model):
    """A member watching a topic (told of every reply) or a category (told of every new topic)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_watches")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="watches")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(topic__isnull=False, category__isnull=True)
                                   | Q(topic__isnull=True, category__isnull=False), name="watch_one_target"),
            models.UniqueConstraint(fields=["user", "topic"], name="watch_topic_once",
                                    condition=Q(topic__isnull=False)),
            models.UniqueConstraint(fields=["user", "category"], name="watch_category_once",
                                    condition=Q(category__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.topic or self.category}"


class Tag(models.Model):
    """A label moderators define and topic starters pick; the topic list can be filtered by it."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Bookmark(models.Model):
    """A post a member keeps for later; their bookmarks page lists them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_bookmarks")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="bookmark_once")]

    def __str__(self) -> str:
        return f"{self.user_id} bookmarked post {self.post_id}"


# The few reactions a post takes besides "helpful": a code (in URLs and forms) and the emoji shown.
POST_REACTIONS = {"thumbs-up": "👍", "heart": "❤️", "insightful": "💡", "thanks": "🙏", "party": "🎉"}
# What a screen reader says for each (the emoji itself is hidden from it).
REACTION_LABELS = {"thumbs-up": pgettext_lazy("reaction", "thumbs up"), "heart": pgettext_lazy("reaction", "heart"),
                   "insightful": pgettext_lazy("reaction", "insightful"), "thanks": pgettext_lazy("reaction", "thanks"),
                   "party": pgettext_lazy("reaction", "party")}


class PostReaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=20, choices=[(code, code) for code in POST_REACTIONS])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "emoji"], name="post_reaction_once")]

    def __str__(self) -> str:
        return f"{self.emoji} by {self.user_id} on post {self.post_id}"
