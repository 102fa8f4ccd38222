"""Per-request member settings: the member's own time zone, and ending a suspended member's session."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone


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
