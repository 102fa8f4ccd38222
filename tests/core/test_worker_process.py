"""The worker as production runs it: real `manage.py db_worker` processes on the test database.

A worker killed in the middle of a job (SIGKILL: no chance to clean up) loses nothing: another worker
sees that its heartbeat stopped, runs the job again, and the mail it had sent is not sent twice.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest
from django.conf import settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import SentMail, WorkerHeartbeat
from tests.chat.servers import ROOT, database_url
from tests.core.jobs import mail_then_wait

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 60  # seconds at most for a worker to get somewhere; normally one or two


class WorkerProcess:
    def __init__(self, worker_id: str):
        env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1", "SECRET_KEY": settings.SECRET_KEY,
               "REDIS_URL": settings.REDIS_URL, "CONN_MAX_AGE": "0", "TASKS_BACKEND": "database",
               "TASKS_HEARTBEAT_SECONDS": "0.3", "TASKS_WORKER_TIMEOUT_SECONDS": "1.5",
               "EMAIL_URL": "consolemail://"}
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1", "--no-startup-delay",
             "--worker-id", worker_id], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _wait_for(condition, what: str, worker: WorkerProcess) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited before {what}:\n{worker.output()}")
        time.sleep(0.1)
    pytest.fail(f"no {what} within {WAIT} s:\n{worker.output()}")


def test_a_killed_workers_job_is_picked_up_by_another_and_sends_nothing_twice(database_tasks):
    job = mail_then_wait.enqueue(address="amina@example.org", reason="test:killed-worker", seconds=300)
    first = WorkerProcess("worker-a")
    try:
        _wait_for(lambda: SentMail.objects.filter(reason="test:killed-worker").exists(),
                  "mail sent by the first worker", first)
        first.process.kill()  # SIGKILL in the middle of the job
        first.process.wait()
        assert DBTaskResult.objects.get(pk=job.id).status == TaskResultStatus.RUNNING
    finally:
        first.stop()

    second = WorkerProcess("worker-b")
    try:
        _wait_for(lambda: DBTaskResult.objects.get(pk=job.id).status == TaskResultStatus.SUCCESSFUL,
                  "job finished by the second worker", second)
    finally:
        second.stop()
    finished = DBTaskResult.objects.get(pk=job.id)
    assert finished.worker_ids == ["worker-a", "worker-b"]
    assert finished.return_value is False  # the second run found the mail already sent
    assert SentMail.objects.filter(reason="test:killed-worker").count() == 1
    assert not WorkerHeartbeat.objects.filter(worker_id="worker-b").exists()  # a stopped worker says goodbye


@pytest.mark.postgres
def test_two_workers_share_the_queue_without_running_a_job_twice(database_tasks):
    jobs = [mail_then_wait.enqueue(address=f"member{i}@example.org", reason=f"test:shared-{i}", seconds=0.05)
            for i in range(40)]
    workers = [WorkerProcess("worker-one"), WorkerProcess("worker-two")]
    try:
        _wait_for(lambda: DBTaskResult.objects.filter(pk__in=[j.id for j in jobs],
                                                      status=TaskResultStatus.SUCCESSFUL).count() == 40,
                  "all 40 jobs done", workers[0])
    finally:
        for worker in workers:
            worker.stop()
    runs = [job.worker_ids for job in DBTaskResult.objects.filter(pk__in=[j.id for j in jobs])]
    assert all(len(ids) == 1 for ids in runs), "a job ran twice"
    assert SentMail.objects.filter(reason__startswith="test:shared-").count() == 40
