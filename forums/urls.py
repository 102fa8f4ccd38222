from django.urls import path  # noqa: F401

app_name = "forums"
urlpatterns: list = []
api_urlpatterns: list = []
