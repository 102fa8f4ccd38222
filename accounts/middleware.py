"""Per-request member settings: the member's own time zone (a visitor's browser's), ending a suspended
member's session, and sending a visitor who meets a members-only page to log in."""

import functools
import zoneinfo

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

# static/js/timezone.js stores the browser's IANA zone here, so pages show a visitor's times in it.
VISITOR_ZONE_COOKIE = "tz"


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def visitor_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    """The zone the visitor's browser reported, if it is a real IANA zone."""
    name = request.COOKIES.get(VISITOR_ZONE_COOKIE, "")
    return zoneinfo.ZoneInfo(name) if name in _known_zones() else None


class MemberMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if user.is_suspended:
                reason = user.suspension_reason or "no reason was given"
                until = timezone.localtime(user.suspended_until).strftime("%d %B %Y %H:%M %Z")
                logout(request)
                messages.error(request, f"Your account is suspended until {until}: {reason}.")
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
