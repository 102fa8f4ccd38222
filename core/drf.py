"""API conventions every app's endpoints share: pagination, the one error body (core.errors), and serializers'
fields built once per class and language (install_field_prototypes).

Kept apart from core.api: DRF imports these while it loads, before views can be defined.
"""

import copy
import time
from datetime import UTC, datetime
from functools import cached_property, partial

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.functional import cached_property as django_cached_property
from django.utils.translation import gettext as _
from rest_framework import exceptions, fields, pagination, parsers, relations, serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response

from core import versions
from core.errors import error_body, refusal, unstorable

# --- Serializers' fields, built once per class and language ------------------------------------------

# DRF builds every serializer's fields afresh for each instance, so once per request: a ModelSerializer looks at
# each model field and translates its label, choices and messages, and declared fields are deep-copied, each copy
# running its __init__ again (a time zone ChoiceField sorts out 600 choices). That was 0.8-2.2 ms of CPU per
# request (/api/me/ 1.65 of its 3.7 ms). What get_fields() returns depends only on the class and the language
# (labels, django-countries' choices in the language's order); what belongs to the request is bound afterwards
# (the parent, hence the context; the field's name and source). So each class's fields are built once per
# language as prototypes, and each serializer gets copies of them to bind.

_prototypes: dict[tuple[type, str | None], dict[str, fields.Field]] = {}
# Fields holding fields bound to themselves (a nested serializer, a list's child, a many-relation's child) are
# copied as DRF copies them, so each request's child is bound to that request's parent; others are copied
# shallowly (their own attributes, the immutable choices and validators shared).
_HOLDING_FIELDS = (serializers.BaseSerializer, relations.ManyRelatedField, fields.ListField, fields.DictField)


def _copy(field: fields.Field) -> fields.Field:
    return copy.deepcopy(field) if isinstance(field, _HOLDING_FIELDS) else copy.copy(field)


def _built_once(serializer: serializers.Serializer) -> bool:
    """Whether the serializer's fields come from DRF's own get_fields, which reads only the class and the language.
    A class overriding get_fields (which may read the instance or context) gets DRF's behaviour."""
    return type(serializer).get_fields.__module__ == serializers.__name__


def serializer_fields(serializer: serializers.Serializer) -> serializers.BindingDict:
    """Serializer.fields: copies of the class's prototype fields in the active language, bound to `serializer`."""
    bound = serializers.BindingDict(serializer)
    if not _built_once(serializer):
        for name, field in serializer.get_fields().items():
            bound[name] = field
        return bound
    key = (type(serializer), translation.get_language())
    prototypes = _prototypes.get(key)
    if prototypes is None:
        prototypes = _prototypes[key] = serializer.get_fields()
    for name, field in prototypes.items():
        bound[name] = _copy(field)
    return bound


def install_field_prototypes() -> None:
    """Make Serializer.fields serializer_fields (core.apps.CoreConfig.ready)."""
    prototype_fields = django_cached_property(serializer_fields)
    prototype_fields.__set_name__(serializers.Serializer, "fields")
    serializers.Serializer.fields = prototype_fields


# Deeper than any body the API takes; a body nested 2,000 levels deep once ended in a RecursionError (500).
MAX_JSON_DEPTH = 32


# How long a list's count may be reused when no write bumped its kinds (writes outside the services).
COUNT_SECONDS = 300


