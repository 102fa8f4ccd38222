"""gunicorn settings for the WSGI workers that serve every HTTP request; nginx proxies to them.

Start from the checkout:  gunicorn -c platform/gunicorn.conf.py
Command-line flags and GUNICORN_CMD_ARGS override anything here (the benchmark sets --workers so).
"""

import logging
import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("WSGI_BIND", "127.0.0.1:8001")

# Sync workers: on these machines one served ~6x the requests/s of an ASGI worker for the same
# Django view (ARCHITECTURE.md, "Serving"). nginx buffers slow clients, so a sync worker is never
# held by a slow upload or download. Each worker holds one database connection (CONN_MAX_AGE).
worker_class = "sync"
workers = int(os.environ.get("WSGI_WORKERS", multiprocessing.cpu_count() * 2 + 1))

# Load Django once in the master, then fork: faster restarts and shared memory pages. Django opens
# no database or Redis connection at import, so no socket is shared between workers.
preload_app = True

timeout = 30
graceful_timeout = 30
# Recycle workers now and then so a slow leak in any library cannot grow without bound. Rarely: a
# restart leaves the worker's slot empty for a moment (~0.1 s since the application is warmed in the
# master and a replaced worker leaves without the interpreter's teardown; it was up to a second).
max_requests = 50_000
max_requests_jitter = 5_000


def pre_fork(server, worker):
    """Before each worker is forked, the master moves every object it holds into the collector's permanent
    generation (gc.freeze), so no worker's garbage collection ever walks them.

    The preloaded application is ~240,000 objects. Without this, a worker's full (oldest-generation) collection
    walked all of them: 120-170 ms on the 1x bench data, ~1 s under load, every request waiting on that worker
    held meanwhile; the ~100 ms p99 of single cached visitor pages (bench/results/FINDINGS.md, 4 December). It
    also wrote to every object's header, copying the pages the workers share with the master. Frozen, a full
    collection walks only what the worker made itself (20-80 ms under the same load, most of that waiting for
    the CPU). Python's gc documentation recommends this for pre-fork servers.
    """
    import gc

    gc.freeze()


def worker_exit(server, worker):
    """A worker replaced after `max_requests` leaves without tearing the interpreter down.

    Python's finalisation of a worker (freeing every module and object it holds) kept its slot 0.6-0.9 s before
    gunicorn could fork the replacement, and the connections queued on the socket waited that long (with one
    worker, every one: bench/results/FINDINGS.md, 4 December). Its database connections are closed properly and
    the logs flushed first. A worker stopping for any other reason (shutdown, a failed boot) exits as gunicorn
    makes it, with its status.
    """
    if worker.booted and worker.nr >= worker.max_requests:
        from django.db import connections

        connections.close_all()
        server.log.info("Worker %s replaced after %s requests", worker.pid, worker.nr)
        logging.shutdown()
        os._exit(0)

# Only nginx on this machine may set X-Forwarded-For / X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# nginx logs every request; a second access log here would only cost the workers time.
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
proc_name = "crossroads-web"
