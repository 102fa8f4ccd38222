"""The site's URLs plus one view that fails, for the error-page tests."""

from django.http import HttpRequest
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def fail(request: HttpRequest):
    raise RuntimeError("the database caught fire")


urlpatterns = [path("fail/", fail), *site_urlpatterns]