class VersionedCountPaginator(Paginator):
    """A paginator whose count is kept under the generations of `kinds` (core/versions.py), keyed by the count's
    own SQL and parameters, so each filter and each viewer's scope has its own: a list of 50,000 rows costs
    one count per write instead of one per request. A list that moves with the clock (upcoming events) gives
    `period`: its count is kept per period as well (and at most that long), the list reading the time as
    `period_start(period)` so that its SQL, and the count's key, stay the same within a period."""

    def __init__(self, object_list, per_page, *, kinds: tuple[str, ...], period: int | None = None,
                 **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.kinds = kinds
        self.period = period

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if not isinstance(qs, QuerySet):
            return super().count
        try:
            sql, params = qs.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a condition nothing can match (a search no word of which can match)
            return 0
        bucket = int(time.time() // self.period) if self.period else None
        key = versions.key("api-count", kinds=self.kinds, parts=[sql, params, bucket])
        return versions.cached(key, qs.count, timeout=min(COUNT_SECONDS, self.period or COUNT_SECONDS))


def period_start(seconds: int) -> datetime:
    """Now, rounded down to a multiple of `seconds`: the time a list kept per period (`count_period`) reads."""
    return datetime.fromtimestamp(time.time() // seconds * seconds, tz=UTC)


class Pagination(pagination.PageNumberPagination):
    """Pages of 20 (up to 100). A list view that names the kinds its rows come from (`count_kinds`, core/versions.py)
    has its count kept until one of them is bumped; the others count on each request (a member's own
    notifications and conversations, which no generation follows). A list that moves with the clock names
    `count_period` too (seconds) and reads the time as `period_start(count_period)`."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        kinds = getattr(view, "count_kinds", ())
        self.django_paginator_class = (partial(VersionedCountPaginator, kinds=kinds,
                                               period=getattr(view, "count_period", None))
                                       if kinds else Paginator)
        return super().paginate_queryset(queryset, request, view)


def _drf_fields(detail) -> dict[str, list[str]]:
    """A DRF ValidationError's detail as {field: [messages]} (nested serializers joined with dots)."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(d) for d in detail]}
    fields: dict[str, list[str]] = {}
    for name, value in detail.items():
        if isinstance(value, dict):  # a list field's items, or a nested serializer: named under the field
            fields[str(name)] = [f"{key}: {message}" for key, messages in _drf_fields(value).items()
                                 for message in messages]
        else:
            fields[str(name)] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return fields


# DRF's own error codes, renamed where ours differ; every code the body can carry is in CODES.
_RENAMED = {"throttled": "rate_limited", "parse_error": "invalid", "authentication_failed": "not_authenticated"}
CODES = ["invalid", "not_authenticated", "permission_denied", "not_found", "method_not_allowed", "not_acceptable",
         "conflict", "unsupported_media_type", "rate_limited", "busy", "server_error"]


def exception_handler(exc, context):
    """Every error an endpoint meets, as the one JSON body of core.errors with its status:
    a service's refusal (ValidationError, PermissionDenied, RateLimited, Conflict, Busy), a serializer's,
    not found, not authenticated, a wrong method or media type. Anything else is a bug: DRF re-raises it."""
    headers: dict[str, str] = {}
    if (refused := refusal(exc)) is not None:
        status, body = refused
        if "retry_after" in body["error"]:
            headers["Retry-After"] = str(body["error"]["retry_after"])
        return Response(body, status=status, headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _drf_fields(exc.detail)
        message = next(iter(next(iter(fields.values()), [])), _("Check the request."))
        return Response(error_body("invalid", message, fields), status=400)
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    code = _RENAMED.get(exc.default_code, exc.default_code)
    return Response(error_body(code, str(exc.detail)), status=exc.status_code, headers=headers)


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error has this body (core.errors): a code, a sentence for people, and the fields "
                   "the error is about, each with its messages.",
    "required": ["error"],
    "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "enum": CODES},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "retry_after": {"type": "integer", "description": "Seconds to wait (rate_limited, busy)."},
        },
    }},
}

_ERROR_RESPONSES = {"400": "The request is invalid: `fields` says what to fix.",
                    "401": "Log in first.", "403": "You may not do this.", "404": "Not found.",
                    "409": "It clashes with the current state.", "429": "Too many requests: see retry_after.",
                    "503": "Busy right now: nothing was saved, try again after retry_after."}


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: the error body, documented once as the `Error` component and
    referenced by every operation's error responses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in _ERROR_RESPONSES.items():
                operation["responses"][status] = {"description": description, "content": reference}
    return result


def _check_values(data: object) -> None:
    """Refuse a body nested deeper than MAX_JSON_DEPTH, or holding text the database cannot store.

    Walks the parsed body without recursion; the error names the field (dotted path) at fault.
    """
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ParseError(_("The JSON body is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH})
        if isinstance(value, dict):
            for key, item in value.items():
                path = f"{where}.{key}" if where else str(key)
                problem = unstorable(key)
                if problem:
                    raise ValidationError({"non_field_errors": [
                        _("A field name is not valid text. %(problem)s") % {"problem": problem}]})
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
            raise ParseError(_("The JSON body is nested more than %(depth)d levels deep.")
                             % {"depth": MAX_JSON_DEPTH}) from None
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
