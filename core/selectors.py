"""Reads that every app shares."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.memberfacts import member_fact
from core.models import FormDraft, Notification, Page, PolicyArea

User = get_user_model()


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")


def unread_notification_count(user: User) -> int:
    """The header's badge: kept per member until one of their notifications is made or read (core.services bumps
    core.notifications for the member), read with the member's other facts (core.memberfacts) instead of a count."""
    return member_fact(user, "core.unread_notifications")


def count_unread_notifications(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def policy_areas_with_topics() -> QuerySet[PolicyArea]:
    return PolicyArea.objects.prefetch_related("topics")


def site_page(slug: str) -> Page | None:
    return Page.objects.filter(slug=slug).first()


def form_draft(user: User, key: str) -> FormDraft | None:
    if not user.is_authenticated:
        return None
    return FormDraft.objects.filter(user=user, key=key).first()
