"""CPU per request, in-process: the Python time one page costs, with the database's own time left out.

    DATABASE_URL=... REDIS_URL=... DJANGO_SETTINGS_MODULE=bench.settings \
        python -m bench.cpu [--repeat 30] [--pages "practice page,forum topic"] [--fresh]

Runs inside Django (DEBUG off, the production middleware and cache) against the generated data, through the
test client, and measures `time.process_time()` around each request: what a worker's CPU spends per page,
which bounds its throughput whatever the load tool. The pages are bench/pages.py's, chosen by substrings of
their names (all when --pages is empty); the two anchors are always measured, to compare with. The median of
`--repeat` requests after two warm-up requests is reported, in milliseconds, with the SQL queries of one
request. With --fresh, each page is also measured with the rendering caches off (CACHE_RENDERED: as before
caching). The cache is emptied before each page: run it on a Redis database of your own. The machine's load
average is printed, since other processes share the CPU.
"""

import argparse
import os
import statistics
import time
from collections.abc import Sequence

import django


def _measure(client, url: str, headers: dict, expect: int, repeat: int) -> tuple[float, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(url, headers=headers)
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        response = client.get(url, headers=headers)
        samples.append((time.process_time() - started) * 1000)
        assert response.status_code == expect, f"{url}: {response.status_code}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return statistics.median(samples), len(queries), response.get("X-Page-Cache", "")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pages", default="", help="comma-separated substrings of bench/pages.py's names")
    parser.add_argument("--fresh", action="store_true", help="also measure with the rendering caches off")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from accounts.models import User
    from bench.generate import BENCH_EMAIL
    from bench.pages import ACCEPT_ENCODING, PAGES

    wanted = [part.strip() for part in args.pages.split(",") if part.strip()]
    chosen = [page for page in PAGES if page.anchor or not wanted or any(part in page.name for part in wanted)]
    member = User.objects.get(email=BENCH_EMAIL)
    modes = [("cached", True)] + ([("fresh", False)] if args.fresh else [])
    print(f"| page | {' | '.join(f'CPU ms {label} (queries)' for label, _ in modes)} | page cache |")
    print("|---|" + "---|" * (len(modes) + 1))
    anchors: dict[bool, float] = {}
    for page in chosen:
        url = page.path()
        headers = {"Accept": page.accept, "Accept-Encoding": ACCEPT_ENCODING}
        cells, hit = [], ""
        for _label, rendered in modes:
            settings.CACHE_RENDERED = rendered
            cache.clear()
            client = Client(HTTP_HOST="127.0.0.1")
            if page.login:
                client.force_login(member)
            ms, queries, hit = _measure(client, url, headers, 200, args.repeat)
            if page.anchor and rendered:
                anchors[page.login] = ms
            ratio = f", {ms / anchors[page.login]:.2f}× anchor" if page.login in anchors and rendered else ""
            cells.append(f"{ms:.1f} ({queries}){ratio}")
        print(f"| {page.name} | {' | '.join(cells)} | {hit} |", flush=True)
    settings.CACHE_RENDERED = True
    print(f"\nload average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; median of {args.repeat} requests")


if __name__ == "__main__":
    main()
