"""Work outside the request, on Django's tasks framework (the django-tasks backport; database backend).

How an app runs something in the background (README, "Background work"):

    from core.tasks import enqueue
    from events.tasks import tell_registrants

    @transaction.atomic
    def cancel_event(...):
        ...
        enqueue(tell_registrants, event_id=event.pk, ...)

- `enqueue` ties the job to the transaction it is called in: with the database backend the job row is
  written in that transaction (a rollback takes it away, a commit keeps it); with any other backend the
  job is enqueued on commit. Either way: no job for a rolled-back change, no lost job for a committed one.
- Arguments are JSON: pass ids and strings, never model instances; the task loads fresh rows.
- A task is idempotent: it may run again (a retry, a worker killed mid-job). Mails go through
  `core.emails.deliver` with a reason, which sends each at most once per address and reason;
  notifications carry a `source`, created at most once per recipient.
- A transient failure (`RetryLater`, or any of `TRANSIENT_ERRORS` escaping the task) makes the worker
  (`manage.py db_worker`, core's) run the job again after a back-off, up to TASKS_MAX_ATTEMPTS runs; then
  the job is marked failed with its error, which staff see and can retry in the admin.
"""

import logging
import smtplib
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from core import emails
from core.recipients import speaking_to

logger = logging.getLogger(__name__)

__all__ = ["TRANSIENT_ERRORS", "RetryLater", "enqueue", "task"]


class RetryLater(Exception):
    """Raised by a task for a failure that may pass (a service down): the worker runs the job again later."""


class WorkerLost(Exception):
    """Recorded on a job whose worker stopped beating while running it (killed, machine lost); it runs again."""


# Errors that say "try again later" rather than "this job is wrong": the mail server refusing or timing
# out, the network, a locked or restarting database.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    RetryLater, smtplib.SMTPException, ConnectionError, TimeoutError, OperationalError,
)


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT_ERRORS) and not isinstance(error, smtplib.SMTPRecipientsRefused)


def retry_delay(attempt: int) -> timedelta:
    """The wait before run `attempt + 1`: the back-off doubles from TASKS_RETRY_BACKOFF_SECONDS, capped."""
    seconds = settings.TASKS_RETRY_BACKOFF_SECONDS * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(seconds, settings.TASKS_RETRY_BACKOFF_MAX_SECONDS))


def batched(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _after_commit(callback) -> None:
    """Run `callback` when the current transaction commits (at once outside one); the tests replace it."""
    transaction.on_commit(callback)


def enqueue(task_: Task, *args, **kwargs) -> None:
    """Enqueue `task_` as part of the current transaction (see the module's docstring)."""
    if isinstance(task_.get_backend(), DatabaseBackend):
        task_.enqueue(*args, **kwargs)  # the job row commits or rolls back with the change it reports
    else:
        _after_commit(lambda: task_.enqueue(*args, **kwargs))


def enqueue_in_batches(task_: Task, ids: Iterable[int], *, argument: str, **kwargs) -> int:
    """Split `ids` into jobs of TASKS_FANOUT_BATCH, each passed as `argument`; returns the number of jobs."""
    jobs = 0
    for chunk in batched(ids, settings.TASKS_FANOUT_BATCH):
        enqueue(task_, **{argument: chunk}, **kwargs)
        jobs += 1
    return jobs


# --- Mail tasks ------------------------------------------------------------------------------------

@task()
def send_mail(*, reason: str, to: str, subject: str, body: str, html: str = "", from_email: str = "",
              headers: dict | None = None) -> bool:
    """Send one already-rendered mail (allauth's, for example) at most once for `reason`."""
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(subject=subject, body=body, to=[to], from_email=from_email or None,
                                     headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    return emails.deliver(reason=reason, message=message)


@task()
def email_notifications(*, notification_ids: list[int]) -> int:
    """Mail each of these notifications to its recipient (those who want each by e-mail); returns how many."""
    from core.models import Notification

    notifications = list(Notification.objects.filter(pk__in=notification_ids, recipient__is_active=True,
                                                     recipient__email_notifications="each")
                         .select_related("recipient").order_by("pk"))
    sent = 0
    with emails.mail_connection() as connection:
        for notification in notifications:
            recipient = notification.recipient
            with speaking_to(recipient):
                message = emails.render_mail(to=recipient.email, subject=notification.shown_title,
                                             template="emails/notification.txt",
                                             context={"recipient": recipient, "notification": notification})
            if emails.deliver(reason=f"notification:{notification.pk}", message=message, connection=connection):
                sent += 1
            if notification.emailed_at is None:
                Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return sent


@task()
def send_notification_digests() -> int:
    """The daily digest to members who chose one (scheduled: see core.services.send_notification_digests)."""
    from core import services

    return services.send_notification_digests()


def notify_in_batches(*, recipient_ids: Iterable[int], source: str, kind: str, params: dict | None = None,
                      url: str = "", actor_id: int | None = None, email: bool = True) -> int:
    """Fan-out inside a task: notifications for many members, TASKS_FANOUT_BATCH at a time, each once per
    `source`; their mails go out as separate jobs of the same size. Returns how many were created."""
    from core import services

    created = 0
    for chunk in batched(recipient_ids, settings.TASKS_FANOUT_BATCH):
        created += services.notify_ids(recipient_ids=chunk, source=source, kind=kind, params=params,
                                       url=url, actor_id=actor_id, email=email)
    return created
