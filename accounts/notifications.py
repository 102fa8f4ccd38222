"""How accounts' notifications read (core.extensions.NOTIFICATION_KINDS), in the reader's language:
an organisation verified, requests to join and their answers, a member removed."""

from django.utils.translation import gettext_lazy

from core.extensions import NOTIFICATION_KINDS, NotificationKind

KINDS = {
    "accounts.verified": NotificationKind(
        title=gettext_lazy("%(organisation)s is now verified and listed in the directory")),
    "accounts.join_request": NotificationKind(title=gettext_lazy("%(name)s asks to join %(organisation)s")),
    "accounts.join_approved": NotificationKind(title=gettext_lazy("You are now a member of %(organisation)s")),
    "accounts.join_declined": NotificationKind(
        title=gettext_lazy("Your request to join %(organisation)s was declined")),
    "accounts.removed": NotificationKind(title=gettext_lazy("You are no longer a member of %(organisation)s")),
}


def register() -> None:
    for kind, text in KINDS.items():
        NOTIFICATION_KINDS.register(kind, text)
