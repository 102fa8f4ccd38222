"""The expertise exchange's pages: thin views that validate, call a service or selector, and render."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import REFUSALS, apply_to_form, describe, run_action
from core.models import PolicyArea
from core.pagecache import cache_for_visitors
from core.ratelimit import check_posting_rate
from core.uploads import CONTENT_TYPES, download_name
from expertise import permissions, selectors, services
from expertise.forms import (
    DeclineForm,
    FollowForm,
    InviteForm,
    OfferForm,
    OutcomeForm,
    ReasonForm,
    RequestForm,
)
from expertise.models import Offer, RequestAttachment, SupportRequest

PAGE_SIZE = 20


def _request_or_404(request: HttpRequest, slug: str) -> SupportRequest:
    support = selectors.request_for_page(slug).first()
    if support is None or not permissions.can_view(request.user, support):
        if support is not None and not request.user.is_authenticated and support.status != "draft" \
                and not support.hidden:
            raise PermissionDenied(_("Sign in to see this request: it is for members."))
        raise Http404(_("No such request."))
    return support


@cache_for_visitors("expertise.request", "accounts.organisation", "core.taxonomy")
def request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.request_list(request.user, request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "expertise/request_list.html", {
        "page": page, "q": selectors.query_text(request.GET), "query_string": query.urlencode(),
        "kinds": SupportRequest.Kind.choices, "statuses": SupportRequest.Status.choices,
        "areas": PolicyArea.objects.all(),
        "chosen": {key: request.GET.get(key, "") for key in ("kind", "status", "area", "topic", "country",
                                                            "helped_by", "organisation")},
        "can_request": request.user.is_authenticated and bool(permissions.organisation_ids(request.user)),
    })


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, request.FILES or None, user=request.user, creating=True)
    if not form.fields["organisation"].queryset.exists():
        messages.info(request, _("Join an organisation first: requests are made on behalf of an organisation."))
    if request.method == "POST" and form.is_valid():
        try:
            check_posting_rate(user=request.user, what="support-requests")
            support = services.create_request(author=request.user, organisation=form.cleaned_data["organisation"],
                                              publish="publish" in request.POST,
                                              attachments=form.cleaned_data["attachments"],
                                              **form.relations(), **form.request_fields())
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Your request is published: peers can now offer help.")
                             if support.status == "open" else
                             _("Your draft is saved. Publish it when it is ready."))
            return redirect(support)
    return render(request, "expertise/request_form.html", {"form": form, "creating": True})


@login_required
def request_edit(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    if not permissions.can_manage(request.user, support):
        raise PermissionDenied(_("Only members of the requesting organisation edit it."))
    initial = {"policy_areas": support.policy_areas.all(), "topics": support.topics.all()}
    form = RequestForm(request.POST or None, instance=support, initial=initial, user=request.user, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            support = services.update_request(actor=request.user, request=support, **form.relations(),
                                              **form.request_fields())
            if "publish" in request.POST and support.status == "draft":
                support = services.publish_request(actor=request.user, request=support)
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(support)
    return render(request, "expertise/request_form.html", {"form": form, "support": support})


@cache_for_visitors("expertise.request", "accounts.organisation", "core.taxonomy")
def request_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        support = _request_or_404(request, slug)
    except PermissionDenied:  # a members' request: a visitor signs in and comes back
        return redirect_to_login(request.get_full_path())
    user = request.user
    can_manage = permissions.can_manage(user, support)
    offers = list(selectors.offers_for(support, user))
    suggestions = []
    if support.status in selectors.LIVE and not support.hidden:
        suggestions = selectors.suggestions_for(support)
    outcome = getattr(support, "outcome", None) if support.status == "completed" else None
    offer_form = OfferForm(user=user, request=support) if permissions.can_offer(user, support) else None
    if offer_form is not None and not offer_form.fields["organisation"].queryset.exists():
        offer_form = None  # each of the member's organisations has offered already
    return render(request, "expertise/request_detail.html", {
        "support": support, "can_manage": can_manage, "offers": offers,
        "helpers": selectors.public_offer_events(support),
        "history": selectors.timeline(support, offers),
        "offers_received": None if can_manage else selectors.offer_count(support),
        "suggestions": suggestions, "outcome": outcome,
        "offer_form": offer_form,
        "decline_form": DeclineForm(), "reason_form": ReasonForm(),
        "can_hide": permissions.can_hide(user), "can_report": permissions.can_report(user, support),
        "in_conversation": bool(support.conversation_url) and (
            can_manage or any(o.author_id == user.pk and o.status == "accepted" for o in offers)),
    })


def _post_action(request: HttpRequest, support: SupportRequest, action, success: str) -> HttpResponse:
    run_action(request, action, success=success)
    return redirect(support)


@login_required
@require_POST
def request_publish(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    return _post_action(request, support, lambda: services.publish_request(actor=request.user, request=support),
                        _("Your request is published: peers can now offer help."))


@login_required
@require_POST
def request_status(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    to_status = request.POST.get("to", "")
    if to_status not in SupportRequest.Status.values:
        messages.error(request, _("Choose a state to move the request to."))
        return redirect(support)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _post_action(request, support, lambda: services.change_status(
        actor=request.user, request=support, to_status=to_status, reason=reason), _("The request's state is changed."))


@login_required
@require_POST
def request_hide(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    if not permissions.can_hide(request.user):
        raise PermissionDenied(_("Only moderators hide requests."))
    if "unhide" in request.POST:
        return _post_action(request, support, lambda: services.unhide_request(moderator=request.user,
                                                                              request=support),
                            _("The request is shown again."))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _post_action(request, support, lambda: services.hide_request(moderator=request.user, request=support,
                                                                        reason=reason),
                        _("The request is hidden; its organisation is told why."))


@login_required
@require_POST
def request_invite(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    if not permissions.can_manage(request.user, support):
        raise PermissionDenied(_("Only members of the requesting organisation invite peers."))
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a suggested organisation to invite."))
        return redirect(support)
    organisation = form.cleaned_data["organisation"]

    def invite() -> None:
        check_posting_rate(user=request.user, what="support-invitations")
        services.invite_peer(actor=request.user, request=support, organisation=organisation,
                             people=form.cleaned_data["people"], message=form.cleaned_data["message"])

    return _post_action(request, support, invite, _("%(organisation)s is invited to respond.")
                        % {"organisation": organisation.name})


@login_required
def offer_create(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    if not permissions.can_offer(request.user, support):
        raise PermissionDenied(_("Members of other organisations offer help while a request is open."))
    form = OfferForm(request.POST or None, user=request.user, request=support)
    if request.method == "POST" and form.is_valid():
        try:
            check_posting_rate(user=request.user, what="support-offers")
            services.make_offer(author=request.user, request=support, organisation=form.cleaned_data["organisation"],
                                proposal=form.cleaned_data["proposal"], timing=form.cleaned_data["timing"],
                                language=form.cleaned_data["language"])
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Your offer is sent. %(organisation)s will answer it.")
                             % {"organisation": support.organisation.name})
            return redirect(support)
    return render(request, "expertise/offer_form.html", {"form": form, "support": support})


def _offer_or_404(request: HttpRequest, pk: int) -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("request", "request__organisation", "organisation"),
                              pk=pk)
    if not permissions.can_see_offer(request.user, offer):
        raise Http404(_("No such offer."))
    return offer


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, then go to the group conversation the acceptance opened."""
    offer = _offer_or_404(request, pk)
    if not run_action(request, lambda: services.accept_offer(actor=request.user, offer=offer),
                      success=_("Offer accepted: here is the group conversation with the people involved.")):
        return redirect(offer.request)
    offer.request.refresh_from_db()
    return redirect(offer.request.conversation_url or offer.request)


