"""Speaking to one member outside their own request (a mail, a notification rendered by a task): in their
language and their time zone, with instants written out in that language and labelled with the zone."""

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone `name`; UTC when it is empty or unknown."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def zone_of(user) -> zoneinfo.ZoneInfo:
    """The member's own time zone; UTC when theirs is unknown (or for a visitor)."""
    return zone_named(getattr(user, "timezone", ""))


def language_of(user) -> str:
    """The member's chosen language, if the site speaks it; else the site's default."""
    language = getattr(user, "language", "") or ""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


@contextmanager
def speaking_to(user) -> Iterator[None]:
    """Render what is inside (subject, body, dates) in `user`'s language and time zone."""
    with translation.override(language_of(user)), timezone.override(zone_of(user)):
        yield


def moment(value: datetime) -> str:
    """An instant in the active language and time zone, the zone named: "5 March 2027, 14:00 (Europe/Paris)"
    in English, "5 mars 2027, 14:00 (Europe/Paris)" in French (each language's named DATE_FORMAT and
    TIME_FORMAT)."""
    local = timezone.localtime(value)
    # Translators: an instant with its time zone, e.g. "5 March 2027, 14:00 (Europe/Paris)".
    return gettext("%(date)s, %(time)s (%(zone)s)") % {
        "date": date_format(local, "DATE_FORMAT"),
        "time": date_format(local, "TIME_FORMAT"),
        "zone": timezone.get_current_timezone_name(),
    }

