"""How the expertise exchange's notifications read (core.extensions.NOTIFICATION_KINDS), in the reader's
language: new requests for followers, invitations, offers and their answers, a request closed, completed or
hidden. What members wrote (a message, a note, a reason) stays as written."""

from django.utils.translation import gettext, gettext_lazy

from core.extensions import NOTIFICATION_KINDS, NotificationKind
from expertise.models import SupportRequest
from expertise.services import DEFAULT_DECLINE_NOTE


def _new_request_body(params: dict) -> str:
    try:
        kind = SupportRequest.Kind(params["kind"]).label
    except ValueError:
        kind = params["kind"]
    return gettext("%(organisation)s asks for: %(kind)s.") % {"organisation": params["organisation"], "kind": kind}


def _decline_note(params: dict) -> str:
    return params.get("note") or str(DEFAULT_DECLINE_NOTE)


KINDS = {
    "expertise.new_request": NotificationKind(title=gettext_lazy("New request for support: %(title)s"),
                                              body=_new_request_body),
    "expertise.invitation": NotificationKind(title=gettext_lazy("%(organisation)s invites you to help: %(title)s"),
                                             body="%(message)s"),
    "expertise.offer": NotificationKind(title=gettext_lazy("%(organisation)s offers help on “%(title)s”")),
    "expertise.offer_accepted": NotificationKind(
        title=gettext_lazy("%(organisation)s accepted your offer on “%(title)s”"),
        body=gettext_lazy("A group conversation with the people involved is open in your messages.")),
    "expertise.offer_declined": NotificationKind(title=gettext_lazy("About your offer on “%(title)s”"),
                                                 body=_decline_note),
    "expertise.request_closed": NotificationKind(
        title=gettext_lazy("“%(title)s” was closed; thank you for offering to help.")),
    "expertise.request_completed": NotificationKind(
        title=gettext_lazy("“%(title)s” is completed: see what came of it")),
    "expertise.hidden": NotificationKind(title=gettext_lazy("A moderator hid your request “%(title)s”"),
                                         body="%(reason)s"),
}


def register() -> None:
    for kind, text in KINDS.items():
        NOTIFICATION_KINDS.register(kind, text)
