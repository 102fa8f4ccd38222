"""Events' background work: the mails of registration changes, news for every registrant, reminders.

The services record what happened and enqueue one job (`core.tasks.enqueue`, in their transaction); these
tasks notify and mail each recipient, in batches, at most once per recipient and reason (`token` is drawn
once per change by the service, so a retried job finds what it sent before).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.emails import already_sent, deliver, mail_connection
from core.notifications import title_of
from core.services import notify
from core.tasks import enqueue, enqueue_in_batches, notify_in_batches, task
from events import ical, selectors
from events.mails import REGISTRANT_MAILS, event_mail
from events.models import Event, FeedbackRequest, Registration, SentReminder
from events.permissions import FEEDBACK_DAYS


@task()
def tell_registrant(*, registration_id: int, what: str, token: str) -> bool:
    """Mail one registrant the change of their registration (`what`), with the .ics when they have a seat."""
    registration = Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    if registration is None:
        return False
    template, attach = REGISTRANT_MAILS[what]
    params = {"title": registration.event.title}
    message = event_mail(event=registration.event, recipient=registration.user, registration=registration,
                         template=template, subject=lambda: title_of(f"events.{what}", params), attach_ics=attach)
    return deliver(reason=f"events.{what}:{token}", message=message)


@task()
def tell_registrants(*, event_id: int, kind: str, template: str, params: dict, actor_id: int | None,
                     token: str, attach_ics: bool = True, exclude_actor: bool = False) -> int:
    """Fan-out to every live registrant of the event: notifications of `kind` with `params` in batches, then
    their mails (the notification's title as subject, each in the registrant's language) as jobs of
    TASKS_FANOUT_BATCH each. Returns how many registrants there are."""
    event = Event.objects.get(pk=event_id)
    recipient_ids = list(selectors.registrants_to_tell(event).order_by("pk").values_list("pk", flat=True))
    source = f"{kind}:{token}"
    notify_in_batches(recipient_ids=recipient_ids, source=source, kind=kind, params=params,
                      url=event.get_absolute_url(), actor_id=actor_id, email=False)
    mail_ids = [pk for pk in recipient_ids if not (exclude_actor and pk == actor_id)]
    enqueue_in_batches(mail_registrants, mail_ids, argument="user_ids", event_id=event_id, template=template,
                       kind=kind, params=params, reason=source, attach_ics=attach_ics, sender_id=actor_id)
    return len(recipient_ids)


@task()
def mail_registrants(*, event_id: int, user_ids: list[int], template: str, kind: str, params: dict, reason: str,
                     attach_ics: bool = True, sender_id: int | None = None) -> int:
    """One batch of a fan-out's mails; returns how many went out now (none twice for the same reason)."""
    event = Event.objects.get(pk=event_id)
    recipients = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    done = already_sent(reason=reason, addresses=[r.email for r in recipients])
    registrations = {r.user_id: r for r in Registration.objects.filter(event=event, user_id__in=user_ids)}
    ics = ical.event_file(event) if attach_ics else None
    extra = {"sender": User.objects.filter(pk=sender_id).first(), "body": params.get("body", "")}
    sent = 0
    with mail_connection() as connection:
        for recipient in recipients:
            if recipient.email in done:
                continue
            message = event_mail(event=event, recipient=recipient, registration=registrations.get(recipient.pk),
                                 template=template, subject=lambda: title_of(kind, params), attach_ics=attach_ics,
                                 ics=ics, extra=extra)
            sent += deliver(reason=reason, message=message, connection=connection)
    return sent


@task()
def announce_recording(*, event_id: int, actor_id: int | None, token: str) -> int:
    """Tell the confirmed registrants that the recording is online (notifications, mailed as they prefer)."""
    event = Event.objects.get(pk=event_id)
    recipient_ids = (selectors.registrants_to_tell(event)
                     .filter(event_registrations__status=Registration.Status.CONFIRMED)
                     .order_by("pk").values_list("pk", flat=True))
    return notify_in_batches(recipient_ids=list(recipient_ids), source=f"events.recording:{token}",
                             kind="events.recording", params={"title": event.title},
                             url=event.get_absolute_url(), actor_id=actor_id)


# --- Reminders -------------------------------------------------------------------------------------

@task()
def send_reminders() -> int:
    """Scheduled every minute (`manage.py send_event_reminders` enqueues it): see send_due_reminders."""
    return send_due_reminders()


