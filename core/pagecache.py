"""Visitors' public pages served whole from the cache while nothing they show has changed.

    @cache_for_visitors("events.event", timeout=60)
    def event_list(request): ...

A visitor's GET (or HEAD) is answered from the cache when the same page was rendered for the same language,
time zone, host, path, query string and htmx target, and no generation of the kinds it shows (core/versions.py)
was bumped since. Members always get the view: their pages cache shared fragments instead (core/fragments.py).

A page is cached only if it carries nothing of the visitor who caused it: the view set no cookie, rendered no
CSRF token (which would set the CSRF cookie), wrote nothing into the session, and the visitor had no messages
waiting (those are shown once, to them). So log-in, sign-up and other form pages are never cached: they render a
token. The answer from the cache goes back through the middleware, which adds the response headers
(Vary: Cookie and Accept-Language, Content-Language, the CSP) as for a fresh page.

A page is kept plain and gzip-compressed (core/compression.py), compressed once when it is kept: a client that
accepts gzip gets the compressed bytes, others the plain ones. It holds no secret and no CSRF token (see above),
so compressing it exposes nothing to a BREACH-style attack.

`timeout` bounds what no service bumps: time passing (an event becoming past, "in 2 hours"), and writes made
outside the services (a database shell).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from core import compression, versions

# Headers a view may set that are stored with the page (the middleware's own are added again on each answer).
STORED_HEADERS = ("Content-Type", "Vary", "Cache-Control", "Last-Modified", "ETag", "Content-Disposition",
                  "HX-Trigger", "HX-Push-Url", "Link")
MAX_QUERY_LENGTH = 500  # longer query strings are served uncached rather than filling the cache
# In every page's key: an entry of an earlier layout (kept before a deploy) is never read as this one.
ENTRY_LAYOUT = "plain+gzip"
HIT_HEADER = "X-Page-Cache"


def _has_waiting_messages(request: HttpRequest) -> bool:
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    if session is None or not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return False
    return SessionStorage.session_key in session


def _may_use_cache(request: HttpRequest) -> bool:
    return (settings.CACHE_RENDERED and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
            and not _has_waiting_messages(request))


def _page_key(request: HttpRequest, name: str) -> str:
    """Where this page is kept for this kind of visitor; the generations it was rendered at are kept with it.

    The headers are read from META: `request.headers` would build a mapping of every header on each hit, which
    nothing else a cached page's request does."""
    meta = request.META
    query = sorted(request.GET.lists())
    return versions.key(f"page:{name}", kinds=(), lang=translation.get_language(), parts=(
        request.scheme, request.get_host(), request.path, query,
        timezone.get_current_timezone_name(), getattr(request, "timezone_source", ""),
        meta.get("HTTP_HX_REQUEST", ""), meta.get("HTTP_HX_TARGET", ""),
        meta.get("HTTP_HX_HISTORY_RESTORE_REQUEST", ""),  # htmx asks for the whole page again
        ENTRY_LAYOUT,
    ))


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the page holds nothing of this visitor (see the module's docstring)."""
    session = getattr(request, "session", None)
    return (request.method == "GET" and response.status_code == 200 and not response.streaming and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", ""))


def cache_for_visitors(*kinds: str, timeout: int | None = None) -> Callable:
    """Serve visitors this view's page from the cache until one of `kinds` is bumped (or `timeout` passes)."""
    for kind in kinds:  # fail at import on a typo, not at the first visitor
        if kind not in versions.KINDS:
            raise ValueError(f"Unknown cache kind {kind!r}; add it to core.versions.KINDS.")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _may_use_cache(request):
                return view(request, *args, **kwargs)
            page_key = _page_key(request, name)
            # The variant this client takes is kept under its own key, so a hit reads only the bytes it sends.
            variant_key = f"{page_key}:gzip" if compression.accepts_gzip(request) else page_key
            # One round trip for the page and the generations of what it shows: current if they are the same.
            generations, stored = versions.cached_with_generations(variant_key, kinds)
            if stored is not None and stored[0] == generations:
                _, body, headers, has_variant, encoded = stored
                response = HttpResponse(body, headers=headers)
                response[HIT_HEADER] = "hit"
                return compression.mark(response, has_variant=has_variant, encoded=encoded)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if _shareable(request, response):
                headers = {name: response[name] for name in STORED_HEADERS if name in response}
                plain, compressed = response.content, compression.compress(response.content)
                has_variant = compressed is not None
                cache.set_many({
                    page_key: (generations, plain, headers, has_variant, False),
                    f"{page_key}:gzip": ((generations, compressed, headers, True, True) if has_variant
                                         else (generations, plain, headers, False, False)),
                }, timeout=settings.CACHE_SECONDS if timeout is None else timeout)
                response[HIT_HEADER] = "miss"
                body, encoded = compression.choose(request, plain, compressed)
                if encoded:
                    response.content = body
                compression.mark(response, has_variant=has_variant, encoded=encoded)
            return response

        return wrapper

    return decorate
