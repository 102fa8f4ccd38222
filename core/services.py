"""Writes that every app shares: in-app notifications."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.models import Notification

User = get_user_model()


def notify(*, recipient: User, kind: str, title: str, url: str = "", body: str = "",
           actor: User | None = None) -> Notification:
    """Tell one member that something happened."""
    return Notification.objects.create(recipient=recipient, actor=actor, kind=kind, title=title[:300],
                                       url=url, body=body)


def notify_many(*, recipients: Iterable[User], kind: str, title: str, url: str = "", body: str = "",
                actor: User | None = None) -> int:
    """Tell many members at once, in one INSERT; the actor is never told of their own action."""
    rows = [
        Notification(recipient=recipient, actor=actor, kind=kind, title=title[:300], url=url, body=body)
        for recipient in {r.pk: r for r in recipients if actor is None or r.pk != actor.pk}.values()
    ]
    Notification.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@transaction.atomic
def mark_notification_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the member's own notifications read; False when it is not theirs."""
    updated = Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return updated == 1 or Notification.objects.filter(pk=notification_id, recipient=user).exists()


def mark_all_notifications_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
