"""Moderation reads: who the moderators are, the queue a moderator sees, and the moderation log."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import AnyUser
from moderation.models import ModerationLogEntry, Report
from moderation.permissions import can_use_moderation_queue, is_global_moderator
from moderation.registry import AWAITING_APPROVAL, SCOPES, scope_for


def global_moderators_q(prefix: str = "") -> Q:
    """The global moderators, as a filter on users (`prefix` to reach users through a relation):
    the same rule as moderation.permissions.is_global_moderator, in one query."""
    return (Q(**{f"{prefix}is_superuser": True})
            | Q(**{f"{prefix}groups__permissions__codename": "moderate",
                   f"{prefix}groups__permissions__content_type__app_label": "accounts"})
            | Q(**{f"{prefix}user_permissions__codename": "moderate",
                   f"{prefix}user_permissions__content_type__app_label": "accounts"}))


def global_moderators() -> QuerySet[User]:
    return User.objects.filter(pk__in=User.objects.filter(global_moderators_q(), is_active=True).values("pk"))


def moderators_of(scope=None) -> QuerySet[User]:
    """The global moderators, and the scope's own moderators when there is a scope."""
    ids = User.objects.filter(global_moderators_q()).values("pk")
    condition = Q(pk__in=ids)
    registered = scope_for(type(scope)) if scope is not None else None
    if registered is not None:
        condition |= Q(pk__in=registered.moderators(scope).values("pk"))
    return User.objects.filter(condition, is_active=True)


def _own_scopes_q(user: AnyUser) -> Q:
    """Rows (reports, log entries) in the scopes `user` moderates as a scope moderator."""
    condition = Q(pk__in=[])
    for scope in SCOPES:
        ids = list(scope.moderated_by(user))
        if ids:
            condition |= Q(scope_type=ContentType.objects.get_for_model(scope.model), scope_id__in=ids)
    return condition


def open_reports_for(user: AnyUser) -> QuerySet[Report]:
    """Open reports the user may resolve: every one for global moderators, their scopes' otherwise."""
    reports = Report.objects.filter(status=Report.Status.OPEN).select_related("reporter", "target_type")
    if is_global_moderator(user):
        return reports
    return reports.filter(_own_scopes_q(user))


def report_for_page(pk: int) -> Report | None:
    return Report.objects.select_related("reporter", "target_type", "scope_type").filter(pk=pk).first()


def other_open_reports(report: Report) -> QuerySet[Report]:
    return (Report.objects.filter(target_type=report.target_type, target_id=report.target_id,
                                  status=Report.Status.OPEN).exclude(pk=report.pk).select_related("reporter"))


def moderation_log(*, action: str = "", moderator_id: int | None = None, scope: str = "",
                   member_id: int | None = None) -> QuerySet[ModerationLogEntry]:
    """The log, newest first; `scope` is "<content type id>:<id>" as scope_choices gives it."""
    entries = ModerationLogEntry.objects.select_related("moderator", "member")
    if action:
        entries = entries.filter(action=action)
    if moderator_id:
        entries = entries.filter(moderator_id=moderator_id)
    if scope:
        type_id, _, scope_id = scope.partition(":")
        entries = entries.filter(scope_type_id=type_id, scope_id=scope_id)
    if member_id:
        entries = entries.filter(member_id=member_id)
    return entries


def log_for_member(member: User, limit: int = 20) -> QuerySet[ModerationLogEntry]:
    return moderation_log(member_id=member.pk)[:limit]


def log_actions() -> QuerySet:
    return ModerationLogEntry.objects.order_by("action").values_list("action", flat=True).distinct()


def log_moderators() -> QuerySet[User]:
    return User.objects.filter(pk__in=ModerationLogEntry.objects.values("moderator_id")).order_by("full_name")


def log_scopes() -> list[tuple[str, str]]:
    """The scopes the log can be filtered by, as (value, label): those that appear in it."""
    rows = (ModerationLogEntry.objects.filter(scope_type__isnull=False).values_list("scope_type_id", "scope_id",
                                                                                     "scope_label")
            .order_by("scope_label").distinct())
    seen: dict[str, str] = {}
    for type_id, scope_id, label in rows:
        seen.setdefault(f"{type_id}:{scope_id}", label)
    return sorted(seen.items(), key=lambda item: item[1])


@dataclass(frozen=True)
class Waiting:
    label: str
    url_name: str
    count: int


@dataclass(frozen=True)
class QueueCounts:
    """What waits for this moderator: open reports, and each kind of approval the apps registered."""

    reports: int
    approvals: list[Waiting]

    @property
    def awaiting_approval(self) -> int:
        return sum(waiting.count for waiting in self.approvals)

    @property
    def total(self) -> int:
        return self.reports + self.awaiting_approval


def header_queue_counts(user: AnyUser) -> QueueCounts | None:
    """queue_counts for the header of every page. Whether the member has a queue at all comes from their rights
    kept per member (moderation.permissions: one cache round trip, shared with every other question the page asks
    about what they moderate), so a member who moderates nothing pays no query; a moderator's counts are read
    afresh."""
    if not user.is_authenticated:
        return None
    return queue_counts(user)


def queue_counts(user: AnyUser) -> QueueCounts | None:
    """None for anyone without a moderation queue; one count query per kind otherwise."""
    if not can_use_moderation_queue(user):
        return None
    return QueueCounts(reports=open_reports_for(user).count(),
                       approvals=[Waiting(str(kind.label), kind.url_name, kind.count(user))
                                  for kind in AWAITING_APPROVAL])
