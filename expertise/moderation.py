"""Requests for support as a reportable kind (moderation.registry): members report one to the moderators'
queue, who hide it (its organisation is told why), warn its author or dismiss the report."""

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from expertise import permissions, services
from expertise.models import SupportRequest
from moderation.registry import ReportAction, ReportContext, register_reportable


def describe_request(request: SupportRequest) -> ReportContext:
    return ReportContext(excerpt=Truncator(f"{request.title}\n{request.needs}").chars(1000), author=request.author,
                         url=request.get_absolute_url(),
                         where=_("the request for support “%(title)s”") % {"title": request.title})


def _hide(*, moderator: User, target: SupportRequest, reason: str, **extra) -> None:
    services.hide_request(moderator=moderator, request=target, reason=reason or _("Reported to the moderators."))


def register() -> None:
    register_reportable("expertise.request", SupportRequest, describe=describe_request,
                        can_report=permissions.can_report,
                        actions={"hide": ReportAction(gettext_lazy("Hide the request"), _hide,
                                                      outcome=gettext_lazy("A moderator has hidden the request."))})
