"""The platform's URLs: each app's pages under its own prefix, the API under /api/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.urls import api_urlpatterns as accounts_api
from chat.urls import api_urlpatterns as chat_api
from core.routing import RememberingResolver
from core.urls import api_urlpatterns as core_api
from directory.urls import api_urlpatterns as directory_api
from events.urls import api_urlpatterns as events_api
from expertise.urls import api_urlpatterns as expertise_api
from forums.urls import api_urlpatterns as forums_api
from moderation.urls import old_urlpatterns as old_moderation_urls

api_urlpatterns = [*core_api, *accounts_api, *directory_api, *events_api, *forums_api, *chat_api,
                   *expertise_api]

# Resolved once per path (core/routing.py): a path deep in the list otherwise walks every include before it.
urlpatterns = [RememberingResolver([
    path("", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("directory.urls")),
    path("events/", include("events.urls")),
    path("moderation/", include("moderation.urls")),
    path("forums/moderation/", include(old_moderation_urls)),
    path("forums/", include("forums.urls")),
    path("messages/", include("chat.urls")),
    path("expertise/", include("expertise.urls")),
    path("api/", include(api_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's init script as a file, so the site's CSP (no inline script) lets it run.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/api_docs.html"),
         name="api-docs"),
    path("admin/", admin.site.urls),
])]


# JSON in the API's error shape on /api/ routes, the site's own pages elsewhere.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
