from django.urls import path

from core import api, jsi18n, views
from core.models import FOOTER_PAGES

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("jsi18n/<str:language>.js", jsi18n.javascript_catalogue, name="jsi18n"),
    path("pictures/<slug:folder>/<str:name>", views.picture, name="picture"),
    *[path(f"{slug}/", views.page, {"slug": slug}, name=f"page-{slug}") for slug in FOOTER_PAGES],
    path("pages/<slug:slug>/", views.page, name="page"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
]

api_urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="api-notification-read"),
]
