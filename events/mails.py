"""The mails events send, rendered for one recipient in their time zone and language (used by events.tasks)."""

import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.emails import render_mail
from events import ical
from events.models import Event, Registration
from events.permissions import can_see_join_link

# What a registrant is told on each transition: (notification title, mail template, attach the .ics).
REGISTRANT_NOTICES = {
    Registration.Status.CONFIRMED: ("Your registration for “{title}” is confirmed", "confirmed", True),
    Registration.Status.PENDING: ("Your registration for “{title}” awaits the organisers' approval", "pending", False),
    Registration.Status.WAITLISTED: ("You are on the waitlist for “{title}”", "waitlisted", False),
    "promoted": ("A seat freed up: your registration for “{title}” is confirmed", "promoted", True),
    "declined": ("Your registration for “{title}” was declined", "declined", False),
    "cancelled_by_member": ("You cancelled your registration for “{title}”", "cancelled", False),
    "cancelled_by_organiser": ("The organisers cancelled your registration for “{title}”", "cancelled", False),
}


def _when(event: Event, zone_name: str, label: str) -> str:
    zone = zoneinfo.ZoneInfo(zone_name)
    starts, ends = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    end_format = "%H:%M" if starts.date() == ends.date() else "%A %d %B %Y, %H:%M"
    return f"{starts:%A %d %B %Y, %H:%M}–{ends.strftime(end_format)} {starts.tzname()} ({label}, {zone_name})"


def mail_context(event: Event, recipient: User, registration: Registration | None) -> dict:
    try:
        recipient_time = _when(event, recipient.timezone, "your time")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        recipient_time = _when(event, "UTC", "UTC")
    venue_time = _when(event, event.timezone, "local time")
    if recipient.timezone == event.timezone:
        recipient_time = venue_time
    return {"event": event, "recipient": recipient, "registration": registration,
            "event_url": event.get_absolute_url(), "venue_time": venue_time, "recipient_time": recipient_time,
            "join_url": event.join_url if can_see_join_link(recipient, event, registration) else "",
            "ticket_url": reverse("events:ticket", args=[event.slug])
            if registration is not None and registration.status == Registration.Status.CONFIRMED else ""}


def event_mail(*, event: Event, recipient: User, registration: Registration | None, template: str, subject: str,
               attach_ics: bool, ics: bytes | None = None, extra: dict | None = None) -> EmailMessage:
    """One mail about `event` to `recipient`; `ics` passes the event's .ics when it was built once for a batch."""
    attachments = []
    if attach_ics:
        attachments = [(f"{event.slug}.ics", ics if ics is not None else ical.event_file(event), "text/calendar")]
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        return render_mail(to=recipient.email, subject=subject, template=f"emails/events/{template}.txt",
                           context={**mail_context(event, recipient, registration), **(extra or {})},
                           attachments=attachments)
