"""Every moderation write: the moderation log, filing and resolving reports, and sanctions on members
(warn, silence, suspend, with the notices the member receives).

Rules that hold wherever a write comes from (page, API, admin, another app):
- anything registered in moderation.registry can be reported, once per member while the report is open,
  within the rate limit; the report keeps a snapshot of what was reported;
- a report is resolved by a global moderator or a moderator of its scope, with one of its kind's actions,
  and every other open report of the same target is resolved with it; each reporter is told the outcome;
- silencing and suspending are for global moderators, never on one's own account, until a moment in
  the future; the member is told why;
- every moderator action is written to the moderation log, in the same transaction.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import audit
from core.ratelimit import Rate, consume
from core.services import notify, notify_many
from core.text import clean_text
from moderation import selectors
from moderation.models import ModerationLogEntry, Report
from moderation.permissions import can_moderate_members, is_global_moderator, is_moderator
from moderation.registry import ReportAction, ReportContext, kind_for

REPORT_RATE = Rate(limit=20, period=3600)


# --- The log ------------------------------------------------------------------------------------


def log_moderation_action(*, moderator: User, action: str, target: Model | None, label: str, url: str = "",
                          member: User | None = None, scope: Model | None = None, reason: str = "",
                          details: dict | None = None) -> ModerationLogEntry:
    """Write one moderation log entry, and its row in the platform's audit log; every app calls it for its
    own moderator actions, inside the transaction of the action."""
    entry = ModerationLogEntry.objects.create(
        moderator=moderator, action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_label=Truncator(label).chars(300), target_url=url[:500], member=member,
        scope_type=ContentType.objects.get_for_model(scope) if scope is not None else None,
        scope_id=scope.pk if scope is not None else None,
        scope_label=Truncator(str(scope)).chars(200) if scope is not None else "",
        reason=reason[:1000], details=details or {},
    )
    audit.record(actor=moderator, action=f"moderation.{action}", target=target, label=label,
                 details={"moderation_log_entry": entry.pk, "member": member.pk if member else None})
    return entry


# --- Reports ------------------------------------------------------------------------------------


def _warn(*, moderator: User, target: Model, reason: str, **extra) -> None:
    author = kind_for(type(target)).describe(target).author
    if author is not None:
        warn_member(moderator=moderator, member=author, reason=reason, about=target)


def _dismiss(*, moderator: User, target: Model, reason: str, **extra) -> None:
    """No change to the content; resolving the report logs the dismissal."""


WARN = ReportAction(gettext_lazy("Warn the author"), _warn, outcome=gettext_lazy("A moderator has warned the author."))
DISMISS = ReportAction(gettext_lazy("Dismiss: no action needed"), _dismiss,
                       outcome=gettext_lazy("A moderator has reviewed it and found no rule broken."))


def can_report(user: User, target: Model) -> bool:
    kind = kind_for(type(target))
    return (kind is not None and user.is_authenticated and user.is_active and kind.may_report(user, target))


@transaction.atomic
def file_report(*, reporter: User, target: Model, reason: str) -> Report:
    """Report anything registered in moderation.registry to the moderators, with a snapshot of its context."""
    kind = kind_for(type(target))
    if kind is None:
        raise ValueError(f"{type(target).__name__} is not a reportable kind.")
    if not reporter.is_authenticated or not reporter.is_active:
        raise PermissionDenied(_("Log in to report."))
    if not kind.may_report(reporter, target):
        # Translators: kind is what the member tried to report, e.g. "message", "good practice".
        raise PermissionDenied(_("You cannot report this: %(kind)s.") % {"kind": kind.label})
    reason = clean_text(reason, field="reason", max_length=1000, label="reason")
    content_type = ContentType.objects.get_for_model(target)
    if Report.objects.filter(reporter=reporter, target_type=content_type, target_id=target.pk,
                             status=Report.Status.OPEN).exists():
        raise ValidationError({"reason": [_("You have already reported this; moderators will look at it.")]})
    consume(action="reports", key=reporter.pk, rate=REPORT_RATE)
    context: ReportContext = kind.describe(target)
    report = Report.objects.create(
        target_type=content_type, target_id=target.pk, reporter=reporter, reason=reason,
        scope_type=ContentType.objects.get_for_model(context.scope) if context.scope is not None else None,
        scope_id=context.scope.pk if context.scope is not None else None,
        context={"excerpt": Truncator(context.excerpt).chars(1000), "url": context.url, "where": context.where,
                 "author": context.author.full_name if context.author else "",
                 "author_id": context.author.pk if context.author else None,
                 "kind": str(kind.label), "scope": str(context.scope) if context.scope is not None else ""},
    )
    notify_many(recipients=selectors.moderators_of(context.scope), kind="moderation.report",
                params={"where": context.where}, url=reverse("moderation:queue"), email=False)
    return report


@transaction.atomic
def move_reports_to_scope(*, model: type[Model], target_ids: list[int], scope: Model) -> int:
    """Reports follow their content to another scope (a post moved to another category), so that
    scope's moderators see them."""
    return Report.objects.filter(target_type=ContentType.objects.get_for_model(model),
                                 target_id__in=target_ids).update(
        scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk)


