"""The moderators' pages (the queue, a report, the log, a member's account) and the generic report form
for every reportable kind that has no page of its own for it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import run_service
from moderation import forms, permissions, selectors, services
from moderation.models import ModerationLogEntry
from moderation.registry import REPORTABLE


def _data(request: HttpRequest):
    """The submitted data on POST (even when empty, so the form is bound and validated), else None."""
    return request.POST if request.method == "POST" else None


def _require_queue(request: HttpRequest) -> None:
    if not permissions.can_use_moderation_queue(request.user):
        raise PermissionDenied(_("Only moderators can open the moderation queue."))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_queue(request)
    return render(request, "moderation/queue.html", {"reports": selectors.open_reports_for(request.user)})


@login_required
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _require_queue(request)
    report = selectors.report_for_page(pk)
    if report is None or not services.can_resolve_report(request.user, report):
        raise Http404(_("No such report."))
    actions = services.report_actions(report)
    target = report.target
    initial = {"body": getattr(target, "body", "")} if any(a.needs_body for a in actions.values()) else {}
    form = forms.ResolveReportForm(_data(request), actions=actions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resolved = run_service(form, lambda: services.resolve_report(
            moderator=request.user, report=report, action=data["action"], reason=data["reason"],
            message=data["message"], body=data.get("body", "")))
        if resolved is not None:
            messages.success(request, _("Report resolved: %(action)s.") % {"action": actions[data["action"]].label})
            return redirect("moderation:queue")
    return render(request, "moderation/report_resolve.html", {
        "report": report, "form": form, "others": selectors.other_open_reports(report)})


@login_required
def member(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_moderate_members(request.user):
        raise PermissionDenied(_("Only global moderators act on members' accounts."))
    member = User.objects.filter(pk=pk, is_active=True).first()
    if member is None:
        raise Http404("No such member.")
    form = forms.MemberActionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action, reason, moderator = data["action"], data["reason"], request.user
        calls = {
            "warn": lambda: services.warn_member(moderator=moderator, member=member, reason=reason),
            "silence": lambda: services.silence_member(moderator=moderator, member=member, until=data["until"],
                                                       reason=reason),
            "suspend": lambda: services.suspend_member(moderator=moderator, member=member, until=data["until"],
                                                       reason=reason),
            "unsilence": lambda: services.unsilence_member(moderator=moderator, member=member, reason=reason),
            "unsuspend": lambda: services.unsuspend_member(moderator=moderator, member=member, reason=reason),
        }
        if run_service(form, calls[action]) is not None:
            messages.success(request, _("Done: %(action)s — %(name)s.") % {
                "action": dict(form.ACTIONS)[action], "name": member.full_name})
            return redirect("moderation:member", member.pk)
    return render(request, "moderation/member.html", {
        "member": member, "form": form, "entries": selectors.log_for_member(member)})


@login_required
def log(request: HttpRequest) -> HttpResponse:
    _require_queue(request)
    form = forms.LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.moderation_log(
        action=filters.get("action") or "", moderator_id=filters.get("moderator"),
        scope=filters.get("scope") or "", member_id=filters.get("member"))
    query = {k: v for k, v in (filters or {}).items() if v}
    return render(request, "moderation/log.html", {
        "form": form,
        "page": Paginator(entries, 50).get_page(request.GET.get("page")),
        "query_string": urlencode(query),
        "actions": [(action, ModerationLogEntry.label_for(action)) for action in selectors.log_actions()],
        "moderators": selectors.log_moderators(),
        "scopes": selectors.log_scopes(),
        "filters": filters,
    })


@login_required
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Report a practice, an event, a profile, an organisation, ... to the moderators."""
    registered = REPORTABLE.get(kind)
    target = registered.model._default_manager.filter(pk=pk).first() if registered is not None else None
    if target is None:
        raise Http404("Nothing to report here.")
    return report_page(request, kind=kind, target=target)


def report_page(request: HttpRequest, *, kind: str, target: Model) -> HttpResponse:
    """The one report form, for a target of a registered kind. Forums and chat keep their own addresses for
    reporting a post or a message (their pages link there) and hand the request here once they have found
    the target the member may see."""
    registered = REPORTABLE[kind]
    if not services.can_report(request.user, target):
        raise PermissionDenied(_("You cannot report this."))
    context = registered.describe(target)
    back = request.POST.get("next") or request.GET.get("next") or context.url
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = context.url
    form = forms.ReportForm(_data(request))
    if request.method == "POST" and form.is_valid() and run_service(form, lambda: services.file_report(
            reporter=request.user, target=target, reason=form.cleaned_data["reason"])):
        messages.success(request, _("Thank you: the moderators will look at it and tell you the outcome."))
        return redirect(back or "core:home")
    return render(request, "moderation/report_form.html", {
        "form": form, "context": context, "kind": registered, "back": back}, status=400 if form.errors else 200)


def old_address(request: HttpRequest, **kwargs) -> HttpResponse:
    """The moderation pages lived under /forums/moderation/; their old addresses lead to the new ones."""
    name = request.resolver_match.url_name.removeprefix("old-")
    target = redirect(f"moderation:{name}", permanent=True, **kwargs)
    if request.GET:
        target["Location"] += "?" + request.GET.urlencode()
    return target
