"""The cost of mail for the organiser and for the worker (issue 12), part of `make bench`; alone:
`python -m bench.mail`.

On a database of its own (a sibling `<name>_mail` of DATABASE_URL's PostgreSQL database, else a SQLite file
under bench/work/), with 1,000 confirmed registrants of one event and a local SMTP sink (aiosmtpd) on loopback:
- before: the organiser's cancel request with every mail sent inside it (the immediate task backend, which
  is what the request used to do: 1,000 mails with the .ics before the page answered);
- after: the same request with the database backend, which enqueues one job; its time and query count
  must not depend on the registrants;
- the worker (core's db_worker, in-process) draining that job: notifications, then mails in batches to the
  sink, as mails per second.
Writes bench/results/mail-<backend>.json and .md.
"""

import json
import os
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / "work"
REGISTRANTS = int(os.environ.get("BENCH_MAIL_REGISTRANTS", "1000"))
FEW = 10


def database_url() -> str:
    from bench.run import _create_postgres_database

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        WORK.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{WORK / 'bench-mail.sqlite3'}"
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_mail"
    _create_postgres_database(base, name)
    return urlunsplit(parts._replace(path=f"/{name}"))


def main() -> dict:
    """Prepare the database in subprocesses (migrate, flush), then measure in one; returns the results."""
    from bench.run import log, production_env, python

    env = production_env(database_url())
    env["ALLOWED_HOSTS"] = "testserver"
    log("mail: migrating and emptying its database")
    python(["manage.py", "migrate", "--noinput", "--verbosity=0"], env)
    python(["manage.py", "flush", "--noinput", "--verbosity=0"], env)
    log(f"mail: cancelling an event for {REGISTRANTS} registrants, before and after; the worker to an SMTP sink")
    python(["-m", "bench.mail", "measure"], env)
    backend = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    results = json.loads((RESULTS / f"mail-{backend}.json").read_text())
    log(f"mail: {results['summary']}")
    return results


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Sink:
    """aiosmtpd on loopback, counting what it accepts."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.count = 0
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.count += 1
                return "250 OK"

        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def measure() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from accounts.models import Membership, Organisation, User
    from core.management.commands.db_worker import Worker
    from core.models import SentMail
    from events import services
    from events.models import Event, Registration

    sink = _Sink()
    organisation = Organisation.objects.create(name="Bench Office", slug="bench-office", kind="ngo", country="AT")
    organiser = User.objects.create_user(email="organiser@bench.example", password=None, full_name="Olga Organiser")
    Membership.objects.create(user=organiser, organisation=organisation, role=Membership.Role.ORGANISER,
                              status=Membership.Status.ACTIVE)
    people = User.objects.bulk_create([User(email=f"registrant{i}@bench.example", full_name=f"Registrant {i}",
                                            password="!") for i in range(REGISTRANTS)])

    def event_for(count: int, label: str) -> Event:
        starts = timezone.now() + timezone.timedelta(days=14)
        event = services.create_event(actor=organiser, organisations=[organisation], kind="roundtable",
                                      title=f"Bench roundtable {label}", starts_at=starts,
                                      ends_at=starts + timezone.timedelta(hours=2), timezone_name="Europe/Vienna",
                                      venue="Room 1", city="Vienna", country="AT")
        event = services.publish_event(actor=organiser, event=event)
        Registration.objects.bulk_create([Registration(event=event, user=user, status="confirmed",
                                                       registered_at=timezone.now()) for user in people[:count]])
        return event

    client = Client()
    client.force_login(organiser)

    def cancel(event: Event) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(reverse("events:cancel", args=[event.slug]), {"reason": "Bench."})
            elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        return elapsed, len(queries)

    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": sink.port, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": ""}
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    database = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    results: dict = {"started_at": datetime.now(UTC).isoformat(timespec="seconds"), "registrants": REGISTRANTS,
                     "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]}

    with override_settings(TASKS=immediate, **smtp):
        before_seconds, before_queries = cancel(event_for(REGISTRANTS, "before"))
    results["before"] = {"request_ms": round(before_seconds * 1000, 1), "queries": before_queries,
                         "mails_in_request": sink.count}

    with override_settings(TASKS=database, **smtp):
        few_seconds, few_queries = cancel(event_for(FEW, "few"))
        DBTaskResult.objects.all().delete()
        after_seconds, after_queries = cancel(event_for(REGISTRANTS, "after"))
        received = sink.count
        sent_before = SentMail.objects.count()
        started = time.perf_counter()
        Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="bench-worker", excluded_queue_names=[]).run()
        worker_seconds = time.perf_counter() - started
        mailed = sink.count - received
        failed = DBTaskResult.objects.exclude(status="SUCCESSFUL").count()
    sink.stop()
    results["after"] = {"request_ms": round(after_seconds * 1000, 1), "queries": after_queries,
                        "request_ms_with_10_registrants": round(few_seconds * 1000, 1),
                        "queries_with_10_registrants": few_queries, "mails_in_request": 0}
    results["worker"] = {"mails": mailed, "seconds": round(worker_seconds, 2),
                         "mails_per_second": round(mailed / worker_seconds, 1) if worker_seconds else None,
                         "recorded": SentMail.objects.count() - sent_before, "jobs_not_successful": failed,
                         "batch": settings.TASKS_FANOUT_BATCH}
    results["summary"] = (
        f"cancel for {REGISTRANTS}: {results['before']['request_ms']} ms with the mails in the request, "
        f"{results['after']['request_ms']} ms enqueuing ({after_queries} queries; {few_queries} for {FEW}); "
        f"worker {results['worker']['mails_per_second']} mails/s to a local SMTP sink")
    backend = "postgresql" if results["database"].startswith("postgres") else "sqlite"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"mail-{backend}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"mail-{backend}.md").write_text(_markdown(results))


def _markdown(r: dict) -> str:
    before, after, worker = r["before"], r["after"], r["worker"]
    few_ms, few_queries = after["request_ms_with_10_registrants"], after["queries_with_10_registrants"]
    return f"""# Mail and fan-out: the organiser's request and the worker ({r['database']}, {r['started_at']})

Cancelling a published event with {r['registrants']:,} confirmed registrants, through the page
(`POST /events/<slug>/cancel/`, test client, full middleware), mails to a local SMTP sink (aiosmtpd)
on loopback, each with the event's `.ics`. `python -m bench.mail` (part of `make bench`).

| | request time | SQL queries | mails sent inside the request |
|---|---|---|---|
| before: every mail inside the request | {before['request_ms']:,} ms | {before['queries']:,} \
| {before['mails_in_request']:,} |
| after: one job enqueued | {after['request_ms']:,} ms | {after['queries']} | 0 |
| after, with 10 registrants | {few_ms:,} ms | {few_queries} | 0 |

The worker (core's `db_worker`, one process, batches of {worker['batch']}) then created the notifications and
sent {worker['mails']:,} mails in {worker['seconds']} s: **{worker['mails_per_second']} mails per second**
({worker['recorded']:,} recorded as sent, {worker['jobs_not_successful']} jobs not successful).

The machine is shared (2 cores, other work running), so absolute times are indicative; the query counts
are exact.
"""


if __name__ == "__main__":
    if sys.argv[1:] == ["measure"]:
        measure()
    else:
        main()
