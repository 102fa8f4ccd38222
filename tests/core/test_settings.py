"""Production settings: refuse to start without a secret, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_start_up_refuses_a_missing_secret_key_with_debug_off():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_deploy_checks_pass_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0",
                     SECRET_KEY="k" * 20 + "-production-secret-key-for-the-check-0123456789",
                     ALLOWED_HOSTS="crossroads.example.org", SITE_URL="https://crossroads.example.org")
    assert result.returncode == 0, result.stdout + result.stderr


def test_links_follow_the_port_make_run_serves_on():
    probe = "probe: ; @$(BIN)/python manage.py shell -c 'from django.conf import settings; print(settings.SITE_URL)'"
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    result = subprocess.run(["make", "--no-print-directory", f"--eval={probe}", "probe", "PORT=9123"], cwd=ROOT,
                            env={**clean, "DEBUG": "1"}, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:9123", result.stdout + result.stderr
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)",
                     DEBUG="1", PORT="9124", SITE_URL="https://crossroads.example.org")
    assert result.stdout.strip().splitlines()[-1] == "https://crossroads.example.org"
