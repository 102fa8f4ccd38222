"""Writes that every app shares: in-app notifications, e-mailed as each member prefers.

A notification is always shown in the app. By e-mail it goes out at once to members who chose
"each", in the daily digest (`manage.py send_notification_digests`) to those who chose "digest",
and never to those who chose "none".
"""

from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.emails import send_templated_mail
from core.markdown import render_markdown
from core.models import FormDraft, Notification, Page

User = get_user_model()


def _email_at_once(notifications: list[Notification]) -> None:
    """After commit, mail each notification whose recipient wants every notification by e-mail."""
    due = [n for n in notifications if n.recipient.email_notifications == "each"]
    if not due:
        return

    def send() -> None:
        for notification in due:
            send_templated_mail(to=[notification.recipient.email], subject=notification.title,
                                template="emails/notification.txt",
                                context={"recipient": notification.recipient, "notification": notification})
        Notification.objects.filter(pk__in=[n.pk for n in due]).update(emailed_at=timezone.now())

    transaction.on_commit(send)


def notify(*, recipient: User, kind: str, title: str, url: str = "", body: str = "",
           actor: User | None = None, email: bool = True) -> Notification:
    """Tell one member that something happened; `email=False` keeps it in the app only."""
    notification = Notification.objects.create(recipient=recipient, actor=actor, kind=kind, title=title[:300],
                                               url=url, body=body)
    if email:
        _email_at_once([notification])
    return notification


def notify_many(*, recipients: Iterable[User], kind: str, title: str, url: str = "", body: str = "",
                actor: User | None = None, email: bool = True) -> int:
    """Tell many members at once, in one INSERT; the actor is never told of their own action."""
    rows = [
        Notification(recipient=recipient, actor=actor, kind=kind, title=title[:300], url=url, body=body)
        for recipient in {r.pk: r for r in recipients if actor is None or r.pk != actor.pk}.values()
    ]
    Notification.objects.bulk_create(rows, batch_size=500)
    if email:
        _email_at_once(rows)
    return len(rows)


def send_notification_digests(*, now=None, period: timedelta = timedelta(days=1)) -> int:
    """Mail each digest member their unread, not yet mailed notifications; returns the number of mails.

    Idempotent: a notification is mailed once (emailed_at), so running it more often than daily
    only sends digests to members who have something new and whose last digest is `period` old.
    """
    now = now or timezone.now()
    pending = (Notification.objects.filter(recipient__email_notifications="digest", emailed_at__isnull=True,
                                           read_at__isnull=True, recipient__is_active=True)
               .select_related("recipient").order_by("recipient_id", "created_at"))
    by_recipient: dict[int, list[Notification]] = {}
    for notification in pending:
        by_recipient.setdefault(notification.recipient_id, []).append(notification)
    recently_mailed = set(Notification.objects.filter(recipient_id__in=by_recipient, emailed_at__gt=now - period)
                          .values_list("recipient_id", flat=True))
    sent = 0
    for recipient_id, notifications in by_recipient.items():
        if recipient_id in recently_mailed:
            continue
        recipient = notifications[0].recipient
        send_templated_mail(to=[recipient.email], subject=f"Your Crossroads digest: {len(notifications)} update(s)",
                            template="emails/digest.txt",
                            context={"recipient": recipient, "notifications": notifications})
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        sent += 1
    return sent


@transaction.atomic
def mark_notification_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the member's own notifications read; False when it is not theirs."""
    updated = Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return updated == 1 or Notification.objects.filter(pk=notification_id, recipient=user).exists()


def mark_all_notifications_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def save_page(*, page: Page, actor=None) -> Page:
    """Save a site page edited by staff: its Markdown body is rendered and sanitised once, here."""
    page.body_html = render_markdown(page.body)
    page.updated_by = actor
    page.full_clean()
    page.save()
    return page


# A draft keeps at most this many values of this many characters: enough for any of the long forms.
DRAFT_MAX_VALUES = 300
DRAFT_MAX_CHARS = 20_000


@transaction.atomic
def save_form_draft(*, user: User, key: str, data: dict[str, list[str]], fields: Iterable[str]) -> FormDraft:
    """Keep what a member typed into a long form, unchecked, to finish later. Only the form's own fields are
    kept, each value cut to a sane length; the member's previous draft of the same form is replaced."""
    kept, count = {}, 0
    for name in fields:
        values = [str(v)[:DRAFT_MAX_CHARS] for v in data.get(name, [])][: DRAFT_MAX_VALUES - count]
        if values:
            kept[name] = values
            count += len(values)
    draft, _created = FormDraft.objects.update_or_create(user=user, key=key[:100], defaults={"data": kept})
    return draft


@transaction.atomic
def discard_form_draft(*, user: User, key: str) -> None:
    FormDraft.objects.filter(user=user, key=key).delete()
