from django.urls import path

from accounts import api, views

app_name = "accounts"
urlpatterns = [
    path("language/", views.set_language, name="set-language"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/profile/", views.profile_edit, name="profile-edit"),
    path("people/<int:pk>/", views.profile, name="profile"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<slug:slug>/members/", views.organisation_members, name="organisation-members"),
    path("organisations/<slug:slug>/join/", views.organisation_join, name="organisation-join"),
    path("organisations/<slug:slug>/leave/", views.organisation_leave, name="organisation-leave"),
    path("organisations/<slug:slug>/members/<int:pk>/<str:action>/", views.membership_action,
         name="membership-action"),
]

api_urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("me/memberships/", api.MyMembershipsView.as_view(), name="api-my-memberships"),
    path("organisations/<slug:slug>/join/", api.JoinRequestView.as_view(), name="api-organisation-join"),
]
