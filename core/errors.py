"""Bad input answers 400 saying which parameter to fix, and API routes answer errors in the API's JSON shape.

The API's error shape is DRF's: `{"detail": "…"}` for the request as a whole, `{"<field>": ["…"]}` for a
field or query parameter. Errors raised before or outside DRF (an unknown /api/ address, a crash, a
parameter the database cannot hold) get the same shape from the handlers here, so an API client never
has to parse an HTML error page.
"""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class BadParameter(Exception):
    """A query parameter (or part of the address) that no valid request has: answered with 400 naming it."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message
        super().__init__(f"{name}: {message}")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, detail: str, *, field: str | None = None) -> JsonResponse:
    """One error in the API's shape: the field's list of messages, or the request's detail."""
    return JsonResponse({field: [detail]} if field else {"detail": detail}, status=status)


def bad_parameter_response(request: HttpRequest, error: BadParameter) -> HttpResponse:
    if is_api(request):
        return api_error(400, error.message, field=error.name)
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
        return api_error(400, _("The request could not be read: check its body and parameters."))
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(403, str(exception or "") or _("You do not have permission to do this."))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(404, _("There is no API endpoint or object at this address."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(500, _("The server could not complete this request. The error has been logged."))
    return defaults.server_error(request)
