"""Forum API: categories, topics and posts readable under the same permissions as the pages;
starting topics, replying and reporting through the same services."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from core.languages import LANGUAGE_CHOICES
from forums import permissions, selectors, services
from forums.models import Category, Post, Topic
from forums.permissions import Reader
from moderation.services import file_report


class ReaderMixin:
    def reader(self) -> Reader:
        if not hasattr(self, "_reader"):
            self._reader = Reader.of(self.request.user)
        return self._reader


class CategorySerializer(serializers.ModelSerializer):
    policy_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    visibility = serializers.CharField(read_only=True, help_text="Who reads: public, members or restricted.")
    topic_count = serializers.IntegerField(read_only=True)
    post_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "description", "policy_area", "visibility", "topic_count", "post_count"]


class CategoryListView(ReaderMixin, generics.ListAPIView):
    """The categories the caller may read, with their topic and post counts."""

    serializer_class = CategorySerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = None

    def get_queryset(self):
        return selectors.category_index(self.request.user, self.reader(), latest=False)  # not in its answer


class TopicSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.CharField(source="author.full_name", default=None, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "title", "language", "category", "author", "status", "is_pinned", "is_locked",
                  "created_at", "last_post_at", "reply_count", "url"]


class TopicCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.TITLE_MAX)
    body = serializers.CharField(max_length=services.BODY_MAX)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False,
                                       help_text="What the topic is written in; the author's language if left out.")


class CategoryTopicsView(ReaderMixin, generics.ListAPIView):
    """A category's topics, pinned first then by latest activity; POST starts a topic."""

    serializer_class = TopicSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    def category(self) -> Category:
        category = selectors.category_for_page(self.kwargs["slug"]).first()
        if category is None or not self.reader().can_read(category):
            raise Http404(_("No such category."))
        return category

    def get_queryset(self):
        return selectors.topics_in_category(self.category(), self.request.user, self.reader())

    @extend_schema(request=TopicCreateSerializer, responses={201: TopicSerializer})
    def post(self, request, slug: str) -> Response:
        category = self.category()
        serializer = TopicCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        topic = services.start_topic(author=request.user, category=category, **serializer.validated_data)
        return Response(TopicSerializer(topic).data, status=status.HTTP_201_CREATED)


class TopicMixin(ReaderMixin):
    def topic(self) -> Topic:
        topic = selectors.topic_for_page(self.kwargs["pk"]).first()
        if topic is None or not permissions.can_see_topic(self.reader(), topic):
            raise Http404(_("No such topic."))
        return topic


class TopicDetailView(TopicMixin, generics.RetrieveAPIView):
    """One topic."""

    serializer_class = TopicSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_object(self) -> Topic:
        return self.topic()


class ReferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    meta = serializers.CharField()


class PostSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", default=None, read_only=True)
    body_html = serializers.SerializerMethodField(help_text="Null when the post is hidden or deleted for you.")
    references = ReferenceSerializer(many=True, read_only=True)
    edited = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "topic", "author", "status", "body_html", "references", "created_at", "edited",
                  "helpful_count"]

    def get_body_html(self, post: Post) -> str | None:
        return post.body_html if permissions.can_see_post_body(self.context["who"], post) else None

    def get_edited(self, post: Post) -> bool:
        return post.edited_at is not None


class PostCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=services.BODY_MAX)


class TopicPostsView(TopicMixin, generics.ListAPIView):
    """A topic's posts in order (hidden and deleted ones without their text); POST replies."""

    serializer_class = PostSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "who": self.reader()}

    def get_queryset(self):
        return selectors.posts_on_topic_page(self.topic(), self.request.user, self.reader()).select_related(
            "topic__category")

    @extend_schema(request=PostCreateSerializer, responses={201: PostSerializer})
    def post(self, request, pk: int) -> Response:
        topic = self.topic()
        serializer = PostCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = services.reply_to_topic(author=request.user, topic=topic, body=serializer.validated_data["body"])
        return Response(PostSerializer(post, context={"who": self.reader()}).data, status=status.HTTP_201_CREATED)


class ReportSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ReportCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class ReportPostView(ReaderMixin, APIView):
    """Report a post to the moderators, with a reason; you are told the outcome."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReportSerializer, responses={201: ReportCreatedSerializer})
    def post(self, request, pk: int) -> Response:
        post = selectors.post_for_page(pk).first()
        if post is None or not permissions.can_see_topic(self.reader(), post.topic):
            raise Http404(_("No such post."))
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = file_report(reporter=request.user, target=post, reason=serializer.validated_data["reason"])
        return Response({"id": report.pk, "status": report.status}, status=status.HTTP_201_CREATED)


class SearchPostSerializer(serializers.ModelSerializer):
    topic_title = serializers.CharField(source="topic.title")
    url = serializers.CharField(source="get_absolute_url")
    author = serializers.CharField(source="author.full_name", default=None)

    class Meta:
        model = Post
        fields = ["id", "topic", "topic_title", "author", "body_html", "created_at", "url"]


class SearchResultsSerializer(serializers.Serializer):
    topics = TopicSerializer(many=True)
    posts = SearchPostSerializer(many=True)


class SearchView(ReaderMixin, APIView):
    """Search topic titles and post texts among what the caller may read (20 of each at most)."""

    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(parameters=[OpenApiParameter("q", str, description="Words to look for.")],
                   responses={200: SearchResultsSerializer})
    def get(self, request) -> Response:
        query = request.query_params.get("q", "").strip()[:200]
        if not query:
            raise ValidationError({"q": [_("Enter words to search for.")]})
        who = self.reader()
        topics = selectors.search_topics(request.user, query, who)[:20]
        posts = selectors.search_posts(request.user, query, who)[:20]
        return Response({"topics": TopicSerializer(topics, many=True).data,
                         "posts": SearchPostSerializer(posts, many=True).data})
