"""Template tags for events: times in the venue's zone and the viewer's."""

import zoneinfo
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, pgettext

from events.models import Event
from events.timezones import utc_offset_label

register = template.Library()


def _moment(instant: datetime) -> str:
    # Translators: a day and time, e.g. "Sat 20 March 2027, 09:00"; the date and time follow the language's formats.
    return pgettext("weekday, date and time", "%(weekday)s %(date)s, %(time)s") % {
        "weekday": date_format(instant, "D"), "date": date_format(instant, "DATE_FORMAT"),
        "time": time_format(instant, "TIME_FORMAT")}


def _span(starts: datetime, ends: datetime) -> str:
    """When something runs, in the language's own date and time formats, the times already in one zone."""
    if starts.date() == ends.date():
        # Translators: one day from a time to a time, e.g. "Sat 20 March 2027, 09:00–13:00".
        return gettext("%(weekday)s %(date)s, %(start)s–%(end)s") % {
            "weekday": date_format(starts, "D"), "date": date_format(starts, "DATE_FORMAT"),
            "start": time_format(starts, "TIME_FORMAT"), "end": time_format(ends, "TIME_FORMAT")}
    # Translators: from one day and time to another, e.g. "Sat 20 March 2027, 09:00 – Sun 21 March 2027, 13:00".
    return gettext("%(start)s – %(end)s") % {"start": _moment(starts), "end": _moment(ends)}


def _zone_label(zone_name: str, instant: datetime) -> str:
    local = instant.astimezone(zoneinfo.ZoneInfo(zone_name))
    return f"{local.tzname()}, {utc_offset_label(instant, zone_name)}, {zone_name.replace('_', ' ')}"


@register.inclusion_tag("events/partials/event_times.html", takes_context=True)
def event_times(context, event: Event, compact: bool = False) -> dict:
    """The event's time at its venue, and in the viewer's own zone (UTC for visitors) when it differs."""
    venue = event.tzinfo
    viewer = timezone.get_current_timezone()
    viewer_name = getattr(viewer, "key", "UTC")
    source = getattr(context["request"], "timezone_source", "default") if "request" in context else "default"
    return {
        "event": event, "compact": compact,
        "venue_span": _span(event.starts_at.astimezone(venue), event.ends_at.astimezone(venue)),
        "venue_label": _zone_label(event.timezone, event.starts_at),
        "viewer_span": _span(event.starts_at.astimezone(viewer), event.ends_at.astimezone(viewer)),
        "viewer_label": _zone_label(viewer_name, event.starts_at),
        "timezone_source": source,
        "same_zone": event.starts_at.astimezone(venue).utcoffset() == event.starts_at.astimezone(viewer).utcoffset()
        and event.ends_at.astimezone(venue).utcoffset() == event.ends_at.astimezone(viewer).utcoffset(),
    }
