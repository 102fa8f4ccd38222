from django.urls import path

from directory import api, views

app_name = "directory"
urlpatterns = [
    path("directory/", views.organisation_list, name="organisations"),
    path("directory/export.csv", views.organisation_export, name="organisations-csv"),
    path("directory/peers/", views.peers, name="peers"),
    path("directory/import/", views.import_start, name="import"),
    path("directory/import/<int:pk>/", views.import_job, name="import-job"),
    path("directory/import/<int:pk>/run/", views.import_run, name="import-run"),
    path("directory/import/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("people/", views.people, name="people"),
    path("people/export.csv", views.people_export, name="people-csv"),
    path("practices/", views.practice_list, name="practices"),
    path("practices/export.csv", views.practice_export, name="practices-csv"),
    path("practices/new/", views.practice_create, name="practice-create"),
    path("practices/mine/", views.my_practices, name="my-practices"),
    path("practices/review/", views.review_queue, name="review-queue"),
    path("practices/<slug:slug>/", views.practice_detail, name="practice"),
    path("practices/<slug:slug>/edit/", views.practice_edit, name="practice-edit"),
    path("practices/<slug:slug>/translate/", views.practice_translate, name="practice-translate"),
    path("practices/<slug:slug>/submit/", views.practice_submit, name="practice-submit"),
    path("practices/<slug:slug>/publish/", views.practice_publish, name="practice-publish"),
    path("practices/<slug:slug>/return/", views.practice_return, name="practice-return"),
    path("practices/<slug:slug>/history/", views.practice_history, name="practice-history"),
    path("practices/<slug:slug>/history/<int:number>/", views.practice_revision, name="practice-revision"),
    path("practices/<slug:slug>/replications/", views.replication_add, name="replication-add"),
    path("practices/<slug:slug>/replications/<int:pk>/remove/", views.replication_remove,
         name="replication-remove"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/export.csv", views.resource_export, name="resources-csv"),
    path("resources/new/", views.resource_create, name="resource-create"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource"),
    path("resources/<slug:slug>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/<slug:slug>/translate/", views.resource_translate, name="resource-translate"),
    path("resources/<slug:slug>/delete/", views.resource_delete, name="resource-delete"),
    path("resources/<slug:slug>/file/", views.resource_file, name="resource-file"),
    path("search/", views.search, name="search"),
]

api_urlpatterns = [
    path("organisations/", api.OrganisationListView.as_view(), name="api-organisations"),
    path("organisations/<slug:slug>/", api.OrganisationDetailView.as_view(), name="api-organisation"),
    path("practices/", api.PracticeListCreateView.as_view(), name="api-practices"),
    path("practices/<slug:slug>/", api.PracticeDetailView.as_view(), name="api-practice"),
    path("practices/<slug:slug>/submit/", api.PracticeSubmitView.as_view(), name="api-practice-submit"),
    path("practices/<slug:slug>/publish/", api.PracticePublishView.as_view(), name="api-practice-publish"),
    path("practices/<slug:slug>/return/", api.PracticeReturnView.as_view(), name="api-practice-return"),
    path("resources/", api.ResourceListView.as_view(), name="api-resources"),
    path("resources/<slug:slug>/", api.ResourceDetailView.as_view(), name="api-resource"),
]
