"""What a server process would otherwise build on its first requests, built once when it starts.

gunicorn loads the application in its master (`preload_app`) and forks its workers from it, so what is built
here, before the fork, is in every worker from its first request, and in each worker gunicorn starts again
after `max_requests`. Measured on the bench data (one process, after `get_wsgi_application()`): the first
request of a fresh process cost 0.9–1.0 s of CPU, of which importing every app's URLs, views and forms was
0.65 s; under load the worker's eight waiting connections each waited about a second (bench/results/
FINDINGS.md, "The run of 4 December"). The ASGI workers call it too: their event loop would otherwise pay it
while the first chat messages wait.

Nothing here opens a database or cache connection: a connection made before the fork would be shared by
every worker.
"""

from django.conf import settings
from django.template.loader import get_template
from django.urls import URLResolver, get_resolver
from django.utils import translation

from accounts.middleware import known_zones


def _build_reverse_tables(resolver: URLResolver) -> None:
    resolver.reverse_dict  # noqa: B018  (built on first use, with every pattern's regular expression)
    for _prefix, included in resolver.namespace_dict.values():
        _build_reverse_tables(included)


def warm() -> None:
    for code, _name in settings.LANGUAGES:
        # The URL patterns' regular expressions and the reverse tables are built per active language, and
        # each language's catalogues loaded on its first use.
        with translation.override(code):
            _build_reverse_tables(get_resolver())
            translation.gettext("Home")
            translation.get_supported_language_variant(code)
    # The frame every HTML page extends: the cached template loader keeps it compiled.
    get_template("base.html")
    # The time zones a visitor's browser may report (zoneinfo reads the system's zone list).
    known_zones()