@login_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_or_404(request, pk)
    form = DeclineForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _post_action(request, offer.request, lambda: services.decline_offer(actor=request.user, offer=offer,
                                                                               note=note),
                        _("The offer is declined; its author is thanked and told."))


@login_required
@require_POST
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_or_404(request, pk)
    return _post_action(request, offer.request, lambda: services.withdraw_offer(actor=request.user, offer=offer),
                        _("Your offer is withdrawn."))


@login_required
def request_complete(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    if not permissions.can_manage(request.user, support):
        raise PermissionDenied(_("Only members of the requesting organisation record the outcome."))
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_request(actor=request.user, request=support, **form.cleaned_data)
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("The outcome is recorded and the request completed."))
            return redirect(support)
    return render(request, "expertise/outcome_form.html", {"form": form, "support": support})


@login_required
@require_POST
def request_practice(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    try:
        url = services.draft_practice_from_outcome(actor=request.user, request=support)
    except REFUSALS as error:
        messages.error(request, describe(error))
        return redirect(support)
    messages.success(request, _("A draft good practice is made from the outcome. Complete it and submit it for "
                                "review."))
    return redirect(url)


@login_required
@require_POST
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    support = _request_or_404(request, slug)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return redirect(support)
    return _post_action(request, support, lambda: services.add_attachment(actor=request.user, request=support,
                                                                          upload=upload),
                        _("The document is attached."))


def attachment_download(request: HttpRequest, token: str) -> FileResponse:
    """An attachment as a download with its checked type, to those who may see the request."""
    attachment = get_object_or_404(RequestAttachment.objects.select_related("request"), token=token)
    if not permissions.can_view(request.user, attachment.request) or attachment.file_type not in CONTENT_TYPES:
        raise Http404(_("No such document."))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    response = FileResponse(handle, as_attachment=True, content_type=CONTENT_TYPES[attachment.file_type],
                            filename=download_name(PurePath(attachment.file_name).stem, attachment.file_type))
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def follows(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                services.unfollow(user=request.user, follow_id=int(request.POST.get("remove") or 0))
            except (ValueError, PermissionDenied):
                messages.error(request, _("You cannot remove this follow."))
            return redirect("expertise:follows")
        if form.is_valid():
            try:
                services.follow(user=request.user, organisation=form.cleaned_data["organisation"],
                                email=form.cleaned_data["email"], **form.followed())
            except REFUSALS as error:
                apply_to_form(form, error)
            else:
                messages.success(request, _("You will be told of new requests in it."))
                return redirect("expertise:follows")
    return render(request, "expertise/follows.html", {"form": form, "follows": selectors.follows_of(request.user)})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "expertise/mine.html", {
        "requests": selectors.my_requests(request.user)[:50], "offers": selectors.my_offers(request.user)[:50],
        "followed": selectors.followed_requests(request.user)[:20],
    })
