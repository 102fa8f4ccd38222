"""Per-request member settings: the page's language and time zone (the member's own, a visitor's choice
or browser's), ending a suspended member's session, and sending a visitor who meets a members-only page
to log in."""

import functools
import zoneinfo

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from accounts.adapters import suspension_notice
from accounts.permissions import REQUEST_MEMO

# static/js/timezone.js stores the browser's IANA zone here, so pages show a visitor's times in it.
VISITOR_ZONE_COOKIE = "tz"


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def visitor_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    """The zone the visitor's browser reported, if it is a real IANA zone."""
    name = request.COOKIES.get(VISITOR_ZONE_COOKIE, "")
    return zoneinfo.ZoneInfo(name) if name in known_zones() else None


def supported_language(code: str | None) -> str | None:
    """`code` as one of settings.LANGUAGES (a variant falls back to its language: "fr-ca" → "fr"), else None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def request_language(request: HttpRequest) -> str:
    """The language a page is in: the member's profile language; for a visitor, the menu's choice
    (the language cookie), else the browser's Accept-Language, else English. URLs carry no language."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and (language := supported_language(user.language)):
        return language
    return translation.get_language_from_request(request, check_path=False)


class LanguageMiddleware:
    """Activates the request's language (request_language) for the page, the API's error messages and
    everything rendered on the way; after AuthenticationMiddleware, which it needs to know the member.

    The language is reset when the response is made, so the thread's (or task's) next work does not
    inherit it. A visitor's page depends on the cookie and Accept-Language: the Vary header says so,
    and caches key on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
            if not request.user.is_authenticated:
                patch_vary_headers(response, ["Accept-Language", "Cookie"])
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        finally:
            translation.deactivate()


class ChannelsLanguageMiddleware:
    """The same choice for a WebSocket (inside Channels' AuthMiddlewareStack, which sets scope["user"]):
    the consumer's error frames and whatever it renders are in the member's language."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        request = HttpRequest()
        headers = dict(scope.get("headers") or [])
        request.COOKIES = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
        request.META["HTTP_ACCEPT_LANGUAGE"] = headers.get(b"accept-language", b"").decode("latin-1")
        request.user = scope.get("user")
        with translation.override(request_language(request)):
            return await self.inner(scope, receive, send)


class MemberMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        setattr(user, REQUEST_MEMO, {})  # this request's answers about its user (accounts.permissions.per_request)
        try:
            return self._respond(request, user)
        finally:
            # They hold for this request only: a user object that outlives it (a test's own) is asked afresh.
            delattr(user, REQUEST_MEMO)

    def _respond(self, request: HttpRequest, user) -> HttpResponse:
        if user.is_authenticated:
            if user.is_suspended:
                notice = suspension_notice(user)
                logout(request)
                messages.error(request, notice)
                return redirect("account_login")
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
                request.timezone_source = "profile"
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
                request.timezone_source = "default"
        elif zone := visitor_zone(request):
            timezone.activate(zone)
            request.timezone_source = "browser"
        else:
            timezone.deactivate()
            request.timezone_source = "default"
        try:
            response = self.get_response(request)
            if not user.is_authenticated:
                patch_vary_headers(response, ["Cookie"])  # a visitor's page depends on the zone cookie
            return response
        finally:
            # The zone belongs to this request; the thread's next work starts from UTC.
            timezone.deactivate()


class LoginToContinueMiddleware:
    """A page refused to a visitor (PermissionDenied) sends them to log in and back, not to a bare 403.

    Views say only who may see a page; this is the one place that turns "not for visitors" into the
    log-in page with `next`. Members keep the 403 page, which says why. The API answers in JSON itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied) or request.user.is_authenticated:
            return None
        if request.path.startswith("/api/"):
            return None
        messages.info(request, gettext("Log in to continue: this page is for members."))
        return redirect_to_login(request.get_full_path())
