"""Published practices as a reportable kind: members report one; a moderator withdraws it to its author
(the same return the review queue uses, logged in the moderation log), warns the author, or dismisses."""

from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import AnyUser
from directory import permissions, selectors, services
from directory.models import Practice
from moderation.registry import AWAITING_APPROVAL, AwaitingApproval, ReportAction, ReportContext, register_reportable
from moderation.services import log_moderation_action


def describe_practice(practice: Practice) -> ReportContext:
    return ReportContext(excerpt=Truncator(f"{practice.title}\n{practice.summary}").chars(1000),
                         author=practice.author, url=practice.get_absolute_url(),
                         # Translators: completes "Report … to the moderators" and "New report: …".
                         where=gettext("the practice “%(title)s”") % {"title": practice.title})


def can_report_practice(user: AnyUser, practice: Practice) -> bool:
    return practice.is_published and user.pk != practice.author_id


def _withdraw(*, moderator: User, target: Practice, reason: str, **extra) -> None:
    services.return_practice(actor=moderator, practice=target, reason=reason)
    log_moderation_action(moderator=moderator, action="withdraw_practice", target=target,
                          label=gettext("Practice “%(title)s”") % {"title": target.title},
                          url=target.get_absolute_url(), member=target.author,
                          reason=reason)


def _practices_to_review(user: User) -> int:
    return selectors.practices_awaiting_review().count() if permissions.can_review_practices(user) else 0


def register() -> None:
    AWAITING_APPROVAL.register("directory.practices", AwaitingApproval(
        _("Practices awaiting review"), "directory:review-queue", _practices_to_review))
    register_reportable("directory.practice", Practice, describe=describe_practice, can_report=can_report_practice,
                        actions={"withdraw": ReportAction(_("Withdraw it to its author"), _withdraw,
                                                          outcome=_("A moderator has withdrawn the practice."))})
