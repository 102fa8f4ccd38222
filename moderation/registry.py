"""What moderation knows of other apps: the kinds members can report, and the scopes that have their own
moderators. Both are extension points (core.extensions) that apps fill from their AppConfig.ready();
moderation itself imports no feature app.

A reportable kind, for example chat messages (chat/apps.py):

    from moderation.registry import ReportAction, ReportContext, register_reportable

    def describe(message):                      # called when a report is filed: a snapshot
        return ReportContext(excerpt=message.body[:500], author=message.sender,
                             url=message.get_absolute_url(),
                             where=gettext("conversation %(number)s") % {"number": message.conversation_id})

    def delete(*, moderator, target, reason, **extra):
        chat.services.delete_message(actor=moderator, message=target, reason=reason)

    register_reportable("chat.message", Message, describe=describe,
                        actions={"delete": ReportAction(gettext_lazy("Delete the message"), delete)})

Then `moderation.services.file_report(reporter=member, target=message, reason="...")` puts it in the
queue with its context; a moderator picks one of the registered actions, which runs, is written to
the moderation log, and the reporter is told the outcome. Every kind also offers "warn" (tell the
author, with the reason) and "dismiss" (no change), which need nothing from the app. An action
that changes the target writes its own log entry with `moderation.services.log_moderation_action(...)`.

`can_report(user, target)` says who may report a target (default: any active member but its author,
when it is not theirs); `ReportContext.scope` (a forum category, ...) lets that scope's moderators
resolve it, besides the global moderators.

A moderation scope (forums/apps.py registers its categories):

    register_scope("forums.category", Category, moderators=lambda c: c.moderators.all(),
                   moderated_by=lambda user: user.moderated_forum_categories.values_list("pk", flat=True),
                   kinds=("forums.forum",))
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import AnyUser
from core.extensions import ExtensionPoint


@dataclass(frozen=True)
class ReportContext:
    excerpt: str
    author: User | None
    url: str
    where: str
    scope: Model | None = None


@dataclass(frozen=True)
class ReportAction:
    """A way to resolve a report. `apply(*, moderator, target, reason, body="")` makes the change;
    `needs_body` asks the moderator for a replacement text (editing)."""

    label: str
    apply: Callable[..., None]
    needs_body: bool = False
    outcome: str = _("A moderator has acted on it.")


def _anyone_but_the_author(user: AnyUser, target: Model, context: ReportContext) -> bool:
    return context.author is None or context.author.pk != user.pk


@dataclass(frozen=True)
class ReportableKind:
    key: str
    model: type[Model]
    describe: Callable[[Model], ReportContext]
    actions: Mapping[str, ReportAction]
    can_report: Callable[[AnyUser, Model], bool] | None = None
    label: str = ""

    def may_report(self, user: AnyUser, target: Model) -> bool:
        if self.can_report is not None:
            return self.can_report(user, target)
        return _anyone_but_the_author(user, target, self.describe(target))


@dataclass(frozen=True)
class ModerationScope:
    key: str
    model: type[Model]
    moderators: Callable[[Model], QuerySet]
    moderated_by: Callable[[User], Iterable[int]]
    # The cache kinds (core/versions.py) bumped when the scope's moderators change: the header keeps whether a
    # member has a moderation queue until one of them (or the member's rights) changes.
    kinds: tuple[str, ...] = ()


REPORTABLE: ExtensionPoint[ReportableKind] = ExtensionPoint(
    "moderation.reportable_kinds", "What members can report to the moderators, and what moderators then do.")
SCOPES: ExtensionPoint[ModerationScope] = ExtensionPoint(
    "moderation.scopes", "Places with moderators of their own (forum categories, ...).")


def register_reportable(key: str, model: type[Model], *, describe: Callable[[Model], ReportContext],
                        actions: Mapping[str, ReportAction],
                        can_report: Callable[[AnyUser, Model], bool] | None = None) -> ReportableKind:
    """Let members report `model` instances; `actions` maps an action's name to what it does."""
    return REPORTABLE.register(key, ReportableKind(key=key, model=model, describe=describe, actions=dict(actions),
                                                   can_report=can_report, label=model._meta.verbose_name))


def register_scope(key: str, model: type[Model], *, moderators: Callable[[Model], QuerySet],
                   moderated_by: Callable[[User], Iterable[int]], kinds: tuple[str, ...] = ()) -> ModerationScope:
    return SCOPES.register(key, ModerationScope(key=key, model=model, moderators=moderators,
                                                moderated_by=moderated_by, kinds=kinds))


def kind_for(model: type[Model]) -> ReportableKind | None:
    return next((kind for kind in REPORTABLE if kind.model is model), None)


def scope_for(model: type[Model]) -> ModerationScope | None:
    return next((scope for scope in SCOPES if scope.model is model), None)


@dataclass(frozen=True)
class AwaitingApproval:
    """Something waiting for a moderator's yes or no (held forum posts, submitted practices): what the
    moderator's header badge and dashboard count. `count(user)` counts what `user` may decide (0 if none)."""

    label: str
    url_name: str
    count: Callable[[User], int]


AWAITING_APPROVAL: ExtensionPoint[AwaitingApproval] = ExtensionPoint(
    "moderation.awaiting_approval", "What waits for a moderator's approval, counted per moderator.")
