"""How a sanction's end reads to the member: in their own time zone, named, in the active language."""

from datetime import datetime

from django.utils import timezone

from core.recipients import moment, zone_named


def until_in_zone(instant: datetime, zone_name: str) -> str:
    """E.g. "5 March 2027, 14:00 (Europe/Paris)" (core.recipients.moment): the zone is always named, since the
    reader may be elsewhere."""
    with timezone.override(zone_named(zone_name)):
        return moment(instant)
