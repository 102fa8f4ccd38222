"""ASGI entry point: HTTP goes to Django, /ws/ to the Channels consumers.

In production only WebSocket traffic reaches this (uvicorn workers behind nginx);
`make run` serves both from here.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs the apps loaded)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from accounts.middleware import ChannelsLanguageMiddleware  # noqa: E402
from chat.routing import websocket_urlpatterns  # noqa: E402
from config.warm import warm  # noqa: E402

# Load the URL configuration now, not when the first chat message is serialised (its sender's profile link):
# importing every app's URLs, views and forms took a second or more of the worker's only event loop under load,
# and every socket's first live message waited for it.
warm()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(ChannelsLanguageMiddleware(URLRouter(websocket_urlpatterns)))),
    }
)
