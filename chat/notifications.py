"""How chat's notifications read (core.extensions.NOTIFICATION_KINDS), in the reader's language: a new
message for a member who was away, a mention in a group. The message's opening stays as written."""

from django.utils.translation import gettext, gettext_lazy

from core.extensions import NOTIFICATION_KINDS, NotificationKind


def _new_message(params: dict) -> str:
    if params.get("group"):
        return gettext("New message from %(name)s in %(group)s") % params
    return gettext("New message from %(name)s") % params


KINDS = {
    "chat.message": NotificationKind(title=_new_message, body="%(excerpt)s"),
    "chat.mention": NotificationKind(title=gettext_lazy("%(name)s mentioned you in %(group)s"), body="%(excerpt)s"),
}


def register() -> None:
    for kind, text in KINDS.items():
        NOTIFICATION_KINDS.register(kind, text)
