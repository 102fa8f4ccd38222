"""The site's URLs plus the anchor page, served only under bench.settings."""

from django.urls import include, path

from bench.views import anchor
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401  (the site's error pages)

urlpatterns = [
    path("bench/anchor/", anchor, name="bench-anchor"),
    path("", include("config.urls")),
]
