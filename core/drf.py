"""API conventions every app's endpoints share: pagination, and error bodies a client can act on.

Kept apart from core.api: DRF imports these while it loads, before views can be defined.
"""

from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.ratelimit import RateLimited


class Pagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """DRF's handler, plus our own errors: a rate limit answers 429 with what was exceeded."""
    if isinstance(exc, RateLimited):
        return Response({"detail": str(exc), "retry_after": exc.retry_after}, status=429,
                        headers={"Retry-After": str(exc.retry_after)})
    return drf_exception_handler(exc, context)
