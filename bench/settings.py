"""The settings `make bench` serves with: production's (config.settings), plus the bench-only anchor page.

The anchor is the issue's yardstick for a page: a plain 20-row list inside base.html. It exists only under
these settings (bench/urls.py), so production serves no page made for measuring.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# A copy: config.settings' own TEMPLATES stays as it is when both are imported (the bench's tests).
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]},  # noqa: F405
             *TEMPLATES[1:]]  # noqa: F405
