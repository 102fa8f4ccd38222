"""Chat pages: the messenger (the conversation list beside the open conversation), a plain form to post
with replies and files, reactions and muting without JavaScript, file downloads, search, group management."""

import json
import re
from collections.abc import Iterable
from functools import cache, partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from chat import permissions, selectors, services
from chat.files import readable_size
from chat.forms import AddMembersForm, EditMessageForm, GroupForm, MessageForm, SearchForm
from chat.models import REACTION_LABELS, REACTIONS, Conversation, Message, Participant
from chat.serializers import reaction_summary
from core import fragments, memberfacts
from core.errors import REFUSALS, SERVICE_ERRORS, apply_to_form, describe, form_errors_response, refusal_response
from moderation.views import report_page


def _participation(request: HttpRequest, pk: int) -> Participant:
    participant = permissions.participation(request.user, pk)
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    return participant


def _int_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# Where a kept list of conversations (chat/_conversation_nav.html) has what each request fills in: the open
# conversation's class and aria-current (C, A: by conversation) and a direct conversation's presence (P: by member).
# Marks are set off by NUL, which no text a member writes holds (chat.text.clean_text drops control characters and
# PostgreSQL stores none); if one did, its mark would put only one of these constant snippets in.
_LIST_MARK = re.compile("\x00([CAP])([0-9]+)\x00")
_CURRENT = {"C": " current", "A": ' aria-current="page"'}


def _conversation_list(user: User, current: int | None = None,
                       also: Iterable[int] = ()) -> tuple[SafeString, set[int]]:
    """The member's list of conversations beside the open one (`current`) and in the inbox, rendered with its heading
    and search form; and who of the other members of their direct conversations and of the members `also` (the open
    conversation's) is online, asked once for all.

    The rendered list is kept per member and language under the member's list generation (chat.list: chat.services
    bumps it for each member whose list a write changes, its order, a title, a last message, an unread count, a
    mute) and the members' (accounts.member: names and faces): a page whose list is as before reads it with no query
    of its own, in the cache round trip that reads the member's facts for the page's frame (core.memberfacts).
    What differs between requests, the open conversation and who is online, is left in it as marks filled in here."""
    texts, marks, others = memberfacts.kept_with_facts(
        user, f"v:chat:list:{user.pk}:{translation.get_language()}", [("chat.list", user.pk), "accounts.member"],
        partial(_render_list, user))
    # Everyone asked about shares a conversation with the member (the other member of one of their own direct
    # conversations, or a member of the open one), which is what online_among checks for any other list of ids.
    online = selectors.online_user_ids([pk for pk in {*others, *also} if pk != user.pk])
    shown = [texts[0]]
    for (mark, pk), text in zip(marks, texts[1:], strict=True):
        shown.append(("" if pk in online else " hidden") if mark == "P" else _CURRENT[mark] if pk == current else "")
        shown.append(text)
    return mark_safe("".join(shown)), online  # rendered from a template, marks filled in from constants


def _render_list(user: User) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...], tuple[int, ...]]:
    """The member's list rendered with its marks (chat/_conversation_nav.html): the text between them, the marks, and
    the members whose presence the rows show."""
    rows = list(selectors.conversation_list_for(user))
    selectors.read_list_details(rows)
    rows = [row for row in rows if Participant.conversation.is_cached(row)]  # not one deleted since it was read
    others = [pk for row in rows if (pk := selectors.other_in(row.direct_key, user.pk)) is not None]
    people = selectors.faces(others)
    for row in rows:
        row.other = people.get(selectors.other_in(row.direct_key, user.pk))
        row.title = row.conversation.title if row.conversation.is_group else (
            row.other.full_name if row.other is not None else user.full_name)
        row.mark_current = mark_safe(f"\x00C{row.conversation_id}\x00")
        row.mark_aria_current = mark_safe(f"\x00A{row.conversation_id}\x00")
        row.mark_presence = mark_safe(f"\x00P{row.other.pk}\x00") if row.other is not None else ""
    parts = _LIST_MARK.split(render_to_string("chat/_conversation_nav.html", {"rows": rows}))
    return (tuple(parts[0::3]), tuple(zip(parts[1::3], map(int, parts[2::3]), strict=True)),
            tuple(dict.fromkeys(row.other.pk for row in rows if row.other is not None)))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "chat/inbox.html", {"rows": _conversation_list(request.user)[0]})


