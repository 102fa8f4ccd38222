"""iCalendar files for one event, the public feed and a member's personal feed, built with `icalendar`.

Every VEVENT has a stable UID (the event's UUID), DTSTAMP and LAST-MODIFIED from its last change, a
SEQUENCE that rises with each change, DTSTART/DTEND in the venue's zone with the matching VTIMEZONE,
and STATUS CONFIRMED or CANCELLED: a cancelled event stays in feeds so calendars remove it.
Join links only ever appear in the personal feed, for confirmed registrants. The fields are the RFC's;
the words people read in them (the description's labels, "Online", the calendars' names) are in the
active language: the reader's for a page's file, the member's own for their personal feed.
"""

import functools
import hashlib
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from html import unescape
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events.models import Event, ProgrammeItem, Registration

PRODID = "-//Crossroads//Events//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid_of(event: Event) -> str:
    return f"{event.uid}@{urlsplit(settings.SITE_URL).hostname or 'crossroads'}"


def _plain(html: str) -> str:
    return unescape(strip_tags(html)).strip()


def _location(event: Event) -> str:
    if event.format == Event.Format.ONLINE:
        return pgettext("event format", "Online")
    parts = [event.venue, event.city, event.country.name if event.country else ""]
    return ", ".join(p for p in parts if p)


def vevent(event: Event, *, registration: Registration | None = None, personal: bool = False) -> icalendar.Event:
    """One event as a VEVENT; `personal` adds the registration state and, when confirmed, the join link."""
    zone = zoneinfo.ZoneInfo(event.timezone)
    url = f"{settings.SITE_URL}{event.get_absolute_url()}"
    component = icalendar.Event()
    component.add("uid", uid_of(event))
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    summary = event.title
    if personal and registration is not None and registration.status != Registration.Status.CONFIRMED:
        summary = f"[{registration.get_status_display()}] {summary}"
    component.add("summary", summary)
    lines = [event.summary, _plain(event.description_html)]
    if event.webcast_url:
        lines.append(_("Public webcast: %(url)s") % {"url": event.webcast_url})
    if event.recording_url:
        lines.append(_("Recording: %(url)s") % {"url": event.recording_url})
    join_url = ""
    if personal and registration is not None and registration.status == Registration.Status.CONFIRMED:
        join_url = event.join_url if not event.is_cancelled else ""
    if join_url:
        lines.append(_("Join: %(url)s") % {"url": join_url})
    if event.is_cancelled:
        cancelled = _("This event is cancelled.")
        lines.insert(0, f"{cancelled} {event.cancellation_reason}" if event.cancellation_reason else cancelled)
    lines.append(_("Details and registration: %(url)s") % {"url": url})
    component.add("description", "\n\n".join(line for line in lines if line))
    component.add("location", _location(event))
    component.add("url", url)
    organisations = list(event.organisations.all())
    if organisations:
        first = organisations[0]
        organizer = icalendar.vCalAddress(f"{settings.SITE_URL}{first.get_absolute_url()}")
        organizer.params["cn"] = icalendar.vText(", ".join(o.name for o in organisations))
        component.add("organizer", organizer)
    areas = [area.name for area in event.policy_areas.all()]
    if areas:
        component.add("categories", areas)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("class", "PUBLIC" if event.visibility == Event.Visibility.PUBLIC else "PRIVATE")
    return component


def calendar(components: Iterable[icalendar.Event], *, name: str) -> bytes:
    """A VCALENDAR holding the components and the VTIMEZONE of every zone they use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    starts: list[datetime] = []
    for component in components:
        cal.add_component(component)
        starts += [component.decoded("dtstart"), component.decoded("dtend")]
    if starts:
        # Transitions only for the years the events span keep the file small.
        first, last = (min(starts) - timedelta(days=366)).date(), (max(starts) + timedelta(days=366)).date()
        zones = [zone for tzid in cal.get_missing_tzids() if (zone := _vtimezone(tzid, first, last)) is not None]
        # Sorted (a set's order differs between processes), the same events give the same bytes, so every
        # worker answers the same ETag and a 304 to it.
        cal.subcomponents = sorted(zones, key=lambda zone: zone.tz_name) + cal.subcomponents
    return cal.to_ical()


@functools.lru_cache(maxsize=512)
def _vtimezone(tzid: str, first: date, last: date) -> icalendar.Timezone | None:
    """A zone's VTIMEZONE with its transitions from `first` to `last`: a third of a member's feed to work out
    (icalendar scans the zone's offsets), and the same every time a feed spanning the same dates is built
    again. Never changed once made, so calendars share it. None for a zone icalendar does not know."""
    try:
        return icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last)
    except ValueError:
        return None


def event_file(event: Event) -> bytes:
    """The public .ics of one event: what the page offers and what mails attach."""
    return calendar([vevent(event)], name=event.title)


def public_feed(events: Iterable[Event]) -> bytes:
    return calendar([vevent(event) for event in events], name=_("Crossroads events"))


def personal_feed(registrations: Iterable[Registration], *, owner_name: str) -> bytes:
    return calendar([vevent(r.event, registration=r, personal=True) for r in registrations],
                    name=_("Crossroads: %(name)s's events") % {"name": owner_name})


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def session_end(item: ProgrammeItem) -> datetime:
    """An item without its own end lasts until the next item in the same room starts, else to the event's end."""
    if item.ends_at:
        return item.ends_at
    following = (ProgrammeItem.objects.filter(event_id=item.event_id, room=item.room, starts_at__gt=item.starts_at)
                 .order_by("starts_at").values_list("starts_at", flat=True).first())
    return following or item.event.ends_at


def session_file(item: ProgrammeItem) -> bytes:
    """The .ics of one session of an event: its own UID, the room as part of the location."""
    event = item.event
    zone = zoneinfo.ZoneInfo(event.timezone)
    url = f"{settings.SITE_URL}{event.get_absolute_url()}#session-{item.pk}"
    component = icalendar.Event()
    component.add("uid", f"session-{item.pk}-{uid_of(event)}")
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("dtstart", item.starts_at.astimezone(zone))
    component.add("dtend", session_end(item).astimezone(zone))
    component.add("summary", f"{item.title} — {event.title}")
    speakers = ", ".join(s.name for s in item.speakers.all())
    lines = [speakers, _plain(item.description_html), f"{event.title}: {url}"]
    component.add("description", "\n\n".join(line for line in lines if line))
    component.add("location", ", ".join(p for p in (item.room, _location(event)) if p))
    component.add("url", url)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return calendar([component], name=item.title)
