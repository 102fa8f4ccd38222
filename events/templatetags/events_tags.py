"""Template tags for events: times in the venue's zone and the viewer's."""

import zoneinfo
from datetime import datetime

from django import template
from django.utils import timezone

from events.models import Event
from events.timezones import utc_offset_label

register = template.Library()


def _span(starts: datetime, ends: datetime) -> str:
    if starts.date() == ends.date():
        return f"{starts:%a %d %B %Y, %H:%M}–{ends:%H:%M}"
    return f"{starts:%a %d %B %Y, %H:%M} – {ends:%a %d %B %Y, %H:%M}"


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
