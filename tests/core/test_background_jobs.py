"""Background jobs on the database backend, run by core's worker: what the issue promises.

- the organiser's request does not grow with the registrants and survives a mail server that refuses;
- once the server is back, every registrant gets exactly one mail, with the .ics;
- a retried job sends nothing twice; a rolled-back change enqueues nothing;
- staff retry a failed job from the admin.
"""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import Notification, SentMail
from events import services
from events.models import Event, Registration
from tests import factories
from tests.core.jobs import refusing_mail_server, run_worker
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db(transaction=True)


def _event_with_registrants(count: int):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, title=f"Roundtable for {count}")
    people = factories.UserFactory.create_batch(count)
    Registration.objects.bulk_create([Registration(event=event, user=user, status=Registration.Status.CONFIRMED,
                                                   registered_at=timezone.now()) for user in people])
    return organiser, event, people


def _cancel_by_the_page(client, organiser, event) -> int:
    client.force_login(organiser)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("events:cancel", args=[event.slug]), {"reason": "The venue flooded."})
    assert response.status_code == 302
    return len(queries)


def test_cancelling_for_300_registrants_while_the_mail_server_refuses_loses_no_mail(
        client, settings, database_tasks):
    settings.TASKS_RETRY_BACKOFF_SECONDS = 600
    refusing_mail_server(settings)
    small_organiser, small_event, _ = _event_with_registrants(3)
    organiser, event, people = _event_with_registrants(300)

    few = _cancel_by_the_page(client, small_organiser, small_event)
    many = _cancel_by_the_page(client, organiser, event)
    assert many == few, f"cancelling for 300 took {many} queries, for 3 took {few}"
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED

    # The mail server refuses: the worker creates the notifications; the mail jobs fail and wait 10 minutes.
    run_worker()
    assert Notification.objects.filter(kind="events.cancelled").count() == 303
    assert SentMail.objects.count() == 0
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.count() == 3  # 3 mails, then 300 in batches of 200
    assert all(job.exception_class_path == "builtins.ConnectionRefusedError" for job in waiting)
    assert all(job.run_after > timezone.now() + timezone.timedelta(minutes=9) for job in waiting)

    # The server is back, the back-off has passed: every registrant has exactly one mail, with the .ics.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    waiting.update(run_after=timezone.now())
    run_worker()
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    received = sorted(m.to[0] for m in mail.outbox if "Roundtable for 300" in m.subject)
    assert received == sorted(p.email for p in people)
    assert all(m.attachments[0][2] == "text/calendar" and "STATUS:CANCELLED" in str(m.attachments[0][1])
               for m in mail.outbox)


def test_a_retried_job_does_not_send_twice(settings, database_tasks):
    organiser, event, _ = _event_with_registrants(5)
    services.cancel_event(actor=organiser, event=event)
    run_worker()
    assert len(mail.outbox) == 5

    # Every job runs again, as after a crash between the mails and the job's "done".
    DBTaskResult.objects.update(status=TaskResultStatus.READY, finished_at=None)
    run_worker()
    assert len(mail.outbox) == 5
    assert Notification.objects.filter(kind="events.cancelled").count() == 5


def test_a_transient_failure_is_retried_with_back_off_then_the_job_fails_with_its_error(settings, database_tasks):
    settings.TASKS_MAX_ATTEMPTS = 3
    refusing_mail_server(settings)
    member = factories.UserFactory(email_notifications="each")
    with transaction.atomic():
        from core.services import notify
        notify(recipient=member, kind="moderation.warning", params={"reason": "Hello"})
    settings.TASKS_RETRY_BACKOFF_SECONDS = 3600
    run_worker()
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.READY and len(job.worker_ids) == 1
    assert job.run_after > timezone.now() + timezone.timedelta(minutes=59)

    settings.TASKS_RETRY_BACKOFF_SECONDS = 0
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED and len(job.worker_ids) == 3
    assert "ConnectionRefusedError" in job.traceback


def test_a_rolled_back_registration_enqueues_nothing(database_tasks):
    event = make_event()
    member = factories.UserFactory()
    DBTaskResult.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.register_for_event(user=member, event=event)
        assert DBTaskResult.objects.count() == 1  # enqueued in the registration's transaction...
        raise RuntimeError("the request failed after registering")
    assert DBTaskResult.objects.count() == 0  # ...and gone with it
    run_worker()
    assert mail.outbox == []

    services.register_for_event(user=member, event=event)
    run_worker()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].attachments[0][0].endswith(".ics")


def test_staff_retry_a_failed_job_from_the_admin(client, settings, staff, database_tasks):
    settings.TASKS_MAX_ATTEMPTS = 1
    refusing_mail_server(settings)
    organiser, event, people = _event_with_registrants(2)
    services.cancel_event(actor=organiser, event=event)
    run_worker()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)

    client.force_login(staff)
    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?status__exact=FAILED")
    assert "ConnectionRefusedError" in page.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("admin:django_tasks_database_dbtaskresult_changelist"),
                           {"action": "retry_selected", "_selected_action": [failed.pk]}, follow=True)
    assert "1 job is queued again." in response.content.decode()
    run_worker()
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.SUCCESSFUL
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_only_staff_see_the_jobs(client, member):
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 302


def test_allauths_mails_leave_the_request_and_go_out_once(client, database_tasks):
    response = client.post(reverse("account_signup"), {
        "email": "nadia@example.org", "full_name": "Nadia Karimi", "job_title": "Caseworker",
        "timezone": "Europe/Berlin", "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"})
    assert response.status_code == 302
    assert mail.outbox == []  # the request only enqueued it
    job = DBTaskResult.objects.get()
    assert job.task_path == "core.tasks.send_mail"
    run_worker()
    DBTaskResult.objects.update(status=TaskResultStatus.READY)  # as if retried
    run_worker()
    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
