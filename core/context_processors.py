from django.conf import settings
from django.http import HttpRequest

from core.selectors import unread_notification_count


def site(request: HttpRequest) -> dict:
    """The site URL, the member's unread notification count for the navigation badge, and where the
    page's time zone came from ("profile", a visitor's "browser", or the "default", UTC)."""
    user = getattr(request, "user", None)
    unread = unread_notification_count(user) if user is not None and user.is_authenticated else 0
    return {"SITE_URL": settings.SITE_URL, "unread_notifications": unread,
            "timezone_source": getattr(request, "timezone_source", "default")}
