"""Pages every member shares: the home page and notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import images, selectors, services
from core.pagecache import cache_for_visitors


@cache_for_visitors("core.taxonomy", "events.event", "directory.practice", "forums.forum", "accounts.organisation",
                    "accounts.member", timeout=60)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"policy_areas": selectors.policy_areas_with_topics()})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; send them to the static file (hashed, cached)."""
    response = redirect(static("favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers without touching the database."""
    return JsonResponse({"status": "ok"})


def picture(request: HttpRequest, folder: str, name: str) -> HttpResponse:
    """An avatar or logo drawn by core.images: WebP we wrote ourselves, named by a random key that changes
    with every upload, so it is cached for a year. No database query: the name is the whole address."""
    key, _sep, rest = name.partition("-")
    if folder not in images.FOLDERS or not images.KEY_PATTERN.match(key) or \
            rest not in {f"{pixels}.webp" for pixels in images.SIZES.values()}:
        raise Http404(_("No such picture."))
    try:
        # A few kilobytes: read whole rather than streamed (a stream warns and hops threads under ASGI).
        with default_storage.open(f"{folder}/{name}", "rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404(_("No such picture.")) from exc
    response = HttpResponse(data, content_type="image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@cache_for_visitors("core.page")
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A page of the site's own text, as staff last edited it in the admin."""
    site_page = selectors.site_page(slug)
    if site_page is None:
        raise Http404(_("No such page."))
    return render(request, "core/page.html", {"page": site_page})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The member's notifications, 30 a page. The list is a card kept per member, page, language and time zone
    until one of their notifications is made or read (core.notifications, bumped by core.services for them) or a
    member's name changes; its rows and count are read only when it is rendered afresh."""
    number = request.GET.get("page", "")
    page = SimpleLazyObject(lambda: Paginator(selectors.notifications_for(request.user), 30).get_page(number))
    return render(request, "core/notifications.html", {
        "page": page, "list_kinds": ["accounts.member", ("core.notifications", request.user.pk)],
        "list_varies": f"{request.user.pk}:{number}"})


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
    messages.success(request, ngettext("%(count)d notification marked as read.",
                                       "%(count)d notifications marked as read.", count) % {"count": count})
    return redirect("core:notifications")
