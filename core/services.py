"""Writes that every app shares: in-app notifications, e-mailed as each member prefers.

A notification is always shown in the app. By e-mail it goes out at once to members who chose
"each", in the daily digest (`manage.py send_notification_digests`) to those who chose "digest",
and never to those who chose "none".
"""

import enum
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from core import emails, tasks, versions
from core.markdown import render_markdown
from core.models import FormDraft, Notification, Page
from core.notifications import stored_text
from core.recipients import speaking_to

User = get_user_model()


class Unchanged(enum.Enum):
    """The default of an update service's keyword argument: the field keeps its value. A sentinel, not None,
    because None is a value some fields are set to (no capacity, no end year)."""

    UNCHANGED = "unchanged"

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = Unchanged.UNCHANGED


def given(**values: object) -> dict:
    """The keyword arguments an update service was given: those that are not UNCHANGED, in their order."""
    return {name: value for name, value in values.items() if value is not UNCHANGED}


def _email_at_once(notification_ids: list[int]) -> None:
    """Mail these notifications from a task, once the change that made them commits."""
    if notification_ids:
        tasks.enqueue_in_batches(tasks.email_notifications, notification_ids, argument="notification_ids")


def _row(*, kind: str, params: dict, recipient: User | None = None, actor: User | None = None,
         url: str = "") -> Notification:
    """A new notification of `kind`: its parameters, and its text in the site's language kept beside them."""
    text = stored_text(kind, params)
    return Notification(kind=kind, params=params, title=text.title, body=text.body, recipient=recipient,
                        actor=actor, url=url)


def notify(*, recipient: User, kind: str, params: dict | None = None, url: str = "", actor: User | None = None,
           email: bool = True) -> Notification:
    """Tell one member that something happened: `kind` (declared in core.extensions.NOTIFICATION_KINDS) with
    the `params` its text is made of (JSON: names, titles, ISO instants), so it reads in the reader's language
    when shown. `email=False` keeps it in the app only."""
    notification = _row(kind=kind, params=params or {}, recipient=recipient, actor=actor, url=url)
    notification.save()
    versions.bump("core.notifications", recipient.pk)
    if email and recipient.email_notifications == "each":
        _email_at_once([notification.pk])
    return notification


def notify_many(*, recipients: Iterable[User], kind: str, params: dict | None = None, url: str = "",
                actor: User | None = None, email: bool = True) -> int:
    """Tell a few members at once, in one INSERT; the actor is never told of their own action.

    For a fan-out to an unbounded audience (watchers, registrants, a group) use a task and
    `core.tasks.notify_in_batches` instead, so the request stays the same size whatever the audience.
    """
    template = _row(kind=kind, params=params or {})
    rows = [
        Notification(recipient=recipient, actor=actor, kind=kind, params=template.params, title=template.title,
                     body=template.body, url=url)
        for recipient in {r.pk: r for r in recipients if actor is None or r.pk != actor.pk}.values()
    ]
    Notification.objects.bulk_create(rows, batch_size=500)
    versions.bump_each("core.notifications", [row.recipient_id for row in rows])
    if email:
        _email_at_once([n.pk for n in rows if n.pk and n.recipient.email_notifications == "each"])
    return len(rows)


@transaction.atomic
def notify_ids(*, recipient_ids: list[int], source: str, kind: str, params: dict | None = None, url: str = "",
               actor_id: int | None = None, email: bool = True) -> int:
    """One batch of a fan-out (called from tasks): notify these members of `source` unless already done.

    A notification is unique per recipient and source, so a retried task creates none twice. Returns how
    many were created now; their mails are enqueued as one job.
    """
    recipient_ids = [pk for pk in dict.fromkeys(recipient_ids) if pk != actor_id]
    done = set(Notification.objects.filter(source=source, recipient_id__in=recipient_ids)
               .values_list("recipient_id", flat=True))
    due = [pk for pk in recipient_ids if pk not in done]
    template = _row(kind=kind, params=params or {})
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, actor_id=actor_id, kind=kind, params=template.params, title=template.title,
                      body=template.body, url=url, source=source) for pk in due],
        batch_size=500, ignore_conflicts=True)
    versions.bump_each("core.notifications", due)
    if email and due:
        _email_at_once(list(Notification.objects.filter(source=source, recipient_id__in=due,
                                                        recipient__email_notifications="each",
                                                        emailed_at__isnull=True).values_list("pk", flat=True)))
    return len(due)


def send_notification_digests(*, now=None, period: timedelta = timedelta(days=1)) -> int:
    """Mail each digest member their unread, not yet mailed notifications; returns the number of mails.

    Runs in a task (scheduled daily). Idempotent: a notification is mailed once (emailed_at), and each
    digest mail is recorded by the notifications it holds, so a retried run sends nothing twice; running
    it more often than daily only mails members who have something new and whose last digest is
    `period` old.
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
    with emails.mail_connection() as connection:
        for recipient_id, notifications in by_recipient.items():
            if recipient_id in recently_mailed:
                continue
            recipient = notifications[0].recipient
            with speaking_to(recipient):
                subject = ngettext("Your Crossroads digest: %(count)d update",
                                   "Your Crossroads digest: %(count)d updates",
                                   len(notifications)) % {"count": len(notifications)}
                message = emails.render_mail(to=recipient.email, subject=subject, template="emails/digest.txt",
                                             context={"recipient": recipient, "notifications": notifications})
            reason = f"digest:{recipient_id}:{notifications[-1].pk}"
            if emails.deliver(reason=reason, message=message, connection=connection):
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
    return sent


@transaction.atomic
def mark_notification_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the member's own notifications read; False when it is not theirs."""
    updated = Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if updated:
        versions.bump("core.notifications", user.pk)
    return updated == 1 or Notification.objects.filter(pk=notification_id, recipient=user).exists()


def mark_all_notifications_read(*, user: User) -> int:
    updated = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if updated:
        versions.bump("core.notifications", user.pk)
    return updated


@versions.bumps("core.page")
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


def retry_failed_jobs(*, job_ids: list) -> int:
    """Queue failed background jobs again (staff, from the admin), with a fresh count of runs; returns how
    many. Tasks are idempotent, so what a job did before it failed is not done twice."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(pk__in=job_ids, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None, worker_ids=[])