def _report_scope(report: Report) -> Model | None:
    if report.scope_type_id is None:
        return None
    return report.scope


def can_resolve_report(user: User, report: Report) -> bool:
    """Global moderators resolve every report; a scope's moderators the reports in their scope."""
    return is_moderator(user, _report_scope(report))


def report_actions(report: Report) -> dict[str, ReportAction]:
    """The actions that apply to a report's target; only dismissal once the target is gone."""
    kind = kind_for(report.target_type.model_class())
    if kind is None or report.target is None:
        return {"dismiss": DISMISS}
    return {**kind.actions, "warn": WARN, "dismiss": DISMISS}


@transaction.atomic
def resolve_report(*, moderator: User, report: Report, action: str, reason: str = "", message: str = "",
                   body: str = "") -> Report:
    """Resolve an open report with one of its target's actions; the reporter is told the outcome.

    Other open reports of the same target are resolved with it, and their reporters told too.
    """
    report = Report.objects.select_for_update().select_related("target_type").get(pk=report.pk)
    if report.status != Report.Status.OPEN:
        raise ValidationError({"action": [_("This report is already resolved.")]})
    if not can_resolve_report(moderator, report):
        raise PermissionDenied(_("You cannot resolve this report."))
    actions = report_actions(report)
    if action not in actions:
        # Translators: actions are codes (hide, delete, warn, dismiss), not translated.
        raise ValidationError({"action": [_("Choose one of: %(actions)s.") % {"actions": ", ".join(actions)}]})
    chosen = actions[action]
    reason = reason.strip()[:1000]
    if action != "dismiss" and not reason:
        raise ValidationError({"reason": [_("Say why: the log and the member see it.")]})
    if chosen.needs_body and not body.strip():
        raise ValidationError({"body": [_("Enter the new text.")]})
    target = report.target
    if target is not None:
        chosen.apply(moderator=moderator, target=target, reason=reason or _("Report dismissed"), body=body)
    outcome = message.strip()[:1000] or str(chosen.outcome)
    now = timezone.now()
    same_target = Report.objects.select_for_update().filter(
        target_type=report.target_type, target_id=report.target_id, status=Report.Status.OPEN)
    reporters = [r.reporter for r in same_target.select_related("reporter")]
    same_target.update(status=Report.Status.RESOLVED, resolved_at=now, resolved_by=moderator, resolution=action,
                       outcome_message=outcome)
    log_moderation_action(moderator=moderator, action=f"report_{action}", target=target,
                          # Translators: the log's line for a resolved report, e.g. "Report 7: a post in “Housing”".
                          label=_("Report %(number)s: %(where)s") % {
                              "number": report.pk, "where": report.context.get("where", "")},
                          url=report.context.get("url", ""),
                          member=User.objects.filter(pk=report.context.get("author_id")).first(),
                          scope=_report_scope(report), reason=reason,
                          details={"report": report.pk, "reports_resolved": len(reporters)})
    reported_kind = kind_for(report.target_type.model_class())
    # The outcome is worded when each reporter reads it, in their language; what the moderator wrote, as is.
    notify_many(recipients=reporters, kind="moderation.report_outcome", actor=moderator,
                params={"where": report.context.get("where", ""), "message": message.strip()[:1000],
                        "kind": reported_kind.key if reported_kind is not None else "", "action": action},
                url=report.context.get("url", ""))
    report.refresh_from_db()
    return report


