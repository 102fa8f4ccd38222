"""Chat pages under /messages/ and the chat API under /api/chat/."""

from django.urls import path

from chat import api, views

app_name = "chat"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.group_create, name="group-create"),
    path("blocked/", views.blocked, name="blocked"),
    path("search/", views.search, name="search"),
    path("with/<int:user_id>/", views.direct, name="direct"),
    path("block/<int:user_id>/", views.block, name="block"),
    path("unblock/<int:user_id>/", views.unblock, name="unblock"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/mute/", views.mute, name="mute"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/files/<int:attachment_id>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<int:pk>/messages/<int:message_id>/react/", views.react, name="react"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/<int:user_id>/<str:action>/", views.member_action, name="member-action"),
    path("<int:pk>/messages/<int:message_id>/edit/", views.message_edit, name="message-edit"),
    path("<int:pk>/messages/<int:message_id>/delete/", views.message_delete, name="message-delete"),
    path("<int:pk>/messages/<int:message_id>/report/", views.message_report, name="message-report"),
]

api_urlpatterns = [
    path("chat/conversations/", api.ConversationListView.as_view(), name="api-chat-conversations"),
    path("chat/conversations/direct/", api.DirectConversationView.as_view(), name="api-chat-direct"),
    path("chat/conversations/<int:pk>/messages/", api.MessagesView.as_view(), name="api-chat-messages"),
    path("chat/conversations/<int:pk>/read/", api.ReadView.as_view(), name="api-chat-read"),
]
