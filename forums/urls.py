"""Forum pages under /forums/ and the forum API under /api/forums/."""

from django.urls import path

from forums import api, views

app_name = "forums"
urlpatterns = [
    path("", views.category_list, name="categories"),
    path("search/", views.search, name="search"),
    path("unread/", views.unread, name="unread"),
    path("unread/mark-all-read/", views.mark_all_read, name="mark-all-read"),
    path("preview/", views.preview, name="preview"),
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("tags/", views.tags, name="tags"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tag-delete"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("c/<slug:slug>/new/", views.topic_create, name="topic-create"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/reply/", views.reply, name="reply"),
    path("topics/<int:pk>/unread/", views.first_unread, name="first-unread"),
    path("topics/<int:pk>/move/", views.topic_move, name="topic-move"),
    path("topics/<int:pk>/merge/", views.topic_merge, name="topic-merge"),
    path("topics/<int:pk>/split/", views.topic_split, name="topic-split"),
    path("topics/<int:pk>/tags/", views.topic_tags, name="topic-tags"),
    path("topics/<int:pk>/unaccept/", views.unaccept, name="unaccept"),
    path("topics/<int:pk>/<str:action>/", views.moderate_topic, name="topic-moderate"),
    path("watch/<str:kind>/<int:pk>/", views.watch, name="watch"),
    path("discuss/<str:kind>/<slug:slug>/", views.discuss, name="discuss"),
    path("posts/<int:pk>/", views.post_redirect, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post-delete"),
    path("posts/<int:pk>/helpful/", views.helpful, name="helpful"),
    path("posts/<int:pk>/accept/", views.accept, name="accept"),
    path("posts/<int:pk>/bookmark/", views.bookmark, name="bookmark"),
    path("posts/<int:pk>/react/", views.react, name="react"),
    path("posts/<int:pk>/report/", views.report, name="report"),
    path("posts/<int:pk>/history/", views.post_history, name="post-history"),
    path("posts/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("posts/<int:pk>/moderate/<str:action>/", views.moderate_post, name="post-moderate"),
]

api_urlpatterns = [
    path("forums/categories/", api.CategoryListView.as_view(), name="api-forum-categories"),
    path("forums/categories/<slug:slug>/topics/", api.CategoryTopicsView.as_view(), name="api-forum-topics"),
    path("forums/topics/<int:pk>/", api.TopicDetailView.as_view(), name="api-forum-topic"),
    path("forums/topics/<int:pk>/posts/", api.TopicPostsView.as_view(), name="api-forum-posts"),
    path("forums/posts/<int:pk>/report/", api.ReportPostView.as_view(), name="api-forum-report"),
    path("forums/search/", api.SearchView.as_view(), name="api-forum-search"),
]