# --- Sanctions on members ---------------------------------------------------------------------------


def _require_member_moderator(moderator: User) -> None:
    if not can_moderate_members(moderator):
        raise PermissionDenied(_("Only global moderators can act on members' accounts."))


def _check_period(until: datetime, member: User, moderator: User) -> None:
    if until <= timezone.now():
        raise ValidationError({"until": [_("Choose a moment in the future.")]})
    if member.pk == moderator.pk:
        raise ValidationError({"member": [_("You cannot act on your own account.")]})


@transaction.atomic
def warn_member(*, moderator: User, member: User, reason: str, about: Model | None = None) -> ModerationLogEntry:
    """Tell a member a rule was broken; they see the reason. A scope's moderators warn about content in
    their scope; global moderators about anything."""
    kind = kind_for(type(about)) if about is not None else None
    context = kind.describe(about) if kind is not None else None
    scope = context.scope if context is not None else None
    if not is_global_moderator(moderator) and not (scope is not None and is_moderator(moderator, scope)):
        raise PermissionDenied(_("Only moderators warn members."))
    reason = clean_text(reason, field="reason", max_length=1000, label="reason")
    label = context.where[:1].upper() + context.where[1:] if context is not None else str(member)
    url = context.url if context is not None else ""
    entry = log_moderation_action(moderator=moderator, action="warn_member", target=about or member, label=label,
                                  url=url, member=member, scope=scope, reason=reason)
    notify(recipient=member, kind="moderation.warning", actor=moderator, url=url, params={"reason": reason})
    return entry


def _impose(*, moderator: User, member: User, sanction: str, until: datetime | None, reason: str) -> User:
    """Set (or, with until=None, lift) a sanction: `sanction` names the member's `<x>_until` and reason
    fields; logged as `<sanction>_member` or `un<sanction>_member`."""
    _require_member_moderator(moderator)
    until_field, reason_field = SANCTION_FIELDS[sanction]
    if until is not None:
        _check_period(until, member, moderator)
        reason = clean_text(reason, field="reason", max_length=500, label="reason")
    User.objects.filter(pk=member.pk).update(**{until_field: until, reason_field: reason if until else ""})
    setattr(member, until_field, until)
    setattr(member, reason_field, reason if until else "")
    log_moderation_action(moderator=moderator, action=f"{sanction}_member" if until else f"un{sanction}_member",
                          target=member, label=str(member), url=member.get_absolute_url(), member=member,
                          reason=reason, details={"until": until.isoformat()} if until else None)
    notice = SANCTION_NOTICES[sanction][until is not None]
    if notice:
        notify(recipient=member, kind=notice, actor=moderator,
               params={"until": until.isoformat(), "reason": reason} if until else None)
    return member


SANCTION_FIELDS = {"silence": ("silenced_until", "silence_reason"),
                   "suspend": ("suspended_until", "suspension_reason")}
# The notice a member gets when a sanction is (True) imposed or (False) lifted; a lifted suspension has none.
SANCTION_NOTICES = {"silence": {True: "moderation.silenced", False: "moderation.unsilenced"},
                    "suspend": {True: "moderation.suspended", False: ""}}


@transaction.atomic
def silence_member(*, moderator: User, member: User, until: datetime, reason: str) -> User:
    """No posting in forums or messaging until `until`; the member sees the reason."""
    return _impose(moderator=moderator, member=member, sanction="silence", until=until, reason=reason)


@transaction.atomic
def unsilence_member(*, moderator: User, member: User, reason: str = "") -> User:
    return _impose(moderator=moderator, member=member, sanction="silence", until=None, reason=reason)


@transaction.atomic
def suspend_member(*, moderator: User, member: User, until: datetime, reason: str) -> User:
    """No log-in until `until`; the member sees the reason on the log-in page (accounts enforces it)."""
    return _impose(moderator=moderator, member=member, sanction="suspend", until=until, reason=reason)


@transaction.atomic
def unsuspend_member(*, moderator: User, member: User, reason: str = "") -> User:
    return _impose(moderator=moderator, member=member, sanction="suspend", until=None, reason=reason)
