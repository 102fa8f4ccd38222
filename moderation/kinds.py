"""Profiles and organisations (the accounts layer, below moderation) as reportable kinds. Members report
a profile or an organisation's page; moderators warn the member (the organisation's founder) or dismiss,
and act on the account from the member page when it takes more."""

from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.permissions import AnyUser, can_view_organisation, can_view_profile
from core.extensions import PAGE_SECTIONS, Section
from moderation import selectors
from moderation.registry import ReportContext, register_reportable


def describe_profile(user: User) -> ReportContext:
    text = "\n".join(part for part in (user.full_name, user.job_title, user.bio) if part)
    return ReportContext(excerpt=Truncator(text).chars(1000), author=user, url=user.get_absolute_url(),
                         # Translators: what was reported: "Report the profile of Amina Haddad to the moderators".
                         where=_("the profile of %(name)s") % {"name": user.full_name})


def can_report_profile(viewer: AnyUser, user: User) -> bool:
    return viewer.pk != user.pk and can_view_profile(viewer, user)


def describe_organisation(organisation: Organisation) -> ReportContext:
    text = f"{organisation.name}\n{organisation.description}".strip()
    return ReportContext(excerpt=Truncator(text).chars(1000), author=organisation.created_by,
                         url=organisation.get_absolute_url(),
                         where=_("the page of %(name)s") % {"name": organisation.name})


def can_report_organisation(viewer: AnyUser, organisation: Organisation) -> bool:
    return can_view_organisation(viewer, organisation)


def _dashboard_queue(request: HttpRequest, obj: None) -> dict | None:
    queue = selectors.header_queue_counts(request.user)  # as the header's: kept "no queue" for most members
    return None if queue is None else {"queue": queue}


def register() -> None:
    PAGE_SECTIONS.register("moderation.dashboard_queue", Section(
        slot="dashboard_aside", template="moderation/_dashboard_queue.html", context=_dashboard_queue))
    register_reportable("accounts.profile", User, describe=describe_profile, actions={},
                        can_report=can_report_profile)
    register_reportable("accounts.organisation", Organisation, describe=describe_organisation, actions={},
                        can_report=can_report_organisation)
