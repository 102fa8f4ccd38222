"""How a sanction's end reads to the member: in their own time zone, named, in the active language."""

import zoneinfo
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def until_in_zone(instant: datetime, zone_name: str) -> str:
    """E.g. "3 December 2026, 14:00 (Europe/Paris)": the zone is always named, since the reader may be elsewhere."""
    try:
        zone = zoneinfo.ZoneInfo(zone_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone, zone_name = zoneinfo.ZoneInfo("UTC"), "UTC"
    # Translators: a moment and the time zone it is given in, e.g. "3 December 2026, 14:00 (Europe/Paris)".
    return _("%(when)s (%(zone)s)") % {"when": date_format(timezone.localtime(instant, zone), "DATETIME_FORMAT"),
                                        "zone": zone_name or "UTC"}
