"""Chat pages: the inbox, a conversation with its history and a plain form to post, group management."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import User
from chat import permissions, selectors, services
from chat.forms import AddMembersForm, EditMessageForm, GroupForm, MessageForm, ReportForm
from chat.models import Message, Participant
from core.errors import apply_to_form
from core.ratelimit import RateLimited
from moderation.services import file_report


def _participation(request: HttpRequest, pk: int) -> Participant:
    participant = permissions.participation(request.user, pk)
    if participant is None:
        raise PermissionDenied("You are not in this conversation.")
    return participant


def _int_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.inbox_for(request.user))
    for row in rows:
        row.title = selectors.title_for(row.conversation, request.user, list(row.conversation.participants.all()))
    return render(request, "chat/inbox.html", {"rows": rows})


def _conversation_page(request: HttpRequest, participant: Participant, form: MessageForm,
                       status: int = 200) -> HttpResponse:
    conversation = participant.conversation
    before = _int_param(request.GET.get("before"))
    history = selectors.history(conversation, before=before)
    participants = list(selectors.participants_of(conversation))
    if before is None and (participant.unread_count or participant.last_read_message_id < (
            conversation.last_message_id or 0)):
        participant = services.mark_read(user=request.user, conversation=conversation)
    show_read_state = len(participants) <= selectors.READ_STATE_GROUP_LIMIT
    if show_read_state:
        shown = [m.pk for m in history]
        for message in history:
            message.read_by = []
        by_id = {m.pk: m for m in history}
        for other in participants:
            seen = [pk for pk in shown if pk <= other.last_read_message_id]
            if other.user_id != request.user.pk and seen:
                by_id[seen[-1]].read_by.append(other.user)
    others = [p.user for p in participants if p.user_id != request.user.pk]
    return render(request, "chat/conversation.html", {
        "conversation": conversation,
        "participant": participant,
        "participants": participants,
        "title": selectors.title_for(conversation, request.user, participants),
        "history": history,
        "older": history[0].pk if history and selectors.has_older(conversation, history[0].pk) else None,
        "newer": before is not None,
        "last_id": history[-1].pk if history and before is None else (conversation.last_message_id or 0),
        "form": form,
        "direct_other": others[0] if not conversation.is_group and others else None,
        # Not "block": inside a {% block %} that name is the template block itself, always true.
        "chat_block": (permissions.blocked_between(request.user, others[0])
                  if not conversation.is_group and others else None),
        "can_manage": permissions.can_manage_members(participant),
        "show_read_state": show_read_state,
        "edit_window_minutes": int(permissions.EDIT_WINDOW.total_seconds() // 60),
    }, status=status)


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    return _conversation_page(request, _participation(request, pk), MessageForm())


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """The form post that works without JavaScript: save the message, show the history."""
    participant = _participation(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.send_message(sender=request.user, conversation=participant.conversation,
                                  body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_to_form(form, error, fallback="body")
        except (PermissionDenied, RateLimited) as error:
            form.add_error("body", str(error))
        else:
            return redirect(f"{participant.conversation.get_absolute_url()}#latest")
    return _conversation_page(request, participant, form, status=400)


@login_required
@require_POST
def direct(request: HttpRequest, user_id: int) -> HttpResponse:
    """The "Message" button: open, or reuse, the direct conversation with a member."""
    other = get_object_or_404(User, pk=user_id, is_active=True)
    try:
        conversation = services.open_direct_conversation(user=request.user, other=other)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(_back(request, other.get_absolute_url()))
    return redirect(conversation)


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.create_group_conversation(
                creator=request.user, title=form.cleaned_data["title"], members=form.cleaned_data["members"])
        except ValidationError as error:
            apply_to_form(form, error, fallback="title")
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The group “{conversation.title}” is ready.")
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
        raise PermissionDenied("You can only change your own messages.")
    form = EditMessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_message(user=request.user, message=message, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_to_form(form, error, fallback="body")
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your message is edited.")
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
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your message is deleted.")
    return redirect(f"{participant.conversation.get_absolute_url()}#m{message.pk}")


@login_required
def message_report(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """Report another participant's message to the moderators' queue."""
    participant, message = _message_of(request, pk, message_id)
    if not permissions.can_report_message(request.user, message):
        raise PermissionDenied("You can report messages others sent in your conversations.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            file_report(reporter=request.user, target=message, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_to_form(form, error, fallback="reason")
        except RateLimited as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, "Thank you: the moderators will look at this message.")
            return redirect(f"{participant.conversation.get_absolute_url()}#m{message.pk}")
    return render(request, "chat/report_form.html", {
        "conversation": participant.conversation, "message": message, "form": form,
    }, status=400 if form.errors else 200)


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
            raise PermissionDenied("Only the group's admins manage its members.")
        if form.is_valid():
            try:
                added = services.add_group_members(actor=request.user, conversation=conversation,
                                                   members=form.cleaned_data["members"])
            except ValidationError as error:
                apply_to_form(form, error, fallback="members")
            else:
                messages.success(request, f"{len(added)} member(s) added.")
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
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = "removed from the group" if action == "remove" else "now an admin of the group"
        messages.success(request, f"{member.full_name} is {done}.")
    return redirect("chat:members", pk)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participation(request, pk)
    try:
        services.leave_conversation(user=request.user, conversation=participant.conversation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(participant.conversation)
    messages.success(request, f"You left “{participant.conversation.title}”.")
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
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You blocked {other.full_name}: neither of you can message the other directly.")
    return redirect(_back(request, reverse("chat:blocked")))


@login_required
@require_POST
def unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    other = get_object_or_404(User, pk=user_id)
    services.unblock_member(user=request.user, other=other)
    messages.success(request, f"You unblocked {other.full_name}.")
    return redirect(_back(request, reverse("chat:blocked")))
