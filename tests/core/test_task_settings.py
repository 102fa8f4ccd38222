"""The queue is a setting: the database backend by default, RQ (Redis) for larger sites (platform/SCALING.md)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

SHOW_BACKEND = (
    "from core.tasks import send_mail; b = send_mail.get_backend(); "
    "print(type(b).__module__ + '.' + type(b).__name__)"
)


def _shell(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("TASKS_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW_BACKEND], cwd=ROOT,
                          env={**clean, "DEBUG": "1", **env}, capture_output=True, text=True, timeout=120)


def test_the_default_queue_is_the_database():
    result = _shell()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "django_tasks_db.backend.DatabaseBackend"


def test_the_rq_settings_load_and_pass_the_checks():
    redis_url = settings.REDIS_URL or "redis://127.0.0.1:6379/15"
    result = _shell(TASKS_BACKEND="rq", REDIS_URL=redis_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "django_tasks_rq.backend.RQBackend"
    check = subprocess.run([sys.executable, "manage.py", "check", "--fail-level", "ERROR"], cwd=ROOT,
                           env={**os.environ, "DEBUG": "1", "TASKS_BACKEND": "rq", "REDIS_URL": redis_url},
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(("env", "message"), [
    ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be one of database, rq, immediate"),
    ({"TASKS_BACKEND": "rq", "REDIS_URL": ""}, "TASKS_BACKEND=rq needs REDIS_URL"),
])
def test_a_wrong_queue_setting_is_named_at_start_up(env, message):
    result = _shell(**env)
    assert result.returncode != 0
    assert message in result.stderr
