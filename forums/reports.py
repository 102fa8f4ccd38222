"""The registry of what members can report into the moderators' one queue, and what moderators can
then do with it.

Forum posts are registered by forums itself; another app registers its own model once, from its
AppConfig.ready(), for example chat messages:

    from forums.reports import DISMISS, WARN, ReportAction, ReportContext, register_report_target

    def describe(message):                      # called when a report is filed: a snapshot
        return ReportContext(excerpt=message.body[:500], author=message.sender,
                             url=message.get_absolute_url(), where=f"Conversation {message.conversation_id}")

    def delete(*, moderator, target, reason, **extra):
        chat.services.delete_message(actor=moderator, message=target, reason=reason)

    register_report_target(Message, describe=describe,
                           actions={"delete": ReportAction("Delete the message", delete),
                                    "warn": WARN, "dismiss": DISMISS})

Then `forums.services.file_report(reporter=member, target=message, reason="...")` puts it in the
queue with its context; a moderator picks one of the registered actions, which runs, is written
to the moderation log, and the reporter is told the outcome. WARN (tell the author, with the
reason) and DISMISS (no change) need nothing from the app. An action that changes the target
writes its own log entry, e.g. with `forums.services.log_moderation_action(...)`.

`can_resolve(user, target)` decides who may resolve a target's reports; by default the global
moderators. The snapshot's `category` (forum content only) lets that category's moderators see it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Model

from accounts.models import User
from accounts.permissions import AnyUser, is_moderator


@dataclass(frozen=True)
class ReportContext:
    excerpt: str
    author: User | None
    url: str
    where: str
    category: Model | None = None


@dataclass(frozen=True)
class ReportAction:
    """A way to resolve a report. `apply(*, moderator, target, reason, body="")` makes the change;
    `needs_body` asks the moderator for a replacement text (editing)."""

    label: str
    apply: Callable[..., None]
    needs_body: bool = False
    outcome: str = "A moderator has acted on it."


@dataclass(frozen=True)
class ReportTarget:
    model: type[Model]
    describe: Callable[[Model], ReportContext]
    actions: Mapping[str, ReportAction]
    can_resolve: Callable[[AnyUser, Model], bool] = field(default=lambda user, target: is_moderator(user))


_TARGETS: dict[type[Model], ReportTarget] = {}


def register_report_target(model: type[Model], *, describe: Callable[[Model], ReportContext],
                           actions: Mapping[str, ReportAction],
                           can_resolve: Callable[[AnyUser, Model], bool] | None = None) -> None:
    """Let members report `model` instances; `actions` maps an action's name to what it does."""
    target = ReportTarget(model=model, describe=describe, actions=dict(actions))
    if can_resolve is not None:
        target = ReportTarget(model=model, describe=describe, actions=dict(actions), can_resolve=can_resolve)
    _TARGETS[model] = target


def target_for(model: type[Model]) -> ReportTarget | None:
    return _TARGETS.get(model)


def _warn(*, moderator: User, target: Model, reason: str, **extra) -> None:
    from forums.services import warn_member

    author = _TARGETS[type(target)].describe(target).author
    if author is not None:
        warn_member(moderator=moderator, member=author, reason=reason, about=target)


def _dismiss(*, moderator: User, target: Model, reason: str, **extra) -> None:
    """No change to the content; resolving the report logs the dismissal."""


WARN = ReportAction("Warn the author", _warn, outcome="A moderator has warned the author.")
DISMISS = ReportAction("Dismiss: no action needed", _dismiss,
                       outcome="A moderator has reviewed it and found no rule broken.")
