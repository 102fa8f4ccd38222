"""Run background jobs: django-tasks-db's worker, with retries, a heartbeat and recovery of lost jobs.

It replaces the package's own `db_worker` command (core comes first in INSTALLED_APPS) and takes the same
options. On top of it:
- a transient failure (`core.tasks.is_transient`) puts the job back in the queue with a back-off
  (`core.tasks.retry_delay`) until TASKS_MAX_ATTEMPTS runs; then it is marked failed with its error;
- every TASKS_HEARTBEAT_SECONDS the worker records that it is alive (WorkerHeartbeat), and puts back in the
  queue any running job whose worker has not beaten for TASKS_WORKER_TIMEOUT_SECONDS (killed, its machine
  gone), so another worker runs it; tasks are idempotent, so nothing is sent twice.
PostgreSQL hands each job to one worker (SELECT ... FOR UPDATE SKIP LOCKED); run as many as needed.
"""

import logging
import os
import socket
import threading
from traceback import format_exception

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from core.models import WorkerHeartbeat
from core.tasks import is_transient, retry_delay

logger = logging.getLogger("django_tasks_db")


def requeue_abandoned_jobs(*, now=None) -> int:
    """Put back in the queue every running job whose worker stopped beating; returns how many."""
    now = now or timezone.now()
    timeout = timezone.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - timeout).values_list("worker_id", flat=True))
    suspects = [job.pk for job in DBTaskResult.objects.running().filter(started_at__lt=now - timeout)
                .only("id", "worker_ids") if not job.worker_ids or job.worker_ids[-1] not in alive]
    requeued = 0
    for pk in suspects:
        with transaction.atomic():
            job = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).select_for_update(
                skip_locked=True).first()
            if job is None:
                continue
            lost = job.worker_ids[-1] if job.worker_ids else "?"
            job.exception_class_path = "core.tasks.WorkerLost"
            job.traceback = f"Worker {lost} stopped responding while running this job (run {len(job.worker_ids)})."
            if len(job.worker_ids) >= settings.TASKS_MAX_ATTEMPTS:
                job.status, job.finished_at = TaskResultStatus.FAILED, now
            else:
                job.status, job.run_after = TaskResultStatus.READY, now
                requeued += 1
            job.save(update_fields=["status", "finished_at", "run_after", "exception_class_path", "traceback"])
            logger.warning("Job %s of lost worker %s: %s", job.pk, lost, job.status)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - 10 * timeout).delete()
    return requeued


class Worker(db_worker.Worker):
    """The package's worker, plus the heartbeat thread and retries (see the module's docstring)."""

    def run(self) -> None:
        stop = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(stop,), name="heartbeat", daemon=True)
        self._beat_once()
        beat.start()
        try:
            super().run()
        finally:
            stop.set()
            beat.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _beat_once(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": timezone.now(), "hostname": socket.gethostname()[:255], "pid": os.getpid()})

    def _heartbeat(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(settings.TASKS_HEARTBEAT_SECONDS):
                try:
                    self._beat_once()
                    requeue_abandoned_jobs()
                except Exception:
                    logger.exception("Heartbeat of worker %s failed; trying again", self.worker_id)
        finally:
            connection.close()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                return_value = task.call(TaskContext(task_result=task_result), *task_result.args,
                                         **task_result.kwargs)
            else:
                return_value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(return_value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (SystemExit, KeyboardInterrupt):
            # Stopped by force mid-job (a second Ctrl-C or SIGTERM): the job goes back, not to "failed".
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(status=TaskResultStatus.READY,
                                                                     run_after=timezone.now())
            raise
        except BaseException as error:
            close_old_connections()
            if isinstance(error, Exception) and is_transient(error) \
                    and len(db_task_result.worker_ids) < settings.TASKS_MAX_ATTEMPTS:
                self._retry_later(db_task_result, error)
            else:
                db_task_result.set_failed(error)
                logger.error("Job %s (%s) failed: %r", db_task_result.pk, db_task_result.task_path, error)
        finally:
            self.running_task = False
            self._run_tasks += 1

    @staticmethod
    def _retry_later(job: DBTaskResult, error: Exception) -> None:
        """Back in the queue after the back-off, the error kept for the admin; the runs so far stay counted."""
        attempt = len(job.worker_ids)
        job.status = TaskResultStatus.READY
        job.run_after = timezone.now() + retry_delay(attempt)
        job.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
        job.traceback = "".join(format_exception(error))
        job.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
        logger.warning("Job %s (%s) run %d failed (%r); retrying at %s", job.pk, job.task_path, attempt, error,
                       job.run_after)


class Command(db_worker.Command):
    help = "Run background jobs (django-tasks-db's worker with retries, heartbeat and recovery of lost jobs)"

    def handle(self, *, verbosity: int, queue_name: str, interval: float, batch: bool, backend_name: str,
               startup_delay: bool, reload: bool, max_tasks: int | None, worker_id: str, exclude_queues: str,
               **options) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        excluded = exclude_queues.split(",") if exclude_queues else []
        worker = Worker(queue_names=queue_name.split(","), interval=interval, batch=batch,
                        backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
                        worker_id=worker_id, excluded_queue_names=excluded)
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
