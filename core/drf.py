"""API conventions every app's endpoints share: pagination, and error bodies a client can act on.

Kept apart from core.api: DRF imports these while it loads, before views can be defined.
"""

from rest_framework import pagination, parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import BadParameter, error_body, unstorable
from core.ratelimit import RateLimited

# Deeper than any body the API takes; a body nested 2,000 levels deep once ended in a RecursionError (500).
MAX_JSON_DEPTH = 32


class Pagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """DRF's handler, plus our own errors: a rate limit answers 429 with what was exceeded, a bad
    query parameter 400 naming it."""
    if isinstance(exc, BadParameter):
        return Response(error_body("invalid", exc.message, {exc.name: [exc.message]}), status=400)
    if isinstance(exc, RateLimited):
        return Response({"detail": str(exc), "retry_after": exc.retry_after}, status=429,
                        headers={"Retry-After": str(exc.retry_after)})
    return drf_exception_handler(exc, context)


def _check_values(data: object) -> None:
    """Refuse a body nested deeper than MAX_JSON_DEPTH, or holding text the database cannot store.

    Walks the parsed body without recursion; the error names the field (dotted path) at fault.
    """
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ParseError(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.")
        if isinstance(value, dict):
            for key, item in value.items():
                path = f"{where}.{key}" if where else str(key)
                problem = unstorable(key)
                if problem:
                    raise ValidationError({"non_field_errors": [f"A field name is not valid text. {problem}"]})
                stack.append((item, path, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, where, depth + 1) for item in value)
        elif isinstance(value, str):
            problem = unstorable(value)
            if problem:
                raise ValidationError({(where.split(".", 1)[0] or "non_field_errors"): [problem]})


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with 400 what would otherwise fail deep inside: too deep, NUL, surrogates."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.") from None
        _check_values(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_values({key: data.getlist(key) for key in data})
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _check_values({key: result.data.getlist(key) for key in result.data})
        return result
