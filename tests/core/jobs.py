"""Helpers for the background-job tests: run core's worker in-process, a mail server that refuses, test tasks."""

import socket
import time

from django.core.mail import EmailMessage
from django_tasks import task

from core.emails import deliver
from core.management.commands.db_worker import Worker


def run_worker(*, max_tasks: int | None = None, worker_id: str = "test-worker") -> None:
    """Core's worker in this process until the queue is empty (or `max_tasks` jobs ran)."""
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=[]).run()


def refusing_mail_server(settings) -> int:
    """Point SMTP at a loopback port where nothing listens: every connection is refused. Returns the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return port


@task()
def mail_then_wait(*, address: str, reason: str, seconds: float) -> bool:
    """Send one mail (at most once for `reason`); the run that sent it then takes `seconds`, long enough to
    kill its worker in the middle of the job."""
    sent = deliver(reason=reason, message=EmailMessage(subject="Hello", body="Hello", to=[address]))
    if sent:
        time.sleep(seconds)
    return sent
