"""How events' notifications read (core.extensions.NOTIFICATION_KINDS), in the reader's language: each change
of a member's own registration, news for every registrant (moved, cancelled, an organiser's message, the
recording), the request for feedback. The same wording is the subject of the mail that goes with each."""

from django.utils.translation import gettext_lazy

from core.extensions import NOTIFICATION_KINDS, NotificationKind

# What a registrant is told on each change of their registration: the notification's kind is "events.<what>".
REGISTRANT_KINDS = {
    "confirmed": NotificationKind(title=gettext_lazy("Your registration for “%(title)s” is confirmed")),
    "pending": NotificationKind(
        title=gettext_lazy("Your registration for “%(title)s” awaits the organisers' approval")),
    "waitlisted": NotificationKind(title=gettext_lazy("You are on the waitlist for “%(title)s”")),
    "promoted": NotificationKind(
        title=gettext_lazy("A seat freed up: your registration for “%(title)s” is confirmed")),
    "declined": NotificationKind(title=gettext_lazy("Your registration for “%(title)s” was declined")),
    "cancelled_by_member": NotificationKind(title=gettext_lazy("You cancelled your registration for “%(title)s”")),
    "cancelled_by_organiser": NotificationKind(
        title=gettext_lazy("The organisers cancelled your registration for “%(title)s”")),
}

KINDS = {
    **{f"events.{what}": kind for what, kind in REGISTRANT_KINDS.items()},
    "events.time_changed": NotificationKind(title=gettext_lazy("New time: %(title)s")),
    "events.cancelled": NotificationKind(title=gettext_lazy("Cancelled: %(title)s")),
    # Translators: the subject of an organiser's message to every registrant: "<event>: <their subject>".
    "events.message": NotificationKind(title=gettext_lazy("%(title)s: %(subject)s"), body="%(body)s"),
    "events.recording": NotificationKind(title=gettext_lazy("The recording of “%(title)s” is now online")),
    "events.feedback": NotificationKind(title=gettext_lazy("How was “%(title)s”? Tell the organisers")),
}


def register() -> None:
    for kind, text in KINDS.items():
        NOTIFICATION_KINDS.register(kind, text)
