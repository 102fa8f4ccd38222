"""Event pages: lists, calendar, the event page, registration, iCal files and feeds, and the organiser's pages."""

import calendar as month_calendar
from datetime import date, datetime, timedelta
from typing import NoReturn
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST, require_safe

from core import drafts, fragments
from core.downloads import file_response
from core.drf import VersionedCountPaginator
from core.errors import REFUSALS, SERVICE_ERRORS, apply_to_form, describe, run_action
from core.pagecache import cache_for_visitors
from core.recipients import speaking_to
from events import certificates, charts, exports, feeds, ical, selectors, services, timetable
from events.forms import (
    AnswersForm,
    AttachmentForm,
    CancelEventForm,
    CheckInSearchForm,
    ContactForm,
    EventForm,
    FeedbackForm,
    FilterForm,
    MessageForm,
    ProgrammeItemForm,
    QuestionForm,
    SpeakerForm,
)
from events.models import AttendanceLog, Event, Feedback, ProgrammeItem, Registration
from events.permissions import (
    can_run_event,
    can_see_join_link,
    can_see_ticket,
    may_download_certificate,
    may_give_feedback,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVENT_DRAFT = "event:new"
# What the event pages show visitors; they are kept a minute at most, as events move from upcoming to past.
EVENT_KINDS = ("events.event", "accounts.organisation", "core.taxonomy")


def _refuse(request: HttpRequest, slug: str) -> NoReturn:
    """A visitor is asked to log in for a members-only event; anyone else finds nothing."""
    if not request.user.is_authenticated and Event.objects.filter(
            slug=slug, visibility=Event.Visibility.MEMBERS).exclude(status=Event.Status.DRAFT).exists():
        raise PermissionDenied(_("Log in to see this event."))
    raise Http404(_("No such event."))


def _visible_event(request: HttpRequest, slug: str) -> Event:
    event = selectors.events_visible_to(request.user).filter(slug=slug).first()
    if event is None:
        _refuse(request, slug)
    return event


def _run_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.prefetch_related("organisations"), slug=slug)
    if not can_run_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers can do this."))
    return event


# --- Lists -----------------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[FilterForm, dict, QuerySet[Event]]:
    form = FilterForm(request.GET)
    filters = form.filters()
    qs = selectors.filter_events(selectors.listed_events(request.user),
                                 **filters)
    return form, filters, qs


def _feed_links(request: HttpRequest, filters: dict) -> dict:
    query = urlencode({k: v for k, v in filters.items() if v and k != "q"})
    https = request.build_absolute_uri(reverse("events:feed")) + (f"?{query}" if query else "")
    return {"feed_https": https, "feed_webcal": "webcal://" + https.split("://", 1)[1]}


@cache_for_visitors(*EVENT_KINDS, timeout=60)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form, filters, qs = _filtered(request)
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    # As /api/events/: the list as of this minute, its count kept for the minute until an event changes.
    listed = selectors.listed_this_minute(qs, when=when).only("pk")
    page = VersionedCountPaginator(listed, 20, kinds=selectors.LIST_KINDS,
                                   period=selectors.LIST_PERIOD).get_page(request.GET.get("page"))
    # Each row is a kept card: the page reads its events' ids, and the rest only for the rows rendered afresh.
    events = fragments.ReadWhenShown(page.object_list, selectors.read_list_rows)
    query = urlencode({k: v for k, v in {**filters, "when": when}.items() if v})
    return render(request, "events/list.html", {
        "form": form, "page": page, "events": events, "when": when, "query_string": query,
        "filter_query": urlencode({k: v for k, v in filters.items() if v}), **_feed_links(request, filters),
        "feed_upcoming": selectors.FEED_UPCOMING_EVENTS, "feed_past": selectors.FEED_PAST_EVENTS,
        "feed_past_days": selectors.FEED_PAST_DAYS,
    })


