"""The one error contract: how a refusal from a service reaches the member, whatever the door.

Services raise Django's `ValidationError` (with the field it is about), `PermissionDenied`,
`core.ratelimit.RateLimited` or an app's own `core.errors.Conflict`; they never build responses. Each
door has one translator, here:

- the API: `core.drf.exception_handler` turns them into one JSON body (`error_body`), see below;
- HTML forms: `run_service(form, call)` puts the message on the form's field, or on the form;
  a button without a form: `run_action(request, call, success=...)` shows it as an error message
  (`describe(error)` is that sentence);
- before or outside any of them (an unknown /api/ address, a crash, a query parameter no page can use):
  `InputMiddleware` and the error handlers below (config.urls) answer /api/ routes with the same JSON
  body, and pages with the site's own error pages.
- a WebSocket: `socket_error`/`socket_refusal` build the error frame, the same body with a frame type:
  {"type": "error", "error": {"code", "message", "fields"?, "retry_after"?}, "client_id"?} (chat/consumers.py).
`refusal(error)` is the one mapping from a service's exception to (status, body) that the API and the socket share.

The JSON body, documented once in the OpenAPI schema (the `Error` component, core.drf.document_errors):

    {"error": {"code": "invalid", "message": "Enter the title.",
               "fields": {"title": ["Enter the title."]}}}

with `code` one of invalid (400), not_authenticated (401), permission_denied (403), not_found (404),
method_not_allowed (405), conflict (409), unsupported_media_type (415), rate_limited (429, with
`retry_after` seconds), busy (503, with `retry_after`), and `fields` present when the error is about fields.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from core.ratelimit import RateLimited

T = TypeVar("T")

NON_FIELD = "non_field_errors"


class Conflict(Exception):
    """The request clashes with the current state (already done, taken in the meantime): HTTP 409."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Busy(Exception):
    """A lock was not had in time (many people at once): HTTP 503, nothing saved, try again shortly."""

    retry_after = 5


def field_messages(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]}; errors about no field go under "non_field_errors"."""
    if hasattr(error, "error_dict"):
        return {NON_FIELD if field == NON_FIELD_ERRORS else field: [str(m) for e in errors for m in e.messages]
                for field, errors in error.error_dict.items()}
    return {NON_FIELD: [str(m) for m in error.messages]}


def first_message(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return next(iter(next(iter(field_messages(error).values()))), "")
    return str(error) or error.__class__.__name__


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any) -> dict:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return {"error": body}


SERVICE_ERRORS = (ValidationError, PermissionDenied, RateLimited, Conflict, Busy)
# What an HTML view catches around a service call: the refusals a member can act on. PermissionDenied is left to
# Django (the site's 403 page; a visitor is sent to log in first), except where a view catches SERVICE_ERRORS
# because being refused belongs on the page (a blocked member's message, an admin action's list).
REFUSALS = (ValidationError, RateLimited, Conflict, Busy)


def refusal(error: BaseException) -> tuple[int, dict] | None:
    """A service's refusal as (HTTP status, the one error body); None when it is not one (a bug, not a refusal).

    The one mapping: the API's exception handler (core.drf) and the socket's error frames (socket_refusal) use it.
    """
    if isinstance(error, ValidationError):
        return 400, error_body("invalid", first_message(error), field_messages(error))
    if isinstance(error, BadParameter):
        return 400, error_body("invalid", error.message, {error.name: [error.message]})
    if isinstance(error, PermissionDenied):
        return 403, error_body("permission_denied", str(error) or _("You do not have permission to do this."))
    if isinstance(error, RateLimited):
        return 429, error_body("rate_limited", str(error), retry_after=error.retry_after)
    if isinstance(error, Conflict):
        return 409, error_body("conflict", error.message, {error.field: [error.message]} if error.field else None)
    if isinstance(error, Busy):
        return 503, error_body("busy", str(error), retry_after=error.retry_after)
    return None


def socket_error(code: str, message: str, *, field: str | None = None, client_id: str | None = None,
                 **extra: Any) -> dict:
    """A WebSocket error frame: the API's error body under "type": "error", with the id the client gave its
    frame (so it knows which one was refused)."""
    frame = {"type": "error", **error_body(code, message, {field: [message]} if field else None, **extra)}
    if client_id is not None:
        frame["client_id"] = client_id
    return frame


def socket_refusal(error: BaseException, *, client_id: str | None = None) -> dict | None:
    """A service's refusal as a WebSocket error frame (the same body as the API's); None when it is not one."""
    refused = refusal(error)
    if refused is None:
        return None
    frame = {"type": "error", **refused[1]}
    if client_id is not None:
        frame["client_id"] = client_id
    return frame


def describe(error: BaseException) -> str:
    """The whole refusal as one sentence, for a flash message when there is no form to put it on."""
    if isinstance(error, ValidationError):
        return " ".join(m for messages in field_messages(error).values() for m in messages)
    return str(error)


def apply_to_form(form: forms.BaseForm, error: BaseException, *, fallback: str | None = None,
                  renames: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: on its field when the form has one (a service field named
    differently on the form is in `renames`), else on the `fallback` field, else on the whole form."""
    if isinstance(error, ValidationError):
        for field, messages in field_messages(error).items():
            field = (renames or {}).get(field, field)
            if field not in form.fields:
                field = fallback if fallback in form.fields else None
            form.add_error(field, messages)
    elif isinstance(error, Conflict) and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(fallback if fallback in form.fields else None, str(error))


