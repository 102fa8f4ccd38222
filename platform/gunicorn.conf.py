"""gunicorn settings for the WSGI workers that serve every HTTP request; nginx proxies to them.

Start from the checkout:  gunicorn -c platform/gunicorn.conf.py
Command-line flags and GUNICORN_CMD_ARGS override anything here (the benchmark sets --workers so).
"""

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
# restart leaves the worker's slot empty for up to a second (bench: p99 1.1 s at 2,000 requests).
max_requests = 50_000
max_requests_jitter = 5_000

# Only nginx on this machine may set X-Forwarded-For / X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# nginx logs every request; a second access log here would only cost the workers time.
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
proc_name = "crossroads-web"