@cache_for_visitors(*EVENT_KINDS, timeout=60)
@require_GET
def event_calendar(request: HttpRequest) -> HttpResponse:
    """A month in the viewer's time zone; each event shows on every day it covers there."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    if not 1900 < first.year < 2200:
        first = today.replace(day=1)
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = datetime.combine(weeks[0][0], datetime.min.time(), tzinfo=zone)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    form, filters, qs = _filtered(request)
    by_day: dict[date, list[Event]] = {}
    for event in selectors.with_list_data(selectors.in_range(qs, start, end)):
        day = timezone.localtime(event.starts_at, zone).date()
        last = timezone.localtime(event.ends_at - timedelta(microseconds=1), zone).date()
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "events/calendar.html", {
        "form": form, "first": first, "today": today, "zone": zone, "filter_query": query,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "previous": previous, "following": following,
    })


# --- iCal ------------------------------------------------------------------------------------------


def _calendar_response(request: HttpRequest, body: bytes, last_modified: datetime | None,
                       filename: str) -> HttpResponse:
    return feeds.calendar_response(request, body=body, etag=ical.etag_of(body), stamp=feeds.stamp_of(last_modified),
                                   filename=filename)


@require_GET
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    if event.status == Event.Status.DRAFT:
        raise Http404(_("A draft has no calendar file."))
    return _calendar_response(request, ical.event_file(event), event.updated_at, f"{event.slug}.ics")


@require_safe
def public_feed(request: HttpRequest) -> HttpResponse:
    """The next upcoming public events and those of the recent past, with the list's filters
    (selectors.public_feed_events says how many: ~300 at most whatever the data), built once per language and
    filters until an event changes (events/feeds.py)."""
    # The key takes the filters as sent (the text query is not one: the feed ignores it); the form checks them
    # only when the feed is built.
    sent = sorted((name, request.GET.getlist(name)) for name in FilterForm.base_fields
                  if name in request.GET and name != "q")

    def build() -> feeds.Built:
        filters = {k: v for k, v in FilterForm(request.GET).filters().items() if k != "q"}
        events = list(selectors.public_feed_events(**filters))
        return ical.public_feed(events), max((e.updated_at for e in events), default=None)

    return feeds.serve(request, feed_key=feeds.key("public", [translation.get_language(), sent]),
                       kinds=feeds.FEED_KINDS, build=build, filename="crossroads-events.ics")


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A member's registrations, at a secret address, in the member's language whoever asks (a calendar app)."""

    def build() -> feeds.Built:
        owner = selectors.feed_token_owner(token)
        if owner is None:
            raise Http404(_("No such feed: the link was revoked or replaced."))
        registrations = list(selectors.personal_feed_registrations(owner))
        with speaking_to(owner):
            body = ical.personal_feed(registrations, owner_name=owner.full_name)
        return body, max((max(r.updated_at, r.event.updated_at) for r in registrations), default=None)

    return feeds.serve(request, feed_key=feeds.key("personal", [token]), kinds=feeds.PERSONAL_FEED_KINDS,
                       build=build, filename="my-crossroads-events.ics", private=True)


