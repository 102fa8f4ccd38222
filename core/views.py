"""Pages every member shares: the home page and notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core import selectors, services


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"policy_areas": selectors.policy_areas_with_topics()})


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers without touching the database."""
    return JsonResponse({"status": "ok"})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go where it points."""
    services.mark_notification_read(user=request.user, notification_id=pk)
    target = selectors.notifications_for(request.user).filter(pk=pk).values_list("url", flat=True).first()
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_notifications_read(user=request.user)
    messages.success(request, f"{count} notification(s) marked as read.")
    return redirect("core:notifications")
