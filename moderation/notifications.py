"""How moderation's notifications read (core.extensions.NOTIFICATION_KINDS), in the reader's language: reports
for moderators, outcomes for reporters, and the notices of warnings and sanctions. A sanction's end is shown in
the member's own time zone, the zone named."""

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, gettext_lazy

from core.extensions import NOTIFICATION_KINDS, NotificationKind
from core.recipients import moment
from moderation.registry import REPORTABLE
from moderation.services import DISMISS, WARN

GENERIC_OUTCOME = gettext_lazy("A moderator has acted on it.")


def _outcome(params: dict) -> str:
    """What the moderator wrote to the reporters, else the outcome of the action they took, read now."""
    if params.get("message"):
        return params["message"]
    kind = REPORTABLE.get(params.get("kind", ""))
    actions = {**(kind.actions if kind is not None else {}), "warn": WARN, "dismiss": DISMISS}
    action = actions.get(params.get("action", ""))
    return str(action.outcome if action is not None else GENERIC_OUTCOME)


def _report_outcome_title(params: dict) -> str:
    return gettext("Your report about %(where)s: %(outcome)s") % {"where": params["where"],
                                                                   "outcome": _outcome(params)}


def _until(params: dict) -> str:
    return moment(parse_datetime(params["until"]))


def _silenced(params: dict) -> str:
    return gettext("You cannot post or send messages until %(until)s: %(reason)s") % {
        "until": _until(params), "reason": params["reason"]}


def _suspended(params: dict) -> str:
    return gettext("Your account is suspended until %(until)s: %(reason)s") % {
        "until": _until(params), "reason": params["reason"]}


KINDS = {
    "moderation.report": NotificationKind(title=gettext_lazy("New report: %(where)s")),
    "moderation.report_outcome": NotificationKind(title=_report_outcome_title, body=_outcome),
    "moderation.warning": NotificationKind(title=gettext_lazy("A moderator warns you: %(reason)s")),
    "moderation.silenced": NotificationKind(title=_silenced),
    "moderation.unsilenced": NotificationKind(title=gettext_lazy("You can post and message again")),
    "moderation.suspended": NotificationKind(title=_suspended),
}


def register() -> None:
    for kind, text in KINDS.items():
        NOTIFICATION_KINDS.register(kind, text)