def _for_display(conversation_id: int, history: list[Message], viewer: User,
                 first_unread: int | None) -> fragments.ReadWhenShown:
    """Mark what the page shows between messages: a day separator, the "new messages" marker, and which
    messages continue the previous one (same sender, same minute) and so show without name and avatar.

    Each message is a kept card, looked up by what is cheap to know: its change number, its quoted original's,
    and the viewer's own reactions (one small query). Senders, quoted originals, files and reactions are read
    only for the messages whose cards are rendered afresh (`_read_for_cards`)."""
    own = selectors.own_reactions(viewer, conversation_id, [m.pk for m in history])
    previous = None
    for message in history:
        local = timezone.localtime(message.created_at)
        message.local_day = local.date()
        message.day_break = previous is None or previous.local_day != message.local_day
        message.unread_marker = first_unread is not None and message.pk == first_unread
        message.continues = (previous is not None and not message.day_break and not message.unread_marker
                             and message.reply_to_id is None and previous.sender_id == message.sender_id
                             and local.replace(second=0, microsecond=0)
                             == timezone.localtime(previous.created_at).replace(second=0, microsecond=0))
        mine = own.get(message.pk, set())
        # The rendered message is kept ({% card %}) per change number (edits, deletions, files and reactions move
        # it; the quoted original's too) and per what differs between viewers: whose it is, their own reactions,
        # its place in the page, who has read up to it.
        message.card_varies = (
            message.change_seq, message.reply_to_seq, message.sender_id == viewer.pk,
            tuple(code for code in REACTIONS if code in mine),
            message.day_break, message.unread_marker, message.continues,
            tuple(reader.pk for reader in getattr(message, "read_by", ())))
        previous = message
    shown = fragments.ReadWhenShown(history, partial(_read_for_cards, viewer))
    # The whole history is kept too, under every message's key and the conversation (its links): a page whose
    # messages are all as before reads one block instead of a card per message.
    shown.card_varies = (conversation_id, tuple((message.pk, message.card_varies) for message in history))
    return shown


def _read_for_cards(viewer: User, messages: list[Message]) -> None:
    """What the cards of `messages` show: sender, quoted original, files, reactions with who gave them."""
    selectors.read_details(messages)
    for message in messages:
        message.reaction_list = [{**r, "mine": any(u.pk == viewer.pk for u in r["users"]),
                                  "label": REACTION_LABELS[r["emoji"]], "symbol_html": SYMBOLS_HTML[r["emoji"]],
                                  "names": ", ".join(u.full_name for u in r["users"])}
                                 for r in reaction_summary(message)]
        message.file_list = [] if message.is_deleted else list(message.attachments.all())
        for attachment in message.file_list:
            attachment.readable_size = readable_size(attachment.size)


# Each reaction's emoji as HTML character references: the same picture in the browser, and a page whose text is
# otherwise within the Basic Multilingual Plane stays a 1- or 2-byte-per-character Python string. One emoji makes
# the whole history (~180,000 characters) 4 bytes a character, and every copy of it (the kept card read, the
# CSRF token put in, each enclosing block's join, the encoding) twice to four times slower.
SYMBOLS_HTML = {code: mark_safe("".join(f"&#{ord(char)};" for char in symbol)) for code, symbol in REACTIONS.items()}


def _reaction_choices() -> list[dict]:
    """The reactions a member picks from, each with the name a screen reader says, in the member's language."""
    return [{"code": code, "symbol": symbol, "symbol_html": SYMBOLS_HTML[code], "label": str(REACTION_LABELS[code])}
            for code, symbol in REACTIONS.items()]


def _history_page(conversation: Conversation, viewer: User, participants: list[Participant], *,
                  before: int | None, around: int | None, first_unread: int | None,
                  show_read_state: bool) -> dict:
    """The page of messages shown (`history`, for display), the id before which older ones are left (`older`),
    and whether it is the conversation's end (`at_end`)."""
    if around is not None:
        history, more = selectors.history_from(conversation, around, detailed=False), None
    else:
        history, more = selectors.history_and_more(conversation, before=before, detailed=False)
        if first_unread is not None and history and first_unread < history[0].pk:
            # More unread than a page: open at the first unread message, with a little before it.
            history, more = selectors.history_from(conversation, first_unread, context=5, detailed=False), None
    if show_read_state:
        shown = [m.pk for m in history]
        for message in history:
            message.read_by = []
        by_id = {m.pk: m for m in history}
        for other in participants:
            seen = [pk for pk in shown if pk <= other.last_read_message_id]
            if other.user_id != viewer.pk and seen:
                by_id[seen[-1]].read_by.append(other.user)
    return {
        "history": _for_display(conversation.pk, history, viewer, first_unread),
        "older": history[0].pk if history and (
            more if more is not None else selectors.has_older(conversation, history[0].pk)) else None,
        "at_end": not history or history[-1].pk == (conversation.last_message_id or 0),
    }


