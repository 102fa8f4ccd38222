"""Every write to the expertise exchange: requests and their states, attachments, invitations, offers,
acceptance, outcomes and follows.

Rules that hold wherever a write comes from (page, API, admin, demo data):
- a request moves draft → open → matched → in progress → completed, or to closed from any live state;
  every move is logged with who, when, from, to and why, and any other move is refused;
- its organisation's active members manage it; moderators hide it;
- accepting an offer locks the request row, so two acceptances at once open one conversation: the
  first opens the group in chat, titled after the request, and later acceptances add their people to it;
- Markdown is rendered once, here; uploads are checked by content (core.uploads).

Other apps are reached only through core.extensions: chat opens the group, directory drafts the practice.
"""

import secrets
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Membership, Organisation, User
from core import versions
from core.extensions import call
from core.markdown import render_markdown
from core.models import PolicyArea, Topic
from core.services import UNCHANGED, Unchanged, given, notify, notify_many
from core.slugs import save_with_unique_slug
from core.tasks import enqueue
from core.taxonomy import set_taxonomy
from core.uploads import check_upload
from expertise import permissions
from expertise.models import (
    MAX_LANGUAGES,
    WORK_LANGUAGES,
    Follow,
    Invitation,
    Offer,
    Outcome,
    RequestAttachment,
    RequestTransition,
    SupportRequest,
)
from moderation.services import log_moderation_action

Status = SupportRequest.Status

# The state machine: where a request may go from each state. Completed and closed are final.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.OPEN},
    Status.OPEN: {Status.MATCHED, Status.CLOSED},
    Status.MATCHED: {Status.IN_PROGRESS, Status.COMPLETED, Status.CLOSED},
    Status.IN_PROGRESS: {Status.COMPLETED, Status.CLOSED},
    Status.COMPLETED: set(),
    Status.CLOSED: set(),
}
EDITABLE = (Status.DRAFT, Status.OPEN, Status.MATCHED, Status.IN_PROGRESS)
REQUEST_FIELDS = ["title", "needs", "kind", "country", "level", "city", "languages", "needed_by", "effort",
                  "visibility"]
MAX_ATTACHMENTS = 5

def _clean_languages(languages: Iterable[str]) -> list[str]:
    known = dict(WORK_LANGUAGES)
    codes = list(dict.fromkeys(str(code) for code in languages))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError({"languages": _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}})
    if not codes:
        raise ValidationError({"languages": _("Name at least one language of work.")})
    if len(codes) > MAX_LANGUAGES:
        raise ValidationError({"languages": ngettext("Name at most %(n)d language.", "Name at most %(n)d languages.",
                                                     MAX_LANGUAGES) % {"n": MAX_LANGUAGES}})
    return codes


