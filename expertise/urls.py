"""The expertise exchange's pages under /expertise/ and its API under /api/expertise/."""

from django.urls import path

from expertise import api, views

app_name = "expertise"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("follows/", views.follows, name="follows"),
    path("documents/<str:token>/", views.attachment_download, name="attachment"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="offer-accept"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer-decline"),
    path("offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("<slug:slug>/", views.request_detail, name="request"),
    path("<slug:slug>/edit/", views.request_edit, name="edit"),
    path("<slug:slug>/publish/", views.request_publish, name="publish"),
    path("<slug:slug>/status/", views.request_status, name="status"),
    path("<slug:slug>/hide/", views.request_hide, name="hide"),
    path("<slug:slug>/invite/", views.request_invite, name="invite"),
    path("<slug:slug>/offer/", views.offer_create, name="offer"),
    path("<slug:slug>/complete/", views.request_complete, name="complete"),
    path("<slug:slug>/practice/", views.request_practice, name="practice"),
    path("<slug:slug>/attachments/", views.attachment_add, name="attachment-add"),
]

api_urlpatterns = api.urlpatterns
