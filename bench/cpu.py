"""CPU per request, in-process: the Python time one page costs, with the database's own time left out.

    DATABASE_URL=... REDIS_URL=... python -m bench.cpu [--repeat 30] [--pages home,organisation]

Runs inside Django (DEBUG off, the production middleware and cache) against the generated data, through the
test client, and measures `time.process_time()` around each request: what a worker's CPU spends per page,
which bounds its throughput whatever the load tool. Each page is measured three ways, one after the other:
rendered afresh (CACHE_RENDERED off: as before caching), then with the cache warm, as a visitor and as the
bench member. The median of `--repeat` requests after two warm-up requests is reported, in milliseconds, with
the SQL queries of one request. The machine's load average is printed, since other processes share the CPU.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence

import django


def _pages() -> dict[str, Callable[[], str]]:
    from django.urls import reverse

    from bench.pages import _event_path, _flagship_path, _practice_path, _topic_path

    return {
        "healthz": lambda: reverse("core:health"),
        "home": lambda: reverse("core:home"),
        "organisation": _flagship_path,
        "dashboard": lambda: reverse("accounts:dashboard"),
        "event list": lambda: reverse("events:list"),
        "event page": _event_path,
        "practice page": _practice_path,
        "practice list": lambda: reverse("directory:practices"),
        "forum topic": _topic_path,
    }


def _measure(client, url: str, repeat: int) -> tuple[float, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(url)
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        response = client.get(url)
        samples.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(samples), len(queries), response.get("X-Page-Cache", "")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pages", default="", help="comma-separated names (default: all)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from accounts.models import User
    from bench.generate import BENCH_EMAIL

    pages = _pages()
    chosen = [name.strip() for name in args.pages.split(",") if name.strip()] or list(pages)
    member = User.objects.get(email=BENCH_EMAIL)
    rows = []
    for name in chosen:
        url = pages[name]()
        row = {"page": name, "url": url}
        for label, rendered, login in (("visitor, fresh", False, False), ("visitor, cached", True, False),
                                       ("member, fresh", False, True), ("member, cached", True, True)):
            if name == "dashboard" and not login:
                continue
            settings.CACHE_RENDERED = rendered
            cache.clear()
            client = Client()
            if login:
                client.force_login(member)
            ms, queries, hit = _measure(client, url, args.repeat)
            row[label] = {"cpu_ms": round(ms, 2), "queries": queries, "page_cache": hit}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; median of {args.repeat} requests, "
          "CPU ms (queries) per request")
    labels = ["visitor, fresh", "visitor, cached", "member, fresh", "member, cached"]
    print("| page | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for row in rows:
        cells = [f"{row[label]['cpu_ms']:.1f} ({row[label]['queries']})" if label in row else "—" for label in labels]
        print(f"| {row['page']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
