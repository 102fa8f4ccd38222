"""Converting between an event's wall-clock time at its venue and the UTC instants it stores."""

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change (e.g. 02:30 on the spring-forward night)."""


def local_to_utc(naive: datetime, zone_name: str) -> datetime:
    """The UTC instant of `naive` read on the wall clocks of `zone_name`.

    An ambiguous time (the autumn hour that happens twice) is read as its first occurrence;
    a time that never happens raises NonexistentLocalTime so the organiser can correct it.
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = naive.replace(tzinfo=zone, fold=0)
    as_utc = aware.astimezone(UTC)
    if as_utc.astimezone(zone).replace(tzinfo=None) != naive.replace(fold=0):
        raise NonexistentLocalTime(
            gettext("%(time)s does not exist in %(zone)s: the clocks skip it for daylight saving time.")
            % {"time": date_format(naive, "DATETIME_FORMAT"), "zone": zone_name}
        )
    return as_utc


def utc_to_local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(zoneinfo.ZoneInfo(zone_name))


def utc_offset_label(instant: datetime, zone_name: str) -> str:
    """'UTC−4' style label of the zone's offset at that instant."""
    offset = utc_to_local(instant, zone_name).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