def refusal_response(error: BaseException) -> JsonResponse:
    """A service's refusal, for a page that answers JSON outside the API (the chat's file upload): the API's
    body and status (refusal)."""
    refused = refusal(error)
    if refused is None:  # not a refusal but a bug: let it reach the error handler
        raise error
    status, body = refused
    response = JsonResponse(body, status=status)
    if "retry_after" in body["error"]:
        response["Retry-After"] = str(body["error"]["retry_after"])
    return response


def form_errors_response(form: forms.BaseForm) -> JsonResponse:
    """An invalid form's errors in the API's one body (400), for a page that answers JSON outside the API."""
    fields = {NON_FIELD if field == NON_FIELD_ERRORS else field: [str(m) for m in messages]
              for field, messages in form.errors.items()}
    message = next(iter(next(iter(fields.values()), [])), _("Check the form."))
    return JsonResponse(error_body("invalid", message, fields), status=400)


def run_action(request: HttpRequest, call: Callable[[], T], *, success: str | Callable[[T], str] | None = None,
               refusals: tuple[type[Exception], ...] = REFUSALS) -> bool:
    """Run a service call behind a button (a POST with no form to show again): its refusal (`refusals`)
    becomes an error message on the next page, else `success` (a sentence, or one made from the result) a
    success message. Whether it was done."""
    try:
        result = call()
    except refusals as error:
        messages.error(request, describe(error))
        return False
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return True


def run_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Run a service call for an HTML form; its refusal becomes a form error (nothing saved is lost:
    the form keeps what was typed). None when it was refused."""
    try:
        return call()
    except SERVICE_ERRORS as error:
        apply_to_form(form, error)
    return None


# --- Bad input, and errors outside DRF ------------------------------------------------------------

API_PREFIX = "/api/"


class BadParameter(Exception):
    """A query parameter (or part of the address) that no valid request has: answered with 400 naming it."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message
        super().__init__(f"{name}: {message}")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, code: str, message: str, *, field: str | None = None) -> JsonResponse:
    """One error in the API's body (error_body), about the field when one is named."""
    return JsonResponse(error_body(code, message, {field: [message]} if field else None), status=status)


def bad_parameter_response(request: HttpRequest, error: BadParameter) -> HttpResponse:
    if is_api(request):
        return api_error(400, "invalid", error.message, field=error.name)
    return render(request, "400.html", {"parameter": error.name, "message": error.message}, status=400)


def unstorable(value: str) -> str | None:
    """Why a text can never be stored or searched (PostgreSQL refuses NUL; UTF-8 cannot encode a lone surrogate)."""
    if "\x00" in value:
        return _("It contains a NUL character (%00); remove it.")
    if any("\ud800" <= c <= "\udfff" for c in value):
        return _("It contains an unpaired surrogate, which is not a character; send valid Unicode text.")
    return None


class InputMiddleware:
    """Refuses query parameters no page can use, and turns BadParameter into a 400 naming the parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return bad_parameter_response(request, BadParameter(
                "path", _("The address contains a NUL character (%00); remove it.")))
        for name, values in request.GET.lists():
            for value in (name, *values):
                problem = unstorable(value)
                if problem:
                    return bad_parameter_response(request, BadParameter(name.replace("\x00", "\\0"), problem))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadParameter):
            return bad_parameter_response(request, exception)
        return None


# Django's error handlers (config.urls): JSON on API routes, the site's pages elsewhere.

def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(400, "invalid", _("The request could not be read: check its body and parameters."))
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(403, "permission_denied", str(exception or "") or _("You do not have permission to do this."))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(404, "not_found", _("There is no API endpoint or object at this address."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(500, "server_error",
                         _("The server could not complete this request. The error has been logged."))
    return defaults.server_error(request)
