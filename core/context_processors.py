from functools import cache

from django.conf import settings
from django.http import HttpRequest

from core.selectors import unread_notification_count


def site(request: HttpRequest) -> dict:
    """The site URL, the member's unread notification count for the navigation badge, and where the
    page's time zone came from ("profile", a visitor's "browser", or the "default", UTC).

    The count is a callable (templates call it) read once per rendering, when a template first shows it: a
    block rendered with the request (a page's section, a list's partial, an htmx fragment) that does not show
    it costs no cache round trip."""
    user = getattr(request, "user", None)
    unread = cache(lambda: unread_notification_count(user)) if user is not None and user.is_authenticated else 0
    return {"SITE_URL": settings.SITE_URL, "unread_notifications": unread,
            "timezone_source": getattr(request, "timezone_source", "default")}