def _conversation_page(request: HttpRequest, participant: Participant, form: MessageForm,
                       status: int = 200, participants: list[Participant] | None = None) -> HttpResponse:
    """The open conversation beside the list; `participants` as read already with the viewer's own row."""
    conversation = participant.conversation
    before = _int_param(request.GET.get("before"))
    around = _int_param(request.GET.get("around"))
    seq = conversation.change_seq
    reactions = _reaction_choices()
    first_unread = selectors.first_unread_id(participant) if before is None and around is None else None
    if participants is None:
        participants = list(selectors.participants_shown(conversation))
    show_read_state = len(participants) <= selectors.READ_STATE_GROUP_LIMIT
    page = partial(_history_page, conversation, request.user, participants, before=before, around=around,
                   first_unread=first_unread, show_read_state=show_read_state)
    if before is None and around is None and first_unread is None:
        # The latest page, with nothing unread: the conversation's end. What its history shows follows from the
        # conversation's change number (every message sent, edited, deleted, reacted to or given a file moves
        # it, the quoted originals' too) and last message, the viewer (their own messages and reactions) and,
        # with read receipts, each other member's read mark: the kept history ({% card %}) is looked up by those
        # alone, and its messages are read only when it missed.
        page = cache(page)
        history, older, at_end = SimpleLazyObject(lambda: page()["history"]), cache(lambda: page()["older"]), True
        history_varies = ("latest", conversation.pk, conversation.change_seq, conversation.last_message_id,
                          request.user.pk, tuple((p.user_id, p.last_read_message_id) for p in participants
                                                 if p.user_id != request.user.pk) if show_read_state else None)
    else:
        shown = page()
        history, older, at_end = shown["history"], shown["older"], shown["at_end"]
        history_varies = (history.card_varies, older)
    if at_end and (participant.unread_count or participant.last_read_message_id < (
            conversation.last_message_id or 0)):
        participant = services.mark_read(user=request.user, conversation=conversation)
    others = [p.user for p in participants if p.user_id != request.user.pk]
    rows, online = _conversation_list(request.user, current=conversation.pk, also=[u.pk for u in others])
    for p in participants:
        p.online = p.user_id in online
    reply_target = None
    reply_id = form["reply_to"].value() or _int_param(request.GET.get("reply"))
    if reply_id:
        reply_target = selectors.message_in(conversation, int(reply_id)) if str(reply_id).isdigit() else None
        if reply_target is not None and not form.is_bound:
            form = MessageForm(initial={"reply_to": reply_target.pk})
    title = selectors.title_for(conversation, request.user, participants)
    can_manage = permissions.can_manage_members(participant)
    chat_block = (permissions.blocked_between(request.user, others[0])
                  if not conversation.is_group and others else None)
    return render(request, "chat/conversation.html", {
        "conversation": conversation,
        "participant": participant,
        "participants": participants,
        "rows": rows,
        "title": title,
        "history": history,
        "older": older,
        # The kept history ({% card %}) is looked up by what its messages show (their change numbers, the viewer's
        # bits, their place in the page: history.card_varies) or, for the latest page, by what those follow from.
        "history_varies": history_varies,
        "newer": not at_end,
        # At the end, the last message shown is the conversation's last message.
        "last_id": conversation.last_message_id or 0,
        "seq": seq,
        "form": form,
        "reply_target": reply_target,
        "reactions": reactions,
        # For chat.js, which builds live messages' reaction buttons: {code: {symbol, label}}.
        # In ASCII (\u escapes), for the reason of SYMBOLS_HTML.
        "reaction_choices": json.dumps({r["code"]: {"symbol": r["symbol"], "label": r["label"]} for r in reactions}),
        "direct_other": others[0] if not conversation.is_group and others else None,
        "direct_online": not conversation.is_group and bool(others) and others[0].pk in online,
        # Not "block": inside a {% block %} that name is the template block itself, always true.
        "chat_block": chat_block,
        "can_manage": can_manage,
        # The kept header ({% card %}) shows the members, their roles and names (accounts.member), who of them is
        # online, and the viewer's own bits: mute, the right to manage, a block between the two of a direct
        # conversation, and its title (the other member's name there) and the page it posts back to.
        "head_varies": (
            conversation.pk, title, tuple((p.user_id, p.role) for p in participants),
            tuple(p.user_id for p in participants if p.online), participant.muted, can_manage,
            None if chat_block is None else chat_block.blocker_id == request.user.pk,
            None if conversation.is_group else request.get_full_path()),
        # The plain form is kept per conversation and title (its placeholder names it); one shown again with its
        # errors or a reply is the request's own.
        "composer_varies": (conversation.pk, title) if not form.is_bound and reply_target is None else None,
        "show_read_state": show_read_state,
        "edit_window_minutes": int(permissions.EDIT_WINDOW.total_seconds() // 60),
    }, status=status)


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    # The members are read with the conversation, and the viewer's place among them is the permission check: one
    # query for both.
    participants = selectors.participants_shown_in(pk)
    participant = permissions.participation_among(request.user, participants)
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    return _conversation_page(request, participant, MessageForm(), participants=participants)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """The form post: text, a reply and files. Works without JavaScript (the page is shown again), and the
    page's script posts files here too, asking for JSON, while text goes over the socket."""
    participant = _participation(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = services.send_message(sender=request.user, conversation=participant.conversation,
                                             body=form.cleaned_data["body"], reply_to=form.cleaned_data["reply_to"],
                                             files=form.cleaned_data["files"])
        except SERVICE_ERRORS as error:
            # Caught here rather than by run_service: the script's upload gets the API's body and status.
            if _wants_json(request):
                return refusal_response(error)
            apply_to_form(form, error, fallback="body")
        else:
            if _wants_json(request):
                return JsonResponse({"id": message.pk}, status=201)
            return redirect(f"{participant.conversation.get_absolute_url()}#latest")
    if _wants_json(request):
        return form_errors_response(form)
    return _conversation_page(request, participant, form, status=400)


def _attachment_of(request: HttpRequest, pk: int, attachment_id: int):
    participant = _participation(request, pk)
    attachment = selectors.attachment_in(participant.conversation_id, attachment_id)
    if attachment is None:
        raise Http404(_("No such file in this conversation."))
    return attachment


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """A file sent in the conversation, to its participants only, always as a download."""
    found = _attachment_of(request, pk, attachment_id)
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def thumbnail(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """An image's thumbnail, made by the server (a WebP that carries no script), shown in the history."""
    found = _attachment_of(request, pk, attachment_id)
    if not found.thumbnail:
        raise Http404(_("This file has no thumbnail."))
    response = FileResponse(found.thumbnail.open("rb"), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def react(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """Give or take back a reaction (the page's script does the same over the socket)."""
    participant, message = _message_of(request, pk, message_id)
    try:
        services.toggle_reaction(user=request.user, message=message, emoji=request.POST.get("emoji", ""))
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
    return redirect(f"{participant.conversation.get_absolute_url()}?around={message.pk}#m{message.pk}")


@login_required
@require_POST
def mute(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participation(request, pk)
    muted = request.POST.get("muted") == "1"
    services.set_muted(user=request.user, conversation=participant.conversation, muted=muted)
    messages.success(request, _("Conversation muted: only mentions of you will notify you.") if muted
                     else _("Conversation unmuted: new messages notify you again."))
    return redirect(participant.conversation)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search across the member's own conversations; each result opens the history at the message."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page, results_varies = None, ()
    if query:
        results = selectors.search_messages(request.user, query, page=request.GET.get("page"))
        page = Paginator(results, selectors.SEARCH_PAGE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        for message in page.object_list:
            # The name the member knows the conversation by: a group's title, else the other member's name.
            message.where = message.conversation.title or message.other_name or request.user.full_name
        # The rendered results are kept ({% card %}) under each one's change number (an edit moves it) and the
        # name the member knows its conversation by; senders' names are accounts.member's.
        results_varies = tuple((m.pk, m.conversation_id, m.change_seq, m.where) for m in page.object_list)
    return render(request, "chat/search.html", {"search_form": form, "query": query, "page": page,
                                                "results_varies": results_varies,
                                                "query_string": urlencode({"q": query})},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def direct(request: HttpRequest, user_id: int) -> HttpResponse:
    """The "Message" button: open, or reuse, the direct conversation with a member."""
    other = get_object_or_404(User, pk=user_id, is_active=True)
    try:
        conversation = services.open_direct_conversation(user=request.user, other=other)
    except SERVICE_ERRORS as error:
        messages.error(request, describe(error))
        return redirect(_back(request, other.get_absolute_url()))
    return redirect(conversation)


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.create_group_conversation(
                creator=request.user, title=form.cleaned_data["title"], members=form.cleaned_data["members"])
        except SERVICE_ERRORS as error:
            apply_to_form(form, error, fallback="title")
        else:
            messages.success(request, _("The group “%(name)s” is ready.") % {"name": conversation.title})
            return redirect(conversation)
    return render(request, "chat/group_form.html", {"form": form}, status=400 if form.errors else 200)


def _message_of(request: HttpRequest, pk: int, message_id: int) -> tuple[Participant, Message]:
    participant = _participation(request, pk)
    message = selectors.message_in(participant.conversation, message_id)
    if message is None:
        raise Http404("No such message.")
    return participant, message


@login_required
def message_edit(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    participant, message = _message_of(request, pk, message_id)
    if message.sender_id != request.user.pk:
        raise PermissionDenied(_("You can only change your own messages."))
    form = EditMessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_message(user=request.user, message=message, body=form.cleaned_data["body"])
        except SERVICE_ERRORS as error:
            apply_to_form(form, error, fallback="body")
        else:
            messages.success(request, _("Your message is edited."))
            return redirect(f"{participant.conversation.get_absolute_url()}#m{message.pk}")
    return render(request, "chat/message_edit.html", {
        "conversation": participant.conversation, "message": message, "form": form,
        "can_change": permissions.can_change_message(request.user, message),
        "edit_window_minutes": int(permissions.EDIT_WINDOW.total_seconds() // 60),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def message_delete(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    participant, message = _message_of(request, pk, message_id)
    try:
        services.delete_message(user=request.user, message=message)
    except REFUSALS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, _("Your message is deleted."))
    return redirect(f"{participant.conversation.get_absolute_url()}#m{message.pk}")


@login_required
def message_report(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """Report another participant's message: moderation's one report form, for participants only."""
    _participant, message = _message_of(request, pk, message_id)
    return report_page(request, kind="chat.message", target=message)


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's members; its admins invite, remove and promote here."""
    participant = _participation(request, pk)
    conversation = participant.conversation
    if not conversation.is_group:
        raise Http404("A direct conversation has no member list.")
    participants = list(selectors.participants_of(conversation))
    can_manage = permissions.can_manage_members(participant)
    form = AddMembersForm(request.POST or None, user=request.user, exclude=[p.user_id for p in participants])
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only the group's admins manage its members."))
        if form.is_valid():
            try:
                added = services.add_group_members(actor=request.user, conversation=conversation,
                                                   members=form.cleaned_data["members"])
            except REFUSALS as error:
                apply_to_form(form, error, fallback="members")
            else:
                messages.success(request, ngettext("%(count)d member added.", "%(count)d members added.", len(added))
                                 % {"count": len(added)})
                return redirect("chat:members", pk)
    return render(request, "chat/members.html", {
        "conversation": conversation, "participants": participants, "can_manage": can_manage, "form": form,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def member_action(request: HttpRequest, pk: int, user_id: int, action: str) -> HttpResponse:
    participant = _participation(request, pk)
    member = get_object_or_404(User, pk=user_id)
    service = {"remove": services.remove_group_member, "make-admin": services.make_group_admin}.get(action)
    if service is None:
        raise Http404("No such action.")
    try:
        service(actor=request.user, conversation=participant.conversation, member=member)
    except REFUSALS as error:
        messages.error(request, describe(error))
    else:
        done = (_("%(name)s is removed from the group.") if action == "remove"
                else _("%(name)s is now an admin of the group."))
        messages.success(request, done % {"name": member.full_name})
    return redirect("chat:members", pk)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participation(request, pk)
    try:
        services.leave_conversation(user=request.user, conversation=participant.conversation)
    except REFUSALS as error:
        messages.error(request, describe(error))
        return redirect(participant.conversation)
    messages.success(request, _("You left “%(name)s”.") % {"name": participant.conversation.title})
    return redirect("chat:inbox")


@login_required
def blocked(request: HttpRequest) -> HttpResponse:
    return render(request, "chat/blocked.html", {"blocks": selectors.blocked_by(request.user)})


@login_required
@require_POST
def block(request: HttpRequest, user_id: int) -> HttpResponse:
    other = get_object_or_404(User, pk=user_id)
    try:
        services.block_member(user=request.user, other=other)
    except REFUSALS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, _("You blocked %(name)s: neither of you can message the other directly.")
                         % {"name": other.full_name})
    return redirect(_back(request, reverse("chat:blocked")))


@login_required
@require_POST
def unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    other = get_object_or_404(User, pk=user_id)
    services.unblock_member(user=request.user, other=other)
    messages.success(request, _("You unblocked %(name)s.") % {"name": other.full_name})
    return redirect(_back(request, reverse("chat:blocked")))
