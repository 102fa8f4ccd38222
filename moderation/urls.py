"""Moderation pages under /moderation/ (and their old addresses under /forums/moderation/)."""

from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("reports/<int:pk>/", views.report_resolve, name="report-resolve"),
    path("log/", views.log, name="log"),
    path("members/<int:pk>/", views.member, name="member"),
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
]

# Included under /forums/moderation/ without a namespace: where the pages used to be.
old_urlpatterns = [
    path("", views.old_address, name="old-queue"),
    path("reports/<int:pk>/", views.old_address, name="old-report-resolve"),
    path("log/", views.old_address, name="old-log"),
    path("members/<int:pk>/", views.old_address, name="old-member"),
]
