"""Error pages under DEBUG: `make run` shows the site's own 404 and 500 pages, with the details in the terminal.

Django's debug pages list every URL pattern and the settings; a visitor trying the platform should meet the
pages production shows. The traceback still goes to the terminal through the `django.request` logger.
"""

from django.conf import settings
from django.core.exceptions import BadRequest, MiddlewareNotUsed, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver, resolve
from django.utils.log import log_response


class SiteErrorPagesUnderDebugMiddleware:
    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed  # without DEBUG, Django already shows the site's pages
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An address no pattern matches fails before any view, where process_exception cannot see it.
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exc:
            return self._not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return self._not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # the 403 page (or the log-in page for a visitor) is the site's own already
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            response = self._resolver(request).resolve_error_handler(400)(request, exception)
            log_response("Bad Request: %s", request.path, response=response, request=request)
            return response
        response = self._resolver(request).resolve_error_handler(500)(request)
        log_response("Internal Server Error: %s", request.path, response=response, request=request,
                     exception=exception)
        return response

    def _not_found(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        response = self._resolver(request).resolve_error_handler(404)(request, exception)
        log_response("Not Found: %s", request.path, response=response, request=request)
        return response

    @staticmethod
    def _resolver(request: HttpRequest):
        return get_resolver(getattr(request, "urlconf", None))