def _apply_fields(request: SupportRequest, fields: dict) -> None:
    unknown = set(fields) - set(REQUEST_FIELDS)
    if unknown:
        raise ValueError(f"Not request fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(request, name, value)
    request.title = " ".join(str(request.title).split())
    request.city = " ".join(str(request.city).split())
    request.languages = _clean_languages(request.languages)
    request.needs_html = render_markdown(request.needs)


def _set_taxonomy(request: SupportRequest, policy_areas: Iterable[PolicyArea] | None,
                  topics: Iterable[Topic] | None) -> None:
    set_taxonomy(request, policy_areas, topics)
    if not request.policy_areas.exists():
        raise ValidationError({"policy_areas": _("Choose at least one policy area or sub-topic.")})


def _log(request: SupportRequest, actor: User | None, from_status: str, to_status: str, reason: str = "") -> None:
    RequestTransition.objects.create(request=request, actor=actor, from_status=from_status, to_status=to_status,
                                     reason=reason[:2000])


def _lock(request: SupportRequest) -> SupportRequest:
    """Lock the request row; every change of state or acceptance takes this lock first."""
    return SupportRequest.objects.select_for_update().get(pk=request.pk)


def _move(request: SupportRequest, actor: User | None, to_status: str, reason: str = "") -> SupportRequest:
    """Move a locked request to `to_status`, or refuse a move the state machine does not allow."""
    if to_status not in TRANSITIONS[request.status]:
        raise ValidationError(_("A request that is “%(from)s” cannot become “%(to)s”.") % {
            "from": request.get_status_display(), "to": Status(to_status).label})
    from_status = request.status
    request.status = to_status
    if to_status == Status.OPEN and request.published_at is None:
        request.published_at = timezone.now()
    request.save(update_fields=["status", "published_at", "updated_at"])
    _log(request, actor, from_status, to_status, reason)
    return request


def _check_manager(actor: User, request: SupportRequest) -> None:
    if not permissions.can_manage(actor, request):
        raise PermissionDenied(_("Only members of %(organisation)s manage this request.")
                               % {"organisation": request.organisation.name})


@versions.bumps("expertise.request")
@transaction.atomic
def create_request(*, author: User, organisation: Organisation, publish: bool = False,
                   title: str | Unchanged = UNCHANGED, needs: str | Unchanged = UNCHANGED,
                   kind: str | Unchanged = UNCHANGED, country: str | Unchanged = UNCHANGED,
                   level: str | Unchanged = UNCHANGED, city: str | Unchanged = UNCHANGED,
                   languages: Iterable[str] | Unchanged = UNCHANGED, needed_by: date | Unchanged | None = UNCHANGED,
                   effort: str | Unchanged = UNCHANGED, visibility: str | Unchanged = UNCHANGED,
                   policy_areas: Iterable[PolicyArea] = (), topics: Iterable[Topic] = (),
                   attachments: Iterable[UploadedFile] = ()) -> SupportRequest:
    """Write a request for one of the author's organisations, as a draft or published at once. A field left
    UNCHANGED takes the model's default (and a required one is refused by its validation)."""
    fields = given(title=title, needs=needs, kind=kind, country=country, level=level, city=city,
                   languages=languages, needed_by=needed_by, effort=effort, visibility=visibility)
    if not permissions.can_request_for(author, organisation):
        raise PermissionDenied(_("You can only ask for support on behalf of an organisation you belong to."))
    request = SupportRequest(author=author, organisation=organisation, status=Status.DRAFT)
    _apply_fields(request, fields)
    request.full_clean(exclude=["slug"])
    save_with_unique_slug(request, request.title, fallback="request")
    _set_taxonomy(request, policy_areas, topics)
    _log(request, author, "", Status.DRAFT)
    for upload in attachments:
        add_attachment(actor=author, request=request, upload=upload)
    if publish:
        request = publish_request(actor=author, request=request)
    return request


@versions.bumps("expertise.request")
@transaction.atomic
def update_request(*, actor: User, request: SupportRequest, title: str | Unchanged = UNCHANGED,
                   needs: str | Unchanged = UNCHANGED, kind: str | Unchanged = UNCHANGED,
                   country: str | Unchanged = UNCHANGED, level: str | Unchanged = UNCHANGED,
                   city: str | Unchanged = UNCHANGED, languages: Iterable[str] | Unchanged = UNCHANGED,
                   needed_by: date | Unchanged | None = UNCHANGED, effort: str | Unchanged = UNCHANGED,
                   visibility: str | Unchanged = UNCHANGED, policy_areas: Iterable[PolicyArea] | None = None,
                   topics: Iterable[Topic] | None = None) -> SupportRequest:
    """Edit a request that is not completed or closed: a field left UNCHANGED keeps its value, policy areas or
    topics left None keep theirs."""
    fields = given(title=title, needs=needs, kind=kind, country=country, level=level, city=city,
                   languages=languages, needed_by=needed_by, effort=effort, visibility=visibility)
    request = _lock(request)
    _check_manager(actor, request)
    if request.status not in EDITABLE:
        raise ValidationError(_("A completed or closed request cannot be edited."))
    _apply_fields(request, fields)
    request.full_clean(exclude=["slug"])
    request.save()
    _set_taxonomy(request, policy_areas, topics)
    return request


@versions.bumps("expertise.request")
@transaction.atomic
def publish_request(*, actor: User, request: SupportRequest) -> SupportRequest:
    """Open a draft to offers; members and organisations following its areas or topics are told."""
    request = _lock(request)
    _check_manager(actor, request)
    request = _move(request, actor, Status.OPEN)
    _tell_followers(request, actor)
    return request


def _tell_followers(request: SupportRequest, actor: User) -> None:
    """The followers of the request's areas and topics are told by a background job (expertise.tasks)."""
    from expertise.tasks import tell_followers

    enqueue(tell_followers, request_id=request.pk, actor_id=actor.pk)


@versions.bumps("expertise.request")
@transaction.atomic
def change_status(*, actor: User, request: SupportRequest, to_status: str, reason: str = "") -> SupportRequest:
    """Start the work (in progress) or close a request without outcome; completion goes through
    `complete_request` with its outcome, and matching through `accept_offer`."""
    request = _lock(request)
    _check_manager(actor, request)
    if to_status in (Status.COMPLETED, Status.MATCHED, Status.OPEN):
        raise ValidationError(_("Use the request's own action for this: publish, accept an offer, or record the "
                                "outcome."))
    if to_status == Status.CLOSED and not reason.strip():
        raise ValidationError({"reason": _("Say why the request is closed without an outcome.")})
    request = _move(request, actor, to_status, reason.strip())
    if to_status == Status.CLOSED:
        _tell_offerers(request, actor, Offer.Status.PENDING, "expertise.request_closed")
        Offer.objects.filter(request=request, status=Offer.Status.PENDING).update(
            status=Offer.Status.DECLINED, decided_by=actor, decided_at=timezone.now())
    return request


def _tell_offerers(request: SupportRequest, actor: User, status: str, kind: str) -> None:
    authors = User.objects.filter(support_offers__request=request, support_offers__status=status).distinct()
    notify_many(recipients=authors, kind=kind, params={"title": request.title}, url=request.get_absolute_url(),
                actor=actor)


@versions.bumps("expertise.request")
@transaction.atomic
def hide_request(*, moderator: User, request: SupportRequest, reason: str) -> SupportRequest:
    if not permissions.can_hide(moderator):
        raise PermissionDenied(_("Only moderators hide requests."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is hidden; its organisation is told.")})
    request = _lock(request)
    request.hidden, request.hidden_reason = True, reason.strip()[:500]
    request.save(update_fields=["hidden", "hidden_reason", "updated_at"])
    _log(request, moderator, request.status, request.status, _("Hidden by a moderator: %(reason)s")
         % {"reason": request.hidden_reason})
    log_moderation_action(moderator=moderator, action="hide_request", target=request, label=request.title,
                          url=request.get_absolute_url(), member=request.author, reason=request.hidden_reason)
    notify(recipient=request.author, kind="expertise.hidden", actor=moderator, url=request.get_absolute_url(),
           params={"title": request.title, "reason": request.hidden_reason})
    return request


@versions.bumps("expertise.request")
@transaction.atomic
def unhide_request(*, moderator: User, request: SupportRequest) -> SupportRequest:
    if not permissions.can_hide(moderator):
        raise PermissionDenied(_("Only moderators hide requests."))
    request = _lock(request)
    request.hidden, request.hidden_reason = False, ""
    request.save(update_fields=["hidden", "hidden_reason", "updated_at"])
    _log(request, moderator, request.status, request.status, _("Shown again by a moderator."))
    log_moderation_action(moderator=moderator, action="unhide_request", target=request, label=request.title,
                          url=request.get_absolute_url(), member=request.author)
    return request


@versions.bumps("expertise.request")
@transaction.atomic
def add_attachment(*, actor: User, request: SupportRequest, upload: UploadedFile) -> RequestAttachment:
    """Attach a PDF, DOCX or ODT, checked by its content; at most MAX_ATTACHMENTS a request."""
    _check_manager(actor, request)
    if request.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("A request has at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}})
    file_type = check_upload(upload)
    attachment = RequestAttachment(request=request, token=secrets.token_hex(16), file_type=file_type,
                                   file_name=(upload.name or "document")[-200:], file_size=upload.size,
                                   uploaded_by=actor)
    attachment.file.save(f"{attachment.token}.{file_type}", upload, save=False)
    attachment.save()
    return attachment


@versions.bumps("expertise.request")
@transaction.atomic
def remove_attachment(*, actor: User, attachment: RequestAttachment) -> None:
    _check_manager(actor, attachment.request)
    attachment.file.delete(save=False)
    attachment.delete()


@versions.bumps("expertise.request")
@transaction.atomic
def invite_peer(*, actor: User, request: SupportRequest, organisation: Organisation,
                people: Iterable[User] = (), message: str = "") -> Invitation:
    """Ask a peer organisation to respond: its named people (or else its administrators) are notified
    with the request attached."""
    _check_manager(actor, request)
    if request.status not in permissions.OFFERABLE or request.hidden:
        raise ValidationError(_("Invite peers once the request is published and while it takes offers."))
    if organisation.pk == request.organisation_id:
        raise ValidationError({"organisation": _("Invite another organisation than your own.")})
    if not organisation.verified:
        raise ValidationError({"organisation": _("Only verified organisations can be invited.")})
    message = " ".join(str(message).split())[:1000]
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(request=request, organisation=organisation, invited_by=actor,
                                                   message=message)
    except IntegrityError:
        raise ValidationError({"organisation": _("%(organisation)s is already invited.")
                               % {"organisation": organisation.name}}) from None
    members = Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE,
                                        user__is_active=True)
    named = list(User.objects.filter(pk__in=[p.pk for p in people],
                                     memberships__in=members).distinct())
    recipients = named or [m.user for m in members.filter(role=Membership.Role.ADMIN).select_related("user")]
    notify_many(recipients=recipients, kind="expertise.invitation", actor=actor, url=request.get_absolute_url(),
                params={"organisation": request.organisation.name, "title": request.title,
                        "message": message or request.needs[:500]})
    return invitation


@versions.bumps("expertise.request")
@transaction.atomic
def make_offer(*, author: User, request: SupportRequest, organisation: Organisation, proposal: str, timing: str,
               language: str) -> Offer:
    """Offer help on behalf of one of the author's organisations; the requesting organisation is told."""
    request = _lock(request)
    if not permissions.can_offer_for(author, request, organisation):
        raise PermissionDenied(_("You can offer help on behalf of an organisation you belong to, on a published "
                                 "request of another organisation."))
    offer = Offer(request=request, organisation=organisation, author=author, proposal=str(proposal),
                  proposal_html=render_markdown(str(proposal)), timing=" ".join(str(timing).split()),
                  language=language)
    offer.full_clean(exclude=["request", "organisation", "author"])
    if Offer.objects.filter(request=request, organisation=organisation,
                            status__in=[Offer.Status.PENDING, Offer.Status.ACCEPTED]).exists():
        raise ValidationError({"organisation": _("%(organisation)s has already offered help on this request.")
                               % {"organisation": organisation.name}})
    offer.save()
    managers = User.objects.filter(memberships__organisation_id=request.organisation_id,
                                   memberships__status=Membership.Status.ACTIVE, is_active=True)
    notify_many(recipients=managers, kind="expertise.offer", actor=author, url=request.get_absolute_url(),
                params={"organisation": organisation.name, "title": request.title})
    return offer


@versions.bumps("expertise.request")
@transaction.atomic
def withdraw_offer(*, actor: User, offer: Offer) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not permissions.can_withdraw_offer(actor, offer):
        raise PermissionDenied(_("Only its author withdraws an offer, while it waits for an answer."))
    offer.status = Offer.Status.WITHDRAWN
    offer.save(update_fields=["status"])
    return offer


def _people_involved(request: SupportRequest, actor: User, offers: Iterable[Offer]) -> list[User]:
    people = {actor.pk: actor, request.author_id: request.author}
    for offer in offers:
        people[offer.author_id] = offer.author
    return [p for p in people.values() if p.is_active]


@versions.bumps("expertise.request")
@transaction.atomic
def accept_offer(*, actor: User, offer: Offer) -> Offer:
    """Accept an offer: the request becomes matched and the people involved meet in one chat group.

    Holds the request's row lock (taken before the offer's, always in that order) from the check to
    the conversation, so a second acceptance of the same offer finds it accepted and opens nothing,
    and two offers accepted at once share the group the first opened.
    """
    request = _lock(offer.request)
    offer = Offer.objects.select_for_update().select_related("author", "organisation").get(pk=offer.pk)
    offer.request = request
    if not permissions.can_decide_offer(actor, offer):
        raise PermissionDenied(_("Only members of the requesting organisation accept offers."))
    if offer.status == Offer.Status.ACCEPTED:
        return offer
    if offer.status != Offer.Status.PENDING:
        raise ValidationError(_("This offer is %(status)s; only an offer waiting for an answer can be accepted.")
                              % {"status": offer.get_status_display().lower()})
    if request.status not in permissions.OFFERABLE:
        raise ValidationError(_("The request is %(status)s and takes no more offers.")
                              % {"status": request.get_status_display().lower()})
    offer.status, offer.decided_by, offer.decided_at = Offer.Status.ACCEPTED, actor, timezone.now()
    offer.save(update_fields=["status", "decided_by", "decided_at"])
    if request.status == Status.OPEN:
        _move(request, actor, Status.MATCHED, _("Accepted the offer of %(organisation)s.")
              % {"organisation": offer.organisation.name})
    else:
        _log(request, actor, request.status, request.status, _("Accepted the offer of %(organisation)s.")
             % {"organisation": offer.organisation.name})
    request.author = User.objects.get(pk=request.author_id)
    people = _people_involved(request, actor, [offer])
    if request.conversation_id is None:
        conversation = call("chat.open_group_conversation", creator=actor, title=request.title[:120],
                            members=people)
        request.conversation_id, request.conversation_url = conversation.pk, conversation.get_absolute_url()
        request.save(update_fields=["conversation_id", "conversation_url", "updated_at"])
    else:
        call("chat.add_to_group_conversation", conversation_id=request.conversation_id, members=people)
    notify(recipient=offer.author, kind="expertise.offer_accepted", actor=actor,
           url=request.conversation_url or request.get_absolute_url(),
           params={"organisation": request.organisation.name, "title": request.title})
    return offer


DEFAULT_DECLINE_NOTE = gettext_lazy("Thank you for offering to help. We have chosen another way forward this time, "
                                    "and we hope to work with you on another occasion.")


@versions.bumps("expertise.request")
@transaction.atomic
def decline_offer(*, actor: User, offer: Offer, note: str = "") -> Offer:
    """Decline an offer; its author is thanked politely (with the requester's own words, if any)."""
    request = _lock(offer.request)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    offer.request = request
    if not permissions.can_decide_offer(actor, offer):
        raise PermissionDenied(_("Only members of the requesting organisation decline offers."))
    if offer.status != Offer.Status.PENDING:
        raise ValidationError(_("This offer is %(status)s; only an offer waiting for an answer can be declined.")
                              % {"status": offer.get_status_display().lower()})
    note = " ".join(str(note).split())[:1000]
    offer.status, offer.decided_by, offer.decided_at, offer.decline_note = (
        Offer.Status.DECLINED, actor, timezone.now(), note)
    offer.save(update_fields=["status", "decided_by", "decided_at", "decline_note"])
    notify(recipient=offer.author, kind="expertise.offer_declined", actor=actor, url=request.get_absolute_url(),
           params={"title": request.title, "note": note})
    return offer


@versions.bumps("expertise.request")
@transaction.atomic
def complete_request(*, actor: User, request: SupportRequest, what_was_done: str, what_changed: str = "",
                     links: str = "") -> Outcome:
    """Record the outcome and complete the request; the helping organisations are told."""
    request = _lock(request)
    _check_manager(actor, request)
    outcome = Outcome(request=request, what_was_done=str(what_was_done), what_changed=str(what_changed),
                      links=str(links), recorded_by=actor,
                      what_was_done_html=render_markdown(str(what_was_done)),
                      what_changed_html=render_markdown(str(what_changed)))
    outcome.full_clean(exclude=["request"])
    _move(request, actor, Status.COMPLETED)
    outcome.save()
    _tell_offerers(request, actor, Offer.Status.ACCEPTED, "expertise.request_completed")
    return outcome


@transaction.atomic
def draft_practice_from_outcome(*, actor: User, request: SupportRequest) -> str:
    """Turn a completed request's outcome into a draft good practice of the requesting organisation, with the
    helping organisations as partners and the request's place as where it was replicated; returns its URL.
    The draft then goes through the practice review like any other."""
    request = _lock(request)
    _check_manager(actor, request)
    outcome = Outcome.objects.select_for_update().filter(request=request).first()
    if request.status != Status.COMPLETED or outcome is None:
        raise ValidationError(_("Record the outcome first: a practice is drafted from a completed request."))
    if outcome.practice_url:
        raise ValidationError(_("A practice was already drafted from this outcome."))
    helpers = list(Organisation.objects.filter(support_offers__request=request,
                                               support_offers__status=Offer.Status.ACCEPTED).distinct())
    url = call("directory.draft_practice", author=actor, organisation=request.organisation,
               title=request.title, summary=_("Developed with the help of %(helpers)s through the Crossroads "
                                              "expertise exchange.") % {
                   "helpers": ", ".join(h.name for h in helpers) or request.organisation.name},
               how_it_works=outcome.what_was_done, results=outcome.what_changed, links=outcome.links,
               country=str(request.country), city=request.city, level=request.level,
               policy_areas=list(request.policy_areas.all()), topics=list(request.topics.all()),
               partners=helpers, replicated_in={"place": request.city or request.country.name,
                                                "country": str(request.country),
                                                "note": _("Through the expertise exchange: %(title)s")
                                                % {"title": request.title}})
    outcome.practice_url = url
    outcome.save(update_fields=["practice_url"])
    _log(request, actor, request.status, request.status, _("Drafted a good practice from the outcome."))
    return url


@versions.bumps("expertise.request")
@transaction.atomic
def follow(*, user: User, policy_area: PolicyArea | None = None, topic: Topic | None = None,
           organisation: Organisation | None = None, email: bool = True) -> Follow:
    """Follow an area or a sub-topic, for oneself or (its administrators) for an organisation."""
    if (policy_area is None) == (topic is None):
        raise ValidationError({"topic": _("Follow either a policy area or a sub-topic.")})
    if organisation is not None and not permissions.can_follow_for(user, organisation):
        raise PermissionDenied(_("Only an organisation's administrators choose what it follows."))
    if organisation is None and not permissions.can_act(user):
        raise PermissionDenied(_("Sign in to follow areas and topics."))
    owner = {"organisation": organisation} if organisation is not None else {"user": user}
    subject = {"policy_area": policy_area} if policy_area is not None else {"topic": topic}
    existing, _created = Follow.objects.update_or_create(**owner, **subject, defaults={"email": email})
    return existing


@versions.bumps("expertise.request")
@transaction.atomic
def unfollow(*, user: User, follow_id: int) -> None:
    follow_row = Follow.objects.filter(pk=follow_id).select_related("organisation").first()
    if follow_row is None:
        return
    if follow_row.user_id is not None and follow_row.user_id != user.pk:
        raise PermissionDenied(_("This is not your follow."))
    if follow_row.organisation_id is not None and not permissions.can_follow_for(user, follow_row.organisation):
        raise PermissionDenied(_("Only an organisation's administrators choose what it follows."))
    follow_row.delete()
