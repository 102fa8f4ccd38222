"""Event pages under /events/ and the events API under /api/events/."""

from django.urls import path

from events import api, views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("feed.ics", views.public_feed, name="feed"),
    path("feed/<str:token>.ics", views.personal_feed, name="personal-feed"),
    path("feed-token/", views.feed_token, name="feed-token"),
    path("new/", views.event_create, name="create"),
    path("certificates/<str:code>/", views.verify_certificate, name="verify-certificate"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel-registration/", views.cancel_registration, name="cancel-registration"),
    path("<slug:slug>/contact/", views.contact_organisers, name="contact"),
    path("<slug:slug>/documents/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/publish/", views.event_publish, name="publish"),
    path("<slug:slug>/cancel/", views.event_cancel, name="cancel"),
    path("<slug:slug>/programme/", views.programme, name="programme"),
    path("<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("<slug:slug>/registrations.csv", views.registrations_csv, name="registrations-csv"),
    path("<slug:slug>/registrations/<int:pk>/<str:action>/", views.registration_action,
         name="registration-action"),
    path("<slug:slug>/message/", views.message_registrants, name="message"),
    path("<slug:slug>/registrations.xlsx", views.registrations_xlsx, name="registrations-xlsx"),
    path("<slug:slug>/answers/", views.edit_answers, name="answers"),
    path("<slug:slug>/questions/", views.questions, name="questions"),
    path("<slug:slug>/questions/<int:pk>/", views.question_edit, name="question-edit"),
    path("<slug:slug>/ticket/", views.ticket, name="ticket"),
    path("<slug:slug>/check-in/", views.check_in_desk, name="check-in-desk"),
    path("<slug:slug>/check-in/<str:code>/", views.check_in_by_ticket, name="check-in"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/certificate.pdf", views.certificate, name="certificate"),
    path("<slug:slug>/feedback/", views.feedback, name="feedback"),
    path("<slug:slug>/feedback/results/", views.feedback_results, name="feedback-results"),
    path("<slug:slug>/sessions/<int:pk>.ics", views.session_ics, name="session-ics"),
    path("<slug:slug>/sessions/<int:pk>/plan/", views.session_plan, name="session-plan"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
]

api_urlpatterns = [
    path("events/", api.EventListView.as_view(), name="api-events"),
    path("events/<slug:slug>/", api.EventDetailView.as_view(), name="api-event"),
    path("events/<slug:slug>/registration/", api.MyRegistrationView.as_view(), name="api-event-registration"),
    path("events/<slug:slug>/registrations/", api.EventRegistrationsView.as_view(),
         name="api-event-registrations"),
]
