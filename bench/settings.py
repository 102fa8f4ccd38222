"""The settings `make bench` serves with: production's (config.settings), plus the bench-only anchor page.

The anchor is the issue's yardstick for a page: a plain 20-row list inside base.html. It exists only under
these settings (bench/urls.py), so production serves no page made for measuring.
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# A copy: config.settings' own TEMPLATES stays as it is when both are imported (the bench's tests).
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]},  # noqa: F405
             *TEMPLATES[1:]]  # noqa: F405

# Each scale's servers keep their cache under a key prefix of their own (bench/run.py sets it): the scales' servers
# are up side by side sharing REDIS_URL's database, and the same key (a row's id, a page's path) names other rows
# at another scale.
if prefix := os.environ.get("BENCH_CACHE_PREFIX"):
    CACHES = {**CACHES, "default": {**CACHES["default"], "KEY_PREFIX": prefix}}  # noqa: F405
