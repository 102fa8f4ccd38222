"""WebSocket routes, mounted by config.asgi under the origin and auth checks."""

from django.urls import path

from chat import consumers

websocket_urlpatterns = [
    path("ws/chat/", consumers.ChatConsumer.as_asgi()),
    path("ws/chat/<int:conversation_id>/", consumers.ConversationConsumer.as_asgi()),
]
