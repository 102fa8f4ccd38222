"""Whole cached answers kept gzip-compressed as well as plain: compressed once, when the cache entry is built, and
sent to every client that accepts gzip (browsers and calendar apps all do), the plain bytes to the others.

Used for visitors' whole pages (core/pagecache.py) and the iCal feeds (events/feeds.py) only. Both carry no secret
and no CSRF token (a page that renders a token is never cached whole), so compressing them gives an attacker who
can inject text into a request nothing to guess byte by byte (BREACH). Members' pages are built per request and
stay uncompressed: compressing them would cost CPU on every request, and they can carry the session's token.

A compressed answer says `Content-Encoding: gzip`; both variants say `Vary: Accept-Encoding`, and the compressed
one's ETag has ENCODED_SUFFIX inside its quotes, so a shared cache never gives one client the other's bytes and a
conditional GET matches the variant it was given.
"""

import gzip
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# Smaller bodies are kept and sent plain: the gzip frame would save a few bytes at most.
MIN_BYTES = 1024
ENCODED_SUFFIX = "-gzip"


def compress(body: bytes) -> bytes | None:
    """`body` compressed, or None when it is too small or does not shrink. mtime=0: the same bytes give the
    same compressed bytes in every worker."""
    if len(body) < MIN_BYTES:
        return None
    compressed = gzip.compress(body, compresslevel=6, mtime=0)
    return compressed if len(compressed) < len(body) else None


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the request's Accept-Encoding allows gzip (RFC 9110, 12.5.3): named with q > 0, or not named and
    `*` allowed. No header: plain bytes (identity is always acceptable)."""
    return _allows_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@lru_cache(maxsize=256)
def _allows_gzip(accept_encoding: str) -> bool:
    """accepts_gzip for one header value: browsers send a handful of values, each read once per process."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if coding:
            weights[coding.lower()] = weight
    weight = weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0)))
    return weight > 0


def encoded_etag(etag: str) -> str:
    """The compressed variant's ETag: '"abc"' -> '"abc-gzip"', weak ones kept weak."""
    return f"{etag[:-1]}{ENCODED_SUFFIX}\"" if etag.endswith('"') else etag


def choose(request: HttpRequest, plain: bytes, compressed: bytes | None) -> tuple[bytes, bool]:
    """The body to send this client, and whether it is the compressed one."""
    if compressed is not None and accepts_gzip(request):
        return compressed, True
    return plain, False


def mark(response: HttpResponse, *, has_variant: bool, encoded: bool) -> HttpResponse:
    """Headers of an answer that has a compressed variant: Vary on both, the encoding and ETag on the compressed."""
    if has_variant:
        patch_vary_headers(response, ["Accept-Encoding"])
    if encoded:
        response["Content-Encoding"] = "gzip"
        if response.has_header("ETag"):
            response["ETag"] = encoded_etag(response["ETag"])
    return response
