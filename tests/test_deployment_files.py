"""The deployment files in platform/ stay true to the code: every setting documented, the processes start."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORM = ROOT / "platform"
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-check-0123456789",
              "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}


def _environment(**overrides: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    path = f"{Path(sys.executable).parent}{os.pathsep}{clean.get('PATH', '')}"
    return {**clean, "PATH": path, **overrides}


def _example_variables() -> dict[str, str]:
    lines = (PLATFORM / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_every_variable_the_settings_read_is_documented_in_the_example_environment():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", settings_source))
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_URL"} <= read
    missing = read - set(_example_variables())
    assert not missing, f"add these to platform/.env.example with their defaults: {sorted(missing)}"


def test_the_example_environment_with_a_secret_key_passes_the_deployment_checks():
    example = {**_example_variables(), "SECRET_KEY": PRODUCTION["SECRET_KEY"]}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=_environment(**example), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _procfile_command(name: str) -> str:
    for line in (PLATFORM / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"the Procfile has no {name} process")


def _get_when_up(url: str, process: subprocess.Popen) -> bytes:
    """Poll until the server answers; the deadline only bounds a server that never comes up."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_procfile_web_process_serves_http_with_the_gunicorn_settings():
    port = _free_port()
    process = subprocess.Popen(_procfile_command("web"), shell=True, cwd=ROOT,
                               env=_environment(**PRODUCTION, WSGI_BIND=f"127.0.0.1:{port}", WSGI_WORKERS="1"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert _get_when_up(f"http://127.0.0.1:{port}/healthz", process) == b'{"status": "ok"}'
    finally:
        os.killpg(process.pid, 15)
        process.communicate(timeout=60)


def test_a_worker_replaced_after_max_requests_leaves_at_once_and_every_request_is_answered():
    """The worker gunicorn replaces after `max_requests` skips the interpreter's teardown (which held the socket's
    queued connections 0.6-0.9 s); every request before, during and after the replacements is answered."""
    port = _free_port()
    process = subprocess.Popen(
        _procfile_command("web"), shell=True, cwd=ROOT,
        env=_environment(**PRODUCTION, WSGI_BIND=f"127.0.0.1:{port}", WSGI_WORKERS="1", LOG_LEVEL="INFO",
                         GUNICORN_CMD_ARGS="--max-requests 3 --max-requests-jitter 0"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
    try:
        answers = [_get_when_up(f"http://127.0.0.1:{port}/healthz", process) for _ in range(10)]
    finally:
        os.killpg(process.pid, 15)
        log = process.communicate(timeout=60)[0]
    assert answers == [b'{"status": "ok"}'] * 10
    assert log.count("replaced after 3 requests") >= 3, log
    assert "Traceback" not in log, log


def test_the_wsgi_application_is_built_whole_before_gunicorn_forks_its_workers():
    """gunicorn preloads config.wsgi in its master and forks workers from it, and forks a new one after each
    `max_requests`: a worker that had to import every app's URLs and views and build the URL tables and
    catalogues of six languages on its first request held its waiting connections about a second."""
    script = (
        "import sys\n"
        "import config.wsgi\n"
        "from django.conf import settings\n"
        "from django.urls import get_resolver\n"
        "from django.utils.translation import trans_real\n"
        "languages = sorted(code for code, _ in settings.LANGUAGES)\n"
        "print(sorted(get_resolver()._reverse_dict) == languages)\n"
        "print(sorted(trans_real._translations) == languages)\n"
        "print(all(f'{app}.views' in sys.modules for app in ('directory', 'events', 'forums', 'chat')))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=_environment(**PRODUCTION),
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["True", "True", "True"], result.stdout + result.stderr


def test_the_production_settings_trust_exactly_the_proxies_nginx_puts_in_front():
    """nginx appends the client's address to X-Forwarded-For; allauth must read that one entry, no other."""
    conf = (PLATFORM / "nginx" / "crossroads.conf").read_text()
    proxied = conf.count("proxy_pass ")
    assert proxied and conf.count("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;") == proxied
    for environment in ({**PRODUCTION}, {**_example_variables(), "SECRET_KEY": PRODUCTION["SECRET_KEY"]}):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"],
            cwd=ROOT, env=_environment(**environment), capture_output=True, text=True, timeout=120)
        assert result.stdout.strip().splitlines()[-1] == "1", result.stdout + result.stderr


def test_gunicorns_master_freezes_the_preloaded_application_before_it_forks_a_worker():
    """A worker's full garbage collection would otherwise walk every object of the preloaded application
    (~240,000 on the bench data: 120-170 ms with the worker's waiting requests held)."""
    script = (
        "import gc, runpy\n"
        "import config.wsgi\n"
        "hooks = runpy.run_path('platform/gunicorn.conf.py')\n"
        "before = gc.get_freeze_count()\n"
        "hooks['pre_fork'](None, None)\n"
        "print(before == 0, gc.get_freeze_count() > 100_000)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=_environment(**PRODUCTION),
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["True", "True"], result.stdout + result.stderr
