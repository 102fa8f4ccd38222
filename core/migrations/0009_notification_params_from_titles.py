"""Notifications stored before they had parameters: recover the parameters from the English title they were
stored with, where the title reads exactly as its kind's old English text did, so they too read in each
member's language. Any other keeps params empty and reads as its stored title (core.notifications.render)."""

import re
from datetime import UTC, datetime

from django.db import migrations

_T = "“(?P<title>.+)”"
# kind: (the old English title as a pattern, the name under which the stored body becomes a parameter)
OLD_TITLES = {
    "accounts.verified": (r"(?P<organisation>.+) is now verified and listed in the directory", None),
    "accounts.join_request": (r"(?P<name>.+?) asks to join (?P<organisation>.+)", None),
    "accounts.join_approved": (r"You are now a member of (?P<organisation>.+)", None),
    "accounts.join_declined": (r"Your request to join (?P<organisation>.+) was declined", None),
    "accounts.removed": (r"You are no longer a member of (?P<organisation>.+)", None),
    "directory.practice_submitted": (r"A practice awaits review: (?P<title>.+)", None),
    "directory.practice_published": (rf"Your practice {_T} is published", "note"),
    "directory.practice_returned": (rf"Your practice {_T} was returned to you", "reason"),
    "directory.replicated": (rf"{_T} was replicated in (?P<place>.+)", None),
    "events.confirmed": (rf"Your registration for {_T} is confirmed", None),
    "events.pending": (rf"Your registration for {_T} awaits the organisers' approval", None),
    "events.waitlisted": (rf"You are on the waitlist for {_T}", None),
    "events.promoted": (rf"A seat freed up: your registration for {_T} is confirmed", None),
    "events.declined": (rf"Your registration for {_T} was declined", None),
    "events.cancelled_by_member": (rf"You cancelled your registration for {_T}", None),
    "events.cancelled_by_organiser": (rf"The organisers cancelled your registration for {_T}", None),
    "events.time_changed": (r"New time: (?P<title>.+)", None),
    "events.cancelled": (r"Cancelled: (?P<title>.+)", None),
    "events.recording": (rf"The recording of {_T} is now online", None),
    "events.feedback": (rf"How was {_T}\? Tell the organisers", None),
    "forums.mention": (r"(?P<name>.+) mentioned you in “(?P<topic>.+)”", "excerpt"),
    "forums.quote": (r"(?P<name>.+) quoted you in “(?P<topic>.+)”", "excerpt"),
    "forums.reply": (r"(?P<name>.+) replied to “(?P<topic>.+)”", "excerpt"),
    "forums.new_topic": (r"New topic in (?P<category>.+?): “(?P<topic>.+)”", "excerpt"),
    "forums.held": (r"A post in “(?P<topic>.+)” waits for approval", None),
    "forums.approved": (r"Your post in “(?P<topic>.+)” is approved and published", None),
    "forums.rejected": (r"Your post in “(?P<topic>.+)” was not published: (?P<reason>.*)", None),
    "forums.accepted": (r"Your reply was accepted as the answer to “(?P<topic>.+)”", None),
    "chat.mention": (r"(?P<name>.+?) mentioned you in (?P<group>.+)", "excerpt"),
    "moderation.report": (r"New report: (?P<where>.+)", None),
    "moderation.warning": (r"A moderator warns you: (?P<reason>.*)", None),
    "moderation.unsilenced": (r"You can post and message again", None),
    "moderation.silenced": (r"You cannot post or send messages until (?P<until>\d\d \w+ \d{4} \d\d:\d\d): "
                            r"(?P<reason>.*)", None),
    "moderation.suspended": (r"Your account is suspended until (?P<until>\d\d \w+ \d{4} \d\d:\d\d): (?P<reason>.*)",
                             None),
    "expertise.hidden": (rf"A moderator hid your request {_T}", "reason"),
    "expertise.offer": (rf"(?P<organisation>.+?) offers help on {_T}", None),
    "expertise.request_closed": (rf"{_T} was closed; thank you for offering to help\.", None),
}
PATTERNS = {kind: (re.compile(pattern + r"\Z", re.DOTALL), body) for kind, (pattern, body) in OLD_TITLES.items()}


def _params(kind: str, title: str, body: str) -> dict | None:
    pattern, body_name = PATTERNS[kind]
    match = pattern.match(title)
    if match is None:
        return None
    params = {name: value or "" for name, value in match.groupdict().items()}
    if kind.startswith("forums.") and "name" in params and params["name"] == "A member":
        params["name"] = ""
    if "until" in params:
        # Stored as "%d %B %Y %H:%M" in UTC (no member's zone was active when it was made).
        params["until"] = datetime.strptime(params["until"], "%d %B %Y %H:%M").replace(tzinfo=UTC).isoformat()
    if body_name:
        params[body_name] = body
    return params


def recover_params(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    changed = []
    for notification in (Notification.objects.filter(params__isnull=True, kind__in=list(PATTERNS))
                         .only("pk", "kind", "title", "body").iterator(chunk_size=2000)):
        params = _params(notification.kind, notification.title, notification.body)
        if params is not None:
            notification.params = params
            changed.append(notification)
        if len(changed) >= 1000:
            Notification.objects.bulk_update(changed, ["params"])
            changed = []
    Notification.objects.bulk_update(changed, ["params"])


class Migration(migrations.Migration):
    dependencies = [("core", "0008_notification_params")]

    operations = [migrations.RunPython(recover_params, migrations.RunPython.noop)]
