"""Inside Django, against the generated data: resolve each page, log the bench member in, count SQL queries.

Writes a plan (JSON) that the load runner reads: each page's path, the headers a request sends (session
cookie, conditional-GET validators), its status and its SQL queries per request. Queries are counted
here with Django's test client and CaptureQueriesContext on the same database and the same middleware
stack, so the served code has no instrumentation of its own. Also answers the database's version.

`python -m bench.prepare --out PLAN.json`; `python -m bench.prepare --reset-and-generate --scale S` first
empties the database (refusing one that holds anything but benchmark data) and generates the data.
"""

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence

import django


def _versions() -> dict[str, str]:
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    versions = {"django": django.get_version(), "database": database,
                "python": sys.version.split()[0]}
    if settings.REDIS_URL:
        import redis

        versions["redis"] = "Redis " + redis.Redis.from_url(settings.REDIS_URL).info("server")["redis_version"]
    else:
        versions["redis"] = "none (in-memory channel layer, local-memory cache)"
    return versions


def reset_and_generate(scale: float) -> dict[str, int]:
    """Migrate, empty the database, generate the data set and vacuum it as autovacuum would."""
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from bench.generate import BENCH_EMAIL, generate

    call_command("migrate", interactive=False, verbosity=0)
    if User.objects.exists() and not User.objects.filter(email=BENCH_EMAIL).exists():
        sys.exit("The benchmark refuses to empty a database that holds data it did not generate. "
                 "Give it a database of its own (see README, Performance).")
    call_command("flush", interactive=False, verbosity=0)
    counts = generate(scale=scale)
    if connection.vendor == "postgresql":
        # What autovacuum does to a live database within minutes of a bulk load: the planner's statistics,
        # and the visibility map without which the covering indexes cannot answer counts index-only.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            # The bulk load leaves gigabytes of dirty buffers (10x); written by a spread checkpoint and the kernel's
            # writeback they would share the CPUs with the measurements for minutes after. Written now instead.
            cursor.execute("CHECKPOINT")
    return counts


def chat_plan() -> dict:
    """The chat load's groups, each member with a session of its own, as a logged-in browser has."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from bench.generate import CHAT_GROUP_PREFIX
    from chat.models import Conversation

    store = import_module(settings.SESSION_ENGINE).SessionStore
    groups = []
    for conversation in Conversation.objects.filter(title__startswith=CHAT_GROUP_PREFIX).order_by("pk"):
        members = []
        for participant in conversation.participants.select_related("user").order_by("user_id"):
            session = store()
            session[SESSION_KEY] = str(participant.user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = participant.user.get_session_auth_hash()
            session.create()
            members.append({"user_id": participant.user_id,
                            "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"})
        groups.append({"id": conversation.pk, "members": members})
    return {"groups": groups}


def clear_cache() -> None:
    """Empty the cache of this scale's servers: on Redis the keys under its prefix alone (bench/settings.py), as the
    other scales' servers keep theirs in the same database beside it; otherwise all of it."""
    from django.conf import settings
    from django.core.cache import cache

    if not settings.REDIS_URL or not cache.key_prefix:
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = []
    for key in client.scan_iter(match=f"{cache.key_prefix}:*", count=1000):
        keys.append(key)
        if len(keys) >= 1000:
            client.delete(*keys)
            keys = []
    if keys:
        client.delete(*keys)


# In-process CPU per request: repeated until this much CPU was spent (at least twice, at most CPU_REPEATS).
CPU_BUDGET_S = 0.5
CPU_REPEATS = 20


def _cpu_per_request(client, path: str, headers: dict) -> float:
    """Milliseconds of this process's CPU per request (test client, same middleware, warm caches)."""
    spent, n = 0.0, 0
    while n < 2 or (spent < CPU_BUDGET_S and n < CPU_REPEATS):
        started = time.process_time()
        client.get(path, headers=headers)
        spent += time.process_time() - started
        n += 1
    return spent * 1000 / n


def plan() -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.generate import BENCH_EMAIL
    from bench.pages import ACCEPT_ENCODING, PAGES

    # The cache may hold rows of an earlier data set under this scale's prefix (REDIS_URL is shared between runs):
    # start empty.
    clear_cache()
    member = User.objects.get(email=BENCH_EMAIL)
    logged_in = Client(HTTP_HOST="127.0.0.1")
    logged_in.force_login(member)
    cookie = f"{settings.SESSION_COOKIE_NAME}={logged_in.cookies[settings.SESSION_COOKIE_NAME].value}"
    visitor = Client(HTTP_HOST="127.0.0.1")

    pages = []
    for page in PAGES:
        client = logged_in if page.login else visitor
        path = page.path()
        headers = {"Accept": page.accept, "Accept-Encoding": ACCEPT_ENCODING}
        first = client.get(path, headers=headers)
        if first.status_code != 200:
            sys.exit(f"{page.name}: GET {path} answered {first.status_code}, not 200; the benchmark would "
                     "measure an error page.")
        if page.conditional:
            if first.has_header("ETag"):
                headers["If-None-Match"] = first["ETag"]
            if first.has_header("Last-Modified"):
                headers["If-Modified-Since"] = first["Last-Modified"]
        # Counted on the third request, as the load finds the page: the first requests after the data is generated
        # do one-off work (the group conversation's first view marks it read, and its next re-renders the cards
        # that changed, with more queries than any request after it: 9 against 6 on 4 December).
        client.get(path, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, headers=headers)
        # Counted now: the captured list is a window on the connection's log, which the next request resets.
        query_count = len(queries)
        expect = 304 if page.conditional else 200
        if response.status_code != expect:
            sys.exit(f"{page.name}: GET {path} answered {response.status_code}, expected {expect}.")
        cpu_ms = _cpu_per_request(client, path, headers)
        if page.login:
            headers["Cookie"] = cookie
        pages.append({
            "name": page.name, "path": path, "login": page.login, "baseline": page.baseline,
            "anchor": page.anchor, "api": page.accept == "application/json",
            # Issue 13's search target: the directory, practice and site search (not the chat's message search).
            "search": page.name.startswith(("directory:", "practice search", "site search")),
            "expect": expect, "headers": headers, "queries": query_count,
            "bytes": len(response.content), "cpu_ms": cpu_ms,
        })
    return {"pages": pages, "chat": chat_plan(), "versions": _versions()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="write the plan here")
    parser.add_argument("--reset-and-generate", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.reset_and_generate:
        counts = reset_and_generate(args.scale)
        print(json.dumps({"rows": counts}))
    if args.out:
        with open(args.out, "w") as out:
            json.dump(plan(), out, indent=2)


if __name__ == "__main__":
    main()
