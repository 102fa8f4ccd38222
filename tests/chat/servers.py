"""Real ASGI server processes (uvicorn serving config.asgi) against the test database, for live tests.

pytest-django's live_server speaks WSGI only; chat needs WebSocket, and the scale-out test needs
more than one process. Each server gets the test database's URL, so tests that commit their data
(transaction=True) are seen by it, and the same Redis as the tests when REDIS_URL is set.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds; a server normally answers within two


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        assert "memory" not in name and name != ":memory:", "servers need the SQLite test database in a file"
        return f"sqlite:///{name}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AsgiServer:
    """One uvicorn process on a free port; stop() ends it."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1", "SECRET_KEY": settings.SECRET_KEY,
               "REDIS_URL": settings.REDIS_URL, "CONN_MAX_AGE": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        # A file, not a pipe: nobody reads a pipe while the server runs, and a full one would stall it.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"uvicorn exited: {self.log.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"uvicorn did not listen on {self.port} within {START_TIMEOUT} seconds")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def session_cookie(user: User) -> str:
    """A logged-in session for the member, saved where every server process finds it."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value
