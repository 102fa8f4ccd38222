"""Fixtures every test folder shares: fast passwords, a clean cache, members in each role."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from tests import factories

requires_postgres = pytest.mark.skipif(
    not django_settings.IS_POSTGRES,
    reason="needs PostgreSQL (row locks, full-text search): set DATABASE_URL to run it",
)
requires_redis = pytest.mark.skipif(
    not django_settings.REDIS_URL,
    reason="needs Redis (a channel layer shared by several processes): set REDIS_URL to run it",
)


def _compile_stale_catalogues() -> None:
    """Pages are translated from the compiled catalogues (`make install` compiles them): compile here too
    when a .po is newer than its .mo, so a test run in a fresh worktree sees the translations."""
    locale = Path(django_settings.BASE_DIR) / "locale"
    stale = [po for po in locale.glob("*/LC_MESSAGES/*.po")
             if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        call_command("compilemessages", locale=sorted({po.parts[-3] for po in stale}), verbosity=0,
                     ignore_patterns=[".venv", "var"])


def _empty_tables_by_delete() -> None:
    """Tests that commit (`transaction=True`, live servers, sockets) are followed by a flush of every table.
    PostgreSQL's flush is one TRUNCATE of ~90 tables, which creates new files for each table and index: about
    three seconds a test, mostly waiting on the disk. DELETE empties the same tables in a tenth of that (they
    hold a few rows); the foreign keys are deferred, so the order does not matter. Sequences are left as they
    are, as TRUNCATE without RESTART IDENTITY leaves them; a flush that resets them still truncates."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;", *(f"DELETE FROM {self.quote_name(table)};" for table in tables)]

    DatabaseOperations.sql_flush = sql_flush


def pytest_sessionstart(session):
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # once, before pytest-xdist starts its processes
        _compile_stale_catalogues()


def pytest_configure(config):
    if django_settings.IS_POSTGRES:
        _commits_without_waiting_for_the_disk()
        _empty_tables_by_delete()
    _own_redis_database()


def _commits_without_waiting_for_the_disk() -> None:
    """The test database is thrown away: its commits need not wait for the disk to confirm the write, which
    costs several milliseconds each here (300 commits: 1.4-2.0 s, and 0.02-0.1 s without waiting). Migrations,
    tests that commit and the flush after them commit hundreds of times. Other sessions still see each commit
    at once; only a crash of PostgreSQL could lose the last ones (synchronous_commit=off)."""
    options = django_settings.DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


def _own_redis_database() -> None:
    """`make test` runs the suite in several processes (pytest-xdist). Each has its own database (pytest-django
    adds the worker's suffix) and here its own Redis database, since tests clear the cache and count
    channel-layer groups: gw0 keeps REDIS_URL's database, gw1 takes the one below it, and so on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not (worker.startswith("gw") and django_settings.REDIS_URL):
        return
    url = urlsplit(django_settings.REDIS_URL)
    database = (int(url.path.strip("/") or 0) - int(worker[2:])) % 16
    own = urlunsplit(url._replace(path=f"/{database}"))
    django_settings.REDIS_URL = own
    django_settings.CACHES["default"]["LOCATION"] = own
    for host in django_settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"]:
        host["address"] = own


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(requires_postgres)
        if item.get_closest_marker("redis"):
            item.add_marker(requires_redis)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False
    # Test data made with factories bypasses the services that bump cache generations, so rendered pages and
    # fragments are cached only in the tests that ask for it (`rendered_cache`, tests/core/test_page_cache.py).
    settings.CACHE_RENDERED = False
    cache.clear()
    yield
    cache.clear()


def _raise_task_failure(sender, task_result, **kwargs):
    if task_result.status == TaskResultStatus.FAILED:
        raise AssertionError(f"Task {task_result.task.name} failed:\n{task_result.errors[-1].traceback}")


def _after_commit_as_outside_the_test(callback, using=None):
    """What happens in production: a job enqueued outside any transaction of the code under test runs at
    once, although the test itself runs inside one (pytest-django's `db`); inside a service's transaction
    it waits for the commit, which tests see with `django_capture_on_commit_callbacks(execute=True)`."""
    if all(getattr(block, "_from_testcase", False) for block in transaction.get_connection(using).atomic_blocks):
        callback()
    else:
        transaction.on_commit(callback, using=using)


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(settings, monkeypatch):
    """Background jobs run as soon as the transaction that enqueued them commits (the immediate backend),
    and a failing job fails the test. Tests of the worker itself (tests/core/test_background_jobs.py,
    test_worker_process.py) switch to the database backend with `database_tasks`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr("core.tasks._after_commit", _after_commit_as_outside_the_test)
    task_finished.connect(_raise_task_failure, dispatch_uid="tests-raise-task-failure")
    yield
    task_finished.disconnect(dispatch_uid="tests-raise-task-failure")


@pytest.fixture
def rendered_cache(settings):
    """Rendered pages and fragments are cached, as in production (core/pagecache.py, core/fragments.py)."""
    settings.CACHE_RENDERED = True


@pytest.fixture
def database_tasks(settings):
    """Jobs are rows in the database, run by core's db_worker (in-process here, or a real process)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_RETRY_BACKOFF_SECONDS = 0


@pytest.fixture
def member(db):
    """A verified member of an organisation, with no other role."""
    user = factories.UserFactory(full_name="Mia Member")
    factories.MembershipFactory(user=user)
    return user


@pytest.fixture
def outsider(db):
    """A verified member of some other organisation."""
    user = factories.UserFactory(full_name="Otto Outsider")
    factories.MembershipFactory(user=user)
    return user


@pytest.fixture
def moderator(db):
    return factories.ModeratorFactory(full_name="Mo Moderator")


@pytest.fixture
def staff(db):
    return factories.UserFactory(full_name="Stella Staff", is_staff=True, is_superuser=True)


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()


@pytest.fixture
def org_admin(organisation):
    user = factories.UserFactory(full_name="Ada Admin")
    factories.MembershipFactory(user=user, organisation=organisation, role="admin")
    return user
