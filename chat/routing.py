"""WebSocket routes, mounted by config.asgi under the origin and auth checks."""

websocket_urlpatterns: list = []