@login_required
@require_POST
def feed_token(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        services.revoke_feed_token(user=request.user)
        messages.success(request, _("Your personal calendar feed is switched off; its old link answers no more."))
    else:
        services.regenerate_feed_token(user=request.user)
        messages.success(request, _("Your personal calendar feed has a new link; the old one no longer works."))
    return redirect("accounts:dashboard")


# --- The event page and registration ----------------------------------------------------------------


class _Programme:
    """The event page's timetable, read and built only when the page's card holding it is rendered afresh."""

    def __init__(self, event: Event, user) -> None:
        self.event, self.user = event, user

    @cached_property
    def items(self) -> list[ProgrammeItem]:
        return selectors.timetable_items(self.event, self.user)

    @cached_property
    def timetable(self) -> timetable.Timetable:
        return timetable.build(self.event, self.items, timezone.get_current_timezone())


@cache_for_visitors(*EVENT_KINDS, "directory.practice", "forums.forum", timeout=60)
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_detail_page(slug, request.user)
    if event is None:
        _refuse(request, slug)
    registration = selectors.registration_of(request.user, event)
    can_run = can_run_event(request.user, event)
    return render(request, "events/detail.html", {
        "event": event, "registration": registration, "can_run": can_run,
        "waitlist_position": selectors.waitlist_position(registration) if registration else None,
        "show_join_link": can_see_join_link(request.user, event, registration),
        "seats_left": None if event.capacity is None else max(event.capacity - event.confirmed_count, 0),
        "ics_url": request.build_absolute_uri(reverse("events:ics", args=[event.slug])),
        "feed_token": getattr(event, "viewer_has_feed", False), "contact_form": ContactForm(),
        "has_questions": event.has_questions,
        "can_see_ticket": can_see_ticket(request.user, registration),
        "may_download_certificate": may_download_certificate(registration),
        "may_give_feedback": may_give_feedback(registration)
        and not Feedback.objects.filter(registration=registration).exists(),
        "programme": _Programme(event, request.user),
        # The timetable shows those who run the event how many plan each session, and a registrant their own
        # plan, with forms: theirs alone. Everyone else sees the same one.
        "programme_viewer": request.user.pk if can_run or (registration and registration.is_active) else "",
        "event_is_over": event.ends_at <= timezone.now(),
        "registration_open": registration is not None and registration.is_active
        and timezone.now() < (event.registration_closes_at or event.starts_at),
    })


_REGISTERED_TEXT = {
    Registration.Status.CONFIRMED: gettext_lazy("You are registered: your seat is confirmed. A confirmation with the "
                                                "calendar file and a link to your ticket is on its way to your inbox."),
    Registration.Status.PENDING: gettext_lazy("Your registration is received; the organisers will approve it."),
    Registration.Status.WAITLISTED: gettext_lazy("The event is full: you are on the waitlist and will be told if a "
                                                 "seat frees up."),
}


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for a seat; when the organisers ask questions, the answers come with it (GET shows them)."""
    event = _visible_event(request, slug)
    questions = list(selectors.questions_of(event))
    form = AnswersForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_for_event(user=request.user, event=event, answers=form.answers())
        except REFUSALS as error:
            # A refusal about an answer goes on the form; any other (full, closed, busy) on the event's page.
            if questions and any(key.startswith("question_") for key in getattr(error, "error_dict", {})):
                apply_to_form(form, error)
            else:
                messages.error(request, describe(error))
                return redirect(event)
        else:
            messages.success(request, _REGISTERED_TEXT[registration.status])
            return redirect(event)
    elif request.method != "POST" and not questions:
        return redirect(event)
    return render(request, "events/register.html", {"event": event, "form": form, "editing": False},
                  status=400 if request.method == "POST" else 200)


@login_required
def edit_answers(request: HttpRequest, slug: str) -> HttpResponse:
    """The registrant changes their answers until registration closes."""
    event = _visible_event(request, slug)
    registration = selectors.registration_of(request.user, event)
    if registration is None or not registration.is_active:
        raise PermissionDenied(_("Only registrants have answers to change."))
    form = AnswersForm(request.POST if request.method == "POST" else None,
                       questions=list(selectors.questions_of(event)),
                       initial=AnswersForm.initial_from(selectors.answers_of(registration)))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_answers(user=request.user, event=event, answers=form.answers())
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect(event)
    return render(request, "events/register.html", {"event": event, "form": form, "editing": True},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def cancel_registration(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    run_action(request, lambda: services.cancel_registration(user=request.user, event=event),
               success=_("Your registration is cancelled."))
    return redirect(event)


@login_required
def contact_organisers(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.contact_organisers(sender=request.user, event=event,
                                                       message=form.cleaned_data["message"])
        except SERVICE_ERRORS as error:
            apply_to_form(form, error, renames={"body": "message"})
        else:
            messages.success(request, _("Your message is sent to the organisers; their answers arrive here."))
            return redirect(conversation)
    return render(request, "events/contact.html", {"event": event, "form": form})


@require_GET
def attachment(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    event = _visible_event(request, slug)
    document = get_object_or_404(event.attachments, pk=pk)
    suffix = document.file.name.rsplit(".", 1)[-1]
    return file_response(request, document.file.open("rb"), content_type=document.content_type,
                         as_attachment=True, filename=f"{event.slug}-{document.kind}.{suffix}")


# --- Organisers ------------------------------------------------------------------------------------


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, user=request.user)
    if not form.fields["organisations"].queryset.exists():
        raise PermissionDenied(_("Only organisers of an organisation can create events."))
    if (response := drafts.draft_action(request, EVENT_DRAFT, EventForm.base_fields)) is not None:
        return response
    draft = drafts.restore(request, EVENT_DRAFT, form)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(actor=request.user, organisations=form.cleaned_data["organisations"],
                                          policy_areas=form.cleaned_data["policy_areas"], **form.service_fields())
        except REFUSALS as error:
            apply_to_form(form, error, renames=_FORM_FIELDS)
        else:
            drafts.discard(request, EVENT_DRAFT)
            messages.success(request, _("The event is saved as a draft. Add its programme, then publish it."))
            return redirect(event)
    return render(request, "events/form.html", {"form": form, "creating": True, "draft": draft,
                                                "draft_key": EVENT_DRAFT})


# The form's names for fields the services name otherwise (local times, hours).
_FORM_FIELDS = {"starts_at": "starts_local", "ends_at": "ends_local", "registration_closes_at":
                "registration_closes_local", "reminder_offsets": "reminder_hours", "timezone": "timezone"}


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    form = EventForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(actor=request.user, event=event, organisations=form.cleaned_data["organisations"],
                                  policy_areas=form.cleaned_data["policy_areas"], **form.service_fields())
        except SERVICE_ERRORS as error:
            apply_to_form(form, error, renames=_FORM_FIELDS)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    return render(request, "events/form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    run_action(request, lambda: services.publish_event(actor=request.user, event=event),
               success=_("The event is published."))
    return redirect(event)


@login_required
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run_action(request, lambda: services.cancel_event(actor=request.user, event=event,
                                                          reason=form.cleaned_data["reason"]),
                   success=_("The event is cancelled; its registrants are told."))
        return redirect(event)
    return render(request, "events/cancel.html", {"event": event, "form": form})


@login_required
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    speaker_form, item_form, attachment_form = (SpeakerForm(prefix="speaker"),
                                                ProgrammeItemForm(prefix="item", event=event),
                                                AttachmentForm(prefix="document"))
    if request.method == "POST":
        what = request.POST.get("what")
        if what == "speaker":
            speaker_form = SpeakerForm(request.POST, prefix="speaker")
            if speaker_form.is_valid():
                return _programme_write(request, event, speaker_form, lambda data: services.add_speaker(
                    actor=request.user, event=event, **data), _("The speaker is added."))
        elif what == "item":
            item_form = ProgrammeItemForm(request.POST, prefix="item", event=event)
            if item_form.is_valid():
                data = item_form.cleaned_data
                return _programme_write(request, event, item_form, lambda _data: services.add_programme_item(
                    actor=request.user, event=event, starts_at=data["starts_local"], title=data["title"],
                    description=data["description"], speakers=data["speakers"], ends_at=data["ends_local"],
                    room=data["room"]), _("The programme item is added."))
        elif what == "document":
            attachment_form = AttachmentForm(request.POST, request.FILES, prefix="document")
            if attachment_form.is_valid():
                return _programme_write(request, event, attachment_form, lambda data: services.add_attachment(
                    actor=request.user, event=event, kind=data["kind"], title=data["title"],
                    upload=data["file"]), _("The document is attached."))
        elif what in ("remove-speaker", "remove-item", "remove-document"):
            try:
                services.remove_from_programme(actor=request.user, event=event, part=what.removeprefix("remove-"),
                                               part_id=int(request.POST.get("id", "")))
            except ValueError:
                messages.error(request, _("Choose what to remove."))
            else:
                messages.success(request, _("Removed."))
            return redirect("events:programme", event.slug)
    return render(request, "events/programme.html", {
        "event": selectors.event_for_page(event.slug, request.user), "speaker_form": speaker_form,
        "item_form": item_form, "attachment_form": attachment_form,
    }, status=400 if request.method == "POST" else 200)


def _programme_write(request: HttpRequest, event: Event, form, write, success: str) -> HttpResponse:
    try:
        write(form.cleaned_data)
    except REFUSALS as error:
        apply_to_form(form, error, renames=_FORM_FIELDS)
        return render(request, "events/programme.html", {
            "event": selectors.event_for_page(event.slug, request.user),
            "speaker_form": form if isinstance(form, SpeakerForm) else SpeakerForm(prefix="speaker"),
            "item_form": form if isinstance(form, ProgrammeItemForm) else ProgrammeItemForm(prefix="item",
                                                                                            event=event),
            "attachment_form": form if isinstance(form, AttachmentForm) else AttachmentForm(prefix="document"),
        }, status=400)
    messages.success(request, success)
    return redirect("events:programme", event.slug)


@login_required
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    rows = list(selectors.registrations_for_organiser(event))
    return render(request, "events/registrations.html", {
        "event": event, "registrations": rows, "message_form": MessageForm(),
        "counts": {status: sum(1 for r in rows if r.status == status) for status in Registration.Status.values},
    })


@login_required
@require_POST
def registration_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    event = _run_event(request, slug)
    act = {"approve": services.approve_registration, "decline": services.decline_registration,
           "cancel": services.cancel_registration_by_organiser}.get(action)
    if act is None:
        raise Http404(_("No such action."))
    run_action(request, lambda: act(actor=request.user, event=event, registration_id=pk),
               success=lambda registration: _("%(name)s: %(status)s.") % {
                   "name": registration.user.full_name, "status": registration.get_status_display().lower()})
    return redirect("events:registrations", event.slug)


@login_required
@require_GET
def registrations_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The attendee list with attendance and answers; no e-mail addresses."""
    event = _run_event(request, slug)
    response = HttpResponse(exports.as_csv(event), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    return response


@login_required
@require_GET
def registrations_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    response = HttpResponse(exports.as_xlsx(event), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.xlsx"'
    return response


@login_required
@require_POST
def message_registrants(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            count = services.message_registrants(actor=request.user, event=event, **form.cleaned_data)
        except REFUSALS as error:
            apply_to_form(form, error, renames=_FORM_FIELDS)
        else:
            messages.success(request, ngettext("Your message is sent to %(count)s registrant.",
                                               "Your message is sent to %(count)s registrants.", count)
                             % {"count": count})
            return redirect("events:registrations", event.slug)
    rows = list(selectors.registrations_for_organiser(event))
    return render(request, "events/registrations.html", {
        "event": event, "registrations": rows, "message_form": form,
        "counts": {status: sum(1 for r in rows if r.status == status) for status in Registration.Status.values},
    }, status=400)


# --- Registration questions ---------------------------------------------------------------------------


@login_required
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisers' questions: add one, hide or show one, remove one nobody answered."""
    event = _run_event(request, slug)
    form = QuestionForm()
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action == "add":
            form = QuestionForm(request.POST)
            if form.is_valid():
                try:
                    services.add_question(actor=request.user, event=event, **form.cleaned_data)
                except REFUSALS as error:
                    apply_to_form(form, error, renames=_FORM_FIELDS)
                else:
                    messages.success(request, _("The question is added."))
                    return redirect("events:questions", event.slug)
        else:
            try:
                question_id = int(request.POST.get("id", ""))
            except ValueError:
                messages.error(request, _("Choose a question."))
                return redirect("events:questions", event.slug)
            if action in ("hide", "show"):
                run_action(request, lambda: services.set_question_hidden(
                    actor=request.user, event=event, question_id=question_id, hidden=action == "hide"),
                    success=_("The question is hidden; its answers are kept.") if action == "hide" else
                    _("The question is asked again."))
            elif action == "remove":
                run_action(request, lambda: services.remove_question(actor=request.user, event=event,
                                                                     question_id=question_id),
                           success=_("The question is removed."))
            else:
                raise Http404(_("No such action."))
            return redirect("events:questions", event.slug)
    return render(request, "events/questions.html", {
        "event": event, "form": form, "questions": selectors.questions_of(event, include_hidden=True),
    }, status=400 if request.method == "POST" else 200)


@login_required
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _run_event(request, slug)
    question = get_object_or_404(event.questions, pk=pk)
    form = QuestionForm(request.POST or None, initial={
        "kind": question.kind, "label": question.label, "help_text": question.help_text,
        "required": question.required, "choices": "\n".join(question.choices), "position": question.position})
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_question(actor=request.user, event=event, question_id=question.pk, label=data["label"],
                                     help_text=data["help_text"], required=data["required"],
                                     position=data["position"] or 0, choices=data["choices"])
        except REFUSALS as error:
            apply_to_form(form, error, renames=_FORM_FIELDS)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("events:questions", event.slug)
    return render(request, "events/question_edit.html", {"event": event, "form": form, "question": question},
                  status=400 if request.method == "POST" else 200)


# --- Tickets and check-in ------------------------------------------------------------------------------


def _qr_svg(url: str) -> str:
    """The QR code as inline SVG, drawn on the server (segno): nothing is fetched to show it."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, border=2, title=_("QR code for check-in")))


@login_required
@require_GET
def ticket(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_page(slug, request.user)
    if event is None:
        _refuse(request, slug)
    registration = selectors.registration_of(request.user, event)
    if not can_see_ticket(request.user, registration):
        raise PermissionDenied(_("Tickets are for confirmed registrants."))
    check_in_url = request.build_absolute_uri(reverse("events:check-in", args=[event.slug,
                                                                               registration.ticket_code]))
    return render(request, "events/ticket.html", {
        "event": event, "registration": registration, "qr": _qr_svg(check_in_url),
        "show_join_link": can_see_join_link(request.user, event, registration),
    })


@login_required
def check_in_by_ticket(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Where the ticket's QR code leads: an organiser checks the attendee in with one tap; others are refused."""
    event = _run_event(request, slug)
    registration = selectors.registration_by_ticket(event, code)
    if registration is None:
        raise Http404(_("This ticket is not one of this event's."))
    changed = None
    if request.method == "POST":
        try:
            registration, changed = services.check_in(actor=request.user, event=event, ticket_code=code,
                                                      method=AttendanceLog.Method.QR)
        except REFUSALS as error:
            messages.error(request, describe(error))
    return render(request, "events/check_in_ticket.html", {
        "event": event, "registration": registration, "changed": changed,
    })


@login_required
def check_in_desk(request: HttpRequest, slug: str) -> HttpResponse:
    """The attendee list for checking in by name; POST checks one in or undoes it."""
    event = _run_event(request, slug)
    if request.method == "POST":
        try:
            registration_id = int(request.POST.get("registration", ""))
        except ValueError:
            messages.error(request, _("Choose a registrant."))
        else:
            try:
                if request.POST.get("action") == "undo":
                    registration = services.undo_check_in(actor=request.user, event=event,
                                                          registration_id=registration_id)
                    messages.success(request, _("%(name)s: check-in undone.") % {"name": registration.user.full_name})
                else:
                    registration, changed = services.check_in(actor=request.user, event=event,
                                                              registration_id=registration_id,
                                                              method=AttendanceLog.Method.LIST)
                    text = (_("%(name)s is checked in.") if changed else
                            _("%(name)s was already checked in: nothing changed."))
                    (messages.success if changed else messages.info)(request, text % {
                        "name": registration.user.full_name})
            except REFUSALS as error:
                messages.error(request, describe(error))
        return redirect(f"{reverse('events:check-in-desk', args=[event.slug])}?"
                        f"{urlencode({'q': request.POST.get('q', '')[:100]})}")
    form = CheckInSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    candidates = list(selectors.check_in_candidates(event, q)[:200])
    stats = selectors.registration_stats(event)
    return render(request, "events/check_in_desk.html", {"event": event, "form": form, "q": q,
                                                         "candidates": candidates, "stats": stats})


@login_required
@require_GET
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """The webinar's join link, through the platform: opening it during the event counts as attending."""
    event = _visible_event(request, slug)
    try:
        url = services.open_join_link(user=request.user, event=event)
    except PermissionDenied:
        messages.error(request, _("The join link is for confirmed registrants."))
        return redirect(event)
    return HttpResponseRedirect(url)


# --- Certificates ---------------------------------------------------------------------------------------


@login_required
@require_GET
def certificate(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    try:
        issued = services.issue_certificate(user=request.user, event=event)
    except REFUSALS as error:
        messages.error(request, describe(error))
        return redirect(event)
    issued = selectors.certificate_by_code(issued.code)
    response = HttpResponse(certificates.render_certificate(issued), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{event.slug}.pdf"'
    return response


@require_GET
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone may confirm a certificate: what it says, and that it is genuine; nothing more."""
    found = selectors.certificate_by_code(code[:20])
    return render(request, "events/verify_certificate.html", {
        "certificate": found, "code": code[:20],
        "hours": certificates.event_hours(found) if found else None,
    }, status=200 if found else 404)


# --- Feedback ----------------------------------------------------------------------------------------------


@login_required
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    registration = selectors.registration_of(request.user, event)
    if not may_give_feedback(registration):
        raise PermissionDenied(_("Feedback is asked of those who attended, until 30 days after the event."))
    given = Feedback.objects.filter(registration=registration).exists()
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and not given and form.is_valid():
        try:
            services.submit_feedback(user=request.user, event=event, **form.cleaned_data)
        except REFUSALS as error:
            apply_to_form(form, error, renames=_FORM_FIELDS)
        else:
            messages.success(request, _("Thank you: your feedback is sent to the organisers."))
            return redirect(event)
    return render(request, "events/feedback.html", {"event": event, "form": form, "given": given},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def feedback_results(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    summary = selectors.feedback_summary(event)
    rows = [(f"{rating} ★", summary["distribution"][rating]) for rating in range(5, 0, -1)]
    return render(request, "events/feedback_results.html", {
        "event": event, "summary": summary,
        "chart": charts.distribution(rows, title=_("Ratings given"), chart_id="ratings") if summary["count"]
        else "",
    })


# --- Sessions -----------------------------------------------------------------------------------------------


@require_GET
def session_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _visible_event(request, slug)
    if event.status == Event.Status.DRAFT:
        raise Http404(_("A draft has no calendar file."))
    item = get_object_or_404(ProgrammeItem.objects.select_related("event").prefetch_related("speakers"),
                             event=event, pk=pk)
    return _calendar_response(request, ical.session_file(item), event.updated_at, f"{event.slug}-{item.pk}.ics")


@login_required
@require_POST
def session_plan(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _visible_event(request, slug)
    run_action(request, lambda: services.set_session_interest(user=request.user, event=event, item_id=pk,
                                                              interested=request.POST.get("plan") != "no"),
               success=lambda planned: _("Added to your plan.") if planned else _("Removed from your plan."),
               refusals=SERVICE_ERRORS)  # not registered: said on the event's page, not a 403
    return redirect(f"{event.get_absolute_url()}#session-{pk}")


# --- The organiser's view -------------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    event = _run_event(request, slug)
    per_day = selectors.registrations_per_day(event)
    summaries = selectors.choice_answer_summaries(event)
    items = selectors.timetable_items(event, request.user)
    return render(request, "events/dashboard.html", {
        "event": event, "stats": selectors.registration_stats(event), "per_day": per_day,
        "registrations_chart": charts.registrations_over_time(per_day), "summaries": summaries,
        "sessions": items, "feedback": selectors.feedback_summary(event),
    })
