"""How the directory's notifications read (core.extensions.NOTIFICATION_KINDS), in the reader's language:
a practice's review (submitted, published, returned) and its replications. The moderator's note stays as
written."""

from django.utils.translation import gettext_lazy

from core.extensions import NOTIFICATION_KINDS, NotificationKind

KINDS = {
    "directory.practice_submitted": NotificationKind(title=gettext_lazy("A practice awaits review: %(title)s")),
    "directory.practice_published": NotificationKind(title=gettext_lazy("Your practice “%(title)s” is published"),
                                                     body="%(note)s"),
    "directory.practice_returned": NotificationKind(
        title=gettext_lazy("Your practice “%(title)s” was returned to you"), body="%(reason)s"),
    "directory.replicated": NotificationKind(title=gettext_lazy("“%(title)s” was replicated in %(place)s")),
}


def register() -> None:
    for kind, text in KINDS.items():
        NOTIFICATION_KINDS.register(kind, text)
