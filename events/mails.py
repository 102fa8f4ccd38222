"""The mails events send, rendered for one recipient in their time zone and language (used by events.tasks)."""

import zoneinfo
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.emails import render_mail
from core.recipients import speaking_to
from events import ical
from events.models import Event, Registration
from events.permissions import can_see_join_link

# The mail a registrant gets on each change of their registration: (template, attach the .ics). Its subject is
# the title of the notification "events.<what>" (events.notifications), in the registrant's language.
REGISTRANT_MAILS = {
    Registration.Status.CONFIRMED: ("confirmed", True),
    Registration.Status.PENDING: ("pending", False),
    Registration.Status.WAITLISTED: ("waitlisted", False),
    "promoted": ("promoted", True),
    "declined": ("declined", False),
    "cancelled_by_member": ("cancelled", False),
    "cancelled_by_organiser": ("cancelled", False),
}


def _when(event: Event, zone_name: str, label: str) -> str:
    """When the event runs in `zone_name`, in the active language: "Friday, 5 March 2027, 14:00–16:00 CET
    (local time, Europe/Paris)"; each language's named formats (the weekday's name aside), the zone always named."""
    zone = zoneinfo.ZoneInfo(zone_name)
    starts, ends = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    start = _("%(weekday)s, %(date)s, %(time)s") % {"weekday": date_format(starts, "l"),
                                                     "date": date_format(starts, "DATE_FORMAT"),
                                                     "time": date_format(starts, "TIME_FORMAT")}
    if starts.date() == ends.date():
        end = date_format(ends, "TIME_FORMAT")
    else:
        end = _("%(weekday)s, %(date)s, %(time)s") % {"weekday": date_format(ends, "l"),
                                                       "date": date_format(ends, "DATE_FORMAT"),
                                                       "time": date_format(ends, "TIME_FORMAT")}
    # Translators: an event's times, e.g. "Friday, 5 March 2027, 14:00–16:00 CET (your time, Europe/Paris)".
    return _("%(start)s–%(end)s %(abbreviation)s (%(label)s, %(zone)s)") % {
        "start": start, "end": end, "abbreviation": starts.tzname(), "label": label, "zone": zone_name}


def mail_context(event: Event, recipient: User, registration: Registration | None) -> dict:
    """What every event mail shows, in the active language (event_mail speaks the recipient's)."""
    try:
        recipient_time = _when(event, recipient.timezone, _("your time"))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        recipient_time = _when(event, "UTC", "UTC")
    venue_time = _when(event, event.timezone, _("local time"))
    if recipient.timezone == event.timezone:
        recipient_time = venue_time
    return {"event": event, "recipient": recipient, "registration": registration,
            "event_url": event.get_absolute_url(), "venue_time": venue_time, "recipient_time": recipient_time,
            "join_url": event.join_url if can_see_join_link(recipient, event, registration) else "",
            "ticket_url": reverse("events:ticket", args=[event.slug])
            if registration is not None and registration.status == Registration.Status.CONFIRMED else ""}


def event_mail(*, event: Event, recipient: User, registration: Registration | None, template: str,
               subject: Callable[[], str], attach_ics: bool, ics: bytes | None = None,
               extra: dict | None = None) -> EmailMessage:
    """One mail about `event` to `recipient`, in their language and time zone whoever caused it: `subject()`
    is worded in it too. `ics` passes the event's .ics when it was built once for a batch."""
    attachments = []
    if attach_ics:
        attachments = [(f"{event.slug}.ics", ics if ics is not None else ical.event_file(event), "text/calendar")]
    with speaking_to(recipient):
        return render_mail(to=recipient.email, subject=subject(), template=f"emails/events/{template}.txt",
                           context={**mail_context(event, recipient, registration), **(extra or {})},
                           attachments=attachments)
