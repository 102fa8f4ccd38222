"""Template tags for events: times in the venue's zone and the viewer's, and the sections other pages include."""

import zoneinfo
from datetime import datetime

from django import template
from django.utils import timezone

from accounts.models import Organisation
from events import selectors
from events.models import Event, FeedToken
from events.permissions import may_give_feedback
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


@register.inclusion_tag("events/partials/home_events.html", takes_context=True)
def home_events(context) -> dict:
    user = context["request"].user
    qs = selectors.upcoming(selectors.events_visible_to(user).filter(status=Event.Status.PUBLISHED))
    return {"events": list(selectors.with_list_data(qs)[:4]), "request": context["request"]}


@register.inclusion_tag("events/partials/organisation_events.html", takes_context=True)
def organisation_events(context, organisation: Organisation) -> dict:
    request = context["request"]
    qs = selectors.upcoming_events_of_organisation(organisation, request.user)
    return {"events": list(selectors.with_list_data(qs)[:10]), "organisation": organisation, "request": request}


@register.inclusion_tag("events/partials/dashboard_events.html", takes_context=True)
def dashboard_events(context) -> dict:
    request = context["request"]
    user = request.user
    token = FeedToken.objects.filter(user=user).first()
    feed_https = request.build_absolute_uri(token.get_absolute_url()) if token else ""
    return {
        "registrations": list(selectors.upcoming_registrations_of_member(user)),
        "organised": list(selectors.events_run_by(user).filter(ends_at__gte=timezone.now())[:20]),
        "attended": [(r, may_give_feedback(r) and not hasattr(r, "feedback"))
                     for r in selectors.attended_registrations_of_member(user)[:20]],
        "feed_https": feed_https, "feed_webcal": "webcal://" + feed_https.split("://", 1)[1] if token else "",
        "request": request, "csrf_token": context.get("csrf_token"),
    }
