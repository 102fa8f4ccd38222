"""Per-request member settings: the member's own time zone, ending a suspended member's session, and
sending a visitor who meets a members-only page to log in."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext


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
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
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