def enqueue_reminders() -> None:
    enqueue(send_reminders)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Mail every reminder that is due and not yet sent; safe to run every minute, from several workers.

    For each registrant the reminder due is the latest offset already reached (registering 30 minutes
    before a start sends the 1-hour reminder, never a late 24-hour one). A SentReminder row, unique per
    registration, offset and start, is inserted in the transaction that hands the mail to the server:
    a second run, or a concurrent one, finds it and sends nothing; a refused mail leaves no row, so the
    retried job sends it. A moved event is reminded of its new start.
    """
    now = now or timezone.now()
    longest = max([*settings.EVENTS_REMINDER_OFFSETS_MINUTES, 60 * 24 * 30])
    events = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=now,
                                  starts_at__lte=now + timedelta(minutes=longest))
    sent = 0
    with mail_connection() as connection:
        for event in events:
            due = [o for o in selectors.reminder_offsets(event) if event.starts_at - timedelta(minutes=o) <= now]
            if not due:
                continue
            offset = min(due)
            registrations = (Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED,
                                                         user__is_active=True)
                             .exclude(Exists(SentReminder.objects.filter(
                                 registration=OuterRef("pk"), offset_minutes__lte=offset,
                                 event_starts_at=event.starts_at)))
                             .select_related("user"))
            ics = ical.event_file(event)
            for registration in registrations:
                sent += _send_reminder(registration=registration, event=event, offset=offset, ics=ics,
                                       connection=connection)
    return sent


def starts_in(offset: int) -> str:
    """How long until the start, in the active language: "1 hour", "24 hours", "30 minutes"."""
    if offset % 60 == 0:
        return ngettext("%(count)d hour", "%(count)d hours", offset // 60) % {"count": offset // 60}
    return ngettext("%(count)d minute", "%(count)d minutes", offset) % {"count": offset}


def _send_reminder(*, registration: Registration, event: Event, offset: int, ics: bytes, connection) -> int:
    def subject() -> str:
        return _("Reminder: “%(title)s” starts in %(when)s") % {"title": event.title, "when": starts_in(offset)}

    message = event_mail(event=event, recipient=registration.user, registration=registration,
                         template="reminder", subject=subject, attach_ics=True, ics=ics,
                         extra={"hours": offset // 60 if offset % 60 == 0 else None, "minutes": offset})
    try:
        with transaction.atomic():
            SentReminder.objects.create(registration=registration, offset_minutes=offset,
                                        event_starts_at=event.starts_at)
            reason = f"events.reminder:{registration.pk}:{offset}:{event.starts_at.isoformat()}"
            return int(deliver(reason=reason, message=message, connection=connection))
    except IntegrityError:
        return 0  # another run sent it first


# --- Feedback requests ------------------------------------------------------------------------------

@task()
def request_feedback() -> int:
    """Scheduled every 10 minutes (`manage.py send_feedback_requests` enqueues it): see send_feedback_requests."""
    return send_feedback_requests()


def enqueue_feedback_requests() -> None:
    enqueue(request_feedback)


def send_feedback_requests(*, now: datetime | None = None) -> int:
    """Ask every attendee of an event that ended (in the last 30 days) for feedback, once each, by a
    notification and an e-mail in their language.

    Safe to run again and from several workers: the FeedbackRequest row (unique per registration) is
    inserted in the transaction that hands the mail to the server; a concurrent run that loses the race
    sends nothing, and a mail server that fails leaves no row, so the retried job asks again.
    """
    now = now or timezone.now()
    window = timedelta(days=FEEDBACK_DAYS)
    registrations = (Registration.objects.filter(
        event__status=Event.Status.PUBLISHED, event__ends_at__lte=now, event__ends_at__gt=now - window,
        status=Registration.Status.CONFIRMED, checked_in_at__isnull=False, user__is_active=True,
        feedback_request__isnull=True).select_related("event", "user").order_by("pk"))
    sent = 0
    with mail_connection() as connection:
        for registration in registrations:
            event, user = registration.event, registration.user
            url = reverse("events:feedback", args=[event.slug])
            params = {"title": event.title}
            message = event_mail(event=event, recipient=user, registration=registration,
                                 template="feedback_request", subject=lambda p=params: title_of("events.feedback", p),
                                 attach_ics=False,
                                 extra={"feedback_url": url, "closes": event.ends_at + window})
            try:
                with transaction.atomic():
                    FeedbackRequest.objects.create(registration=registration)
                    notify(recipient=user, kind="events.feedback", params=params, url=url, email=False)
                    deliver(reason=f"events.feedback:{registration.pk}", message=message, connection=connection)
            except IntegrityError:
                continue  # another run asked first
            sent += 1
    return sent
