from django.urls import path  # noqa: F401

app_name = "chat"
urlpatterns: list = []
api_urlpatterns: list = []
