"""Every write to events, their programme and registrations, and the mails and notices they cause.

Rules that hold wherever a write comes from (page, API, admin, demo data, management command):
- capacity is never exceeded: a registration locks the event row, counts confirmed seats and decides,
  all in one transaction; a freed seat goes to the first of the waitlist in that same transaction;
- only those who run an event (organisers and admins of an organising organisation, staff) change it;
- the iCal SEQUENCE rises whenever something a calendar shows changes, the UID never does;
- mails and fan-out are jobs enqueued in the change's transaction (events.tasks): nobody is told of a
  change that was rolled back, and no request waits for a mail server or grows with the registrants.
"""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from accounts.models import Membership, Organisation, User
from accounts.permissions import can_organise_for
from core import audit, extensions, versions
from core.errors import Busy
from core.languages import default_content_language
from core.markdown import render_markdown
from core.models import PolicyArea
from core.ratelimit import Rate, consume
from core.services import UNCHANGED, Unchanged, given, notify
from core.slugs import save_with_unique_slug
from core.tasks import enqueue
from core.uploads import CONTENT_TYPES, check_upload
from events import selectors, tasks
from events.models import (
    Attachment,
    AttendanceLog,
    Certificate,
    Event,
    Feedback,
    FeedToken,
    ProgrammeItem,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    SessionInterest,
    Speaker,
)
from events.permissions import can_run_event, can_see_join_link, may_give_feedback

RESERVED_SLUGS = {"new", "calendar", "feed", "mine", "api", "certificates"}
# Changing one of these changes what a calendar shows: the event's SEQUENCE rises.
CALENDAR_FIELDS = ("title", "summary", "description", "starts_at", "ends_at", "timezone", "format", "venue",
                   "city", "country", "webcast_url", "recording_url", "status")
MESSAGE_RATE = Rate(5, 3600)


class RegistrationBusy(Busy):
    """The event's seat lock was not had in time: many people register at this very moment."""

    def __init__(self) -> None:
        super().__init__(_("Many people are registering for this event right now and your registration could not "
                           "be handled in time. Nothing was saved: please try again in a few seconds."))


# --- Events ------------------------------------------------------------------------------------


def _check_organisations(actor: User, organisations: Iterable[Organisation],
                         already: Iterable[int] = ()) -> list[Organisation]:
    """The organisations, when the actor organises for every one they add (those `already` there stay)."""
    organisations, already = list(organisations), set(already)
    if not organisations:
        raise ValidationError({"organisations": [_("Choose at least one organising organisation.")]})
    refused = [o.name for o in organisations if o.pk not in already and not can_organise_for(actor, o)]
    if refused:
        raise PermissionDenied(_("You do not organise events for %(organisations)s.")
                               % {"organisations": ", ".join(refused)})
    return organisations


def _clean_event(event: Event) -> None:
    """Rules beyond single fields, said with the field they concern."""
    errors: dict[str, list[str]] = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = [_("The event must end after it starts.")]
    if event.format != Event.Format.ONLINE and not event.venue.strip():
        errors["venue"] = [_("Give the venue of an event held in person.")]
    if (event.registration_opens_at and event.registration_closes_at
            and event.registration_closes_at <= event.registration_opens_at):
        errors["registration_closes_at"] = [_("Registration must close after it opens.")]
    if event.capacity == 0:
        errors["capacity"] = [_("Leave the capacity empty for unlimited seats, or give at least 1.")]
    offsets = event.reminder_offsets
    if not isinstance(offsets, list) or not all(isinstance(o, int) and 0 < o <= 60 * 24 * 30 for o in offsets):
        errors["reminder_offsets"] = [_("Give reminder times as minutes before the start, each between 1 and 43200.")]
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["organisations", "policy_areas", "slug"])


@versions.bumps("events.event")
@transaction.atomic
def create_event(*, actor: User, organisations: Iterable[Organisation], kind: str, title: str,
                 starts_at: datetime, ends_at: datetime, timezone_name: str, summary: str = "",
                 description: str = "", policy_areas: Iterable[PolicyArea] = (), format: str = Event.Format.IN_PERSON,
                 venue: str = "", city: str = "", country: str = "", webcast_url: str = "", join_url: str = "",
                 visibility: str = Event.Visibility.PUBLIC, capacity: int | None = None,
                 requires_approval: bool = False, waitlist_enabled: bool = True,
                 registration_scope: str = Event.RegistrationScope.VERIFIED,
                 registration_opens_at: datetime | None = None, registration_closes_at: datetime | None = None,
                 reminder_offsets: list[int] | None = None, language: str = "") -> Event:
    """Create a draft event for organisations the actor organises for; publish it with `publish_event`. Its
    `language` (what the title and description are written in) defaults to the organiser's."""
    organisations = _check_organisations(actor, organisations)
    event = Event(
        kind=kind, title=title, summary=summary, description=description,
        description_html=render_markdown(description), starts_at=starts_at, ends_at=ends_at,
        timezone=timezone_name, format=format, venue=venue, city=city,
        country=country or organisations[0].country.code, webcast_url=webcast_url, join_url=join_url,
        visibility=visibility, capacity=capacity, requires_approval=requires_approval,
        waitlist_enabled=waitlist_enabled, registration_scope=registration_scope,
        registration_opens_at=registration_opens_at, registration_closes_at=registration_closes_at,
        reminder_offsets=reminder_offsets or [], created_by=actor, status=Event.Status.DRAFT,
        language=language or default_content_language(actor),
    )
    _clean_event(event)
    save_with_unique_slug(event, f"{title} {starts_at:%Y}", fallback="event", reserved=RESERVED_SLUGS)
    event.organisations.set(organisations)
    event.policy_areas.set(policy_areas)
    for organisation in organisations:
        Organisation.objects.filter(pk=organisation.pk).update(last_activity_at=timezone.now())
    return event


def _lock_event(event_id: int) -> Event:
    """Take the event's row lock for the rest of the transaction, waiting at most EVENTS_LOCK_TIMEOUT_SECONDS.

    Every change to seats (register, cancel, approve, decline, capacity) goes through here, so they
    queue one after another per event and the confirmed count they read is the one they write against.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)",
                           [f"{int(settings.EVENTS_LOCK_TIMEOUT_SECONDS * 1000)}ms"])
    try:
        return Event.objects.select_for_update().get(pk=event_id)
    except OperationalError as error:  # PostgreSQL: lock_timeout; SQLite: "database is locked"
        raise RegistrationBusy() from error


def _require_runner(actor: User, event: Event) -> None:
    if not can_run_event(actor, event):
        raise PermissionDenied(_("Only the event's organisers can do this."))


@versions.bumps("events.event")
@transaction.atomic
def update_event(*, actor: User, event: Event, kind: str | Unchanged = UNCHANGED, title: str | Unchanged = UNCHANGED,
                 language: str | Unchanged = UNCHANGED, summary: str | Unchanged = UNCHANGED,
                 description: str | Unchanged = UNCHANGED, starts_at: datetime | Unchanged = UNCHANGED,
                 ends_at: datetime | Unchanged = UNCHANGED, timezone_name: str | Unchanged = UNCHANGED,
                 format: str | Unchanged = UNCHANGED, venue: str | Unchanged = UNCHANGED,
                 city: str | Unchanged = UNCHANGED, country: str | Unchanged = UNCHANGED,
                 webcast_url: str | Unchanged = UNCHANGED, join_url: str | Unchanged = UNCHANGED,
                 recording_url: str | Unchanged = UNCHANGED, visibility: str | Unchanged = UNCHANGED,
                 capacity: int | Unchanged | None = UNCHANGED, requires_approval: bool | Unchanged = UNCHANGED,
                 waitlist_enabled: bool | Unchanged = UNCHANGED, registration_scope: str | Unchanged = UNCHANGED,
                 registration_opens_at: datetime | Unchanged | None = UNCHANGED,
                 registration_closes_at: datetime | Unchanged | None = UNCHANGED,
                 reminder_offsets: list[int] | Unchanged = UNCHANGED,
                 organisations: Iterable[Organisation] | None = None,
                 policy_areas: Iterable[PolicyArea] | None = None) -> Event:
    """Change an event; a calendar-visible change raises SEQUENCE, a new time tells the registrants. A field
    left UNCHANGED keeps its value, organisations or policy areas left None keep theirs. Status, SEQUENCE, UID
    and slug follow their own rules (publish_event, cancel_event)."""
    fields = given(
        kind=kind, title=title, language=language, summary=summary, description=description, starts_at=starts_at,
        ends_at=ends_at, timezone=timezone_name, format=format, venue=venue, city=city, country=country,
        webcast_url=webcast_url, join_url=join_url, recording_url=recording_url, visibility=visibility,
        capacity=capacity, requires_approval=requires_approval, waitlist_enabled=waitlist_enabled,
        registration_scope=registration_scope, registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at, reminder_offsets=reminder_offsets)
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    before = {name: getattr(locked, name) for name in CALENDAR_FIELDS}
    old_capacity = locked.capacity
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.description_html = render_markdown(locked.description)
    _clean_event(locked)
    changed = any(getattr(locked, name) != value for name, value in before.items())
    if organisations is not None:
        current = set(locked.organisations.values_list("pk", flat=True))
        organisations = _check_organisations(actor, organisations, already=current)
        if {o.pk for o in organisations} != current:
            locked.organisations.set(organisations)
            changed = True
    if policy_areas is not None:
        policy_areas = list(policy_areas)
        if {a.pk for a in policy_areas} != set(locked.policy_areas.values_list("pk", flat=True)):
            locked.policy_areas.set(policy_areas)
            changed = True
    if changed:
        locked.sequence += 1
    locked.save()
    audit.record(actor=actor, action="event.changed", target=locked,
                 details={"fields": sorted(fields), "calendar_changed": changed})
    moved = (before["starts_at"], before["ends_at"]) != (locked.starts_at, locked.ends_at)
    if moved and locked.status == Event.Status.PUBLISHED:
        _tell_registrants(locked, kind="events.time_changed", template="time_changed", actor=actor)
    if locked.recording_url and locked.recording_url != before["recording_url"]:
        enqueue(tasks.announce_recording, event_id=locked.pk, actor_id=actor.pk, token=secrets.token_hex(8))
    if locked.capacity is None or (old_capacity is not None and locked.capacity > old_capacity):
        _promote_from_waitlist(locked)
    return locked


@versions.bumps("events.event")
@transaction.atomic
def publish_event(*, actor: User, event: Event) -> Event:
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    if locked.status != Event.Status.DRAFT:
        raise ValidationError({"status": [_("Only a draft can be published; this event is “%(state)s”.")
                                          % {"state": locked.get_status_display()}]})
    locked.status, locked.published_at = Event.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor=actor, action="event.published", target=locked)
    return locked


@versions.bumps("events.event")
@transaction.atomic
def cancel_event(*, actor: User, event: Event, reason: str = "") -> Event:
    """Cancel for everyone: registrants are told, reminders stop, feeds keep it as CANCELLED."""
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    if locked.status == Event.Status.CANCELLED:
        raise ValidationError({"status": [_("The event is already cancelled.")]})
    was_published = locked.status == Event.Status.PUBLISHED
    locked.status, locked.cancelled_at = Event.Status.CANCELLED, timezone.now()
    locked.cancellation_reason = reason.strip()[:500]
    locked.sequence += 1
    locked.save()
    audit.record(actor=actor, action="event.cancelled", target=locked, details={"reason": locked.cancellation_reason})
    if was_published:
        _tell_registrants(locked, kind="events.cancelled", template="event_cancelled", actor=actor)
    return locked


def publish_recording(*, actor: User, event: Event, recording_url: str) -> Event:
    """Put the recording online ("now online"); confirmed registrants are told it is there."""
    return update_event(actor=actor, event=event, recording_url=recording_url)


# --- Programme, speakers, attachments ---------------------------------------------------------


@versions.bumps("events.event")
@transaction.atomic
def add_speaker(*, actor: User, event: Event, name: str, role: str = "", organisation_name: str = "") -> Speaker:
    _require_runner(actor, event)
    speaker = Speaker(event=event, name=name, role=role, organisation_name=organisation_name,
                      position=event.speakers.count())
    speaker.full_clean()
    speaker.save()
    return speaker


@versions.bumps("events.event")
@transaction.atomic
def add_programme_item(*, actor: User, event: Event, starts_at: datetime, title: str, description: str = "",
                       speakers: Iterable[Speaker] = (), ends_at: datetime | None = None,
                       room: str = "") -> ProgrammeItem:
    """A programme item, or a session: parallel sessions are items in different rooms at the same time."""
    _require_runner(actor, event)
    if not event.starts_at <= starts_at < event.ends_at:
        raise ValidationError({"starts_at": [_("A programme item starts while the event runs.")]})
    if ends_at is not None and not starts_at < ends_at <= event.ends_at:
        raise ValidationError({"ends_at": [_("A session ends after it starts and no later than the event.")]})
    item = ProgrammeItem(event=event, starts_at=starts_at, title=title, description=description,
                         description_html=render_markdown(description), ends_at=ends_at,
                         room=" ".join(room.split()))
    item.full_clean()
    item.save()
    speakers = list(speakers)
    if any(s.event_id != event.pk for s in speakers):
        raise ValidationError({"speakers": [_("Choose speakers of this event.")]})
    item.speakers.set(speakers)
    return item


@versions.bumps("events.event")
@transaction.atomic
def add_attachment(*, actor: User, event: Event, kind: str, title: str, upload: UploadedFile) -> Attachment:
    """Attach a checked document (PDF, Word or OpenDocument text, within the size limit)."""
    _require_runner(actor, event)
    content_type = CONTENT_TYPES[check_upload(upload)]
    attachment = Attachment(event=event, kind=kind, title=title, file=upload, content_type=content_type,
                            size=upload.size, uploaded_by=actor)
    attachment.full_clean()
    attachment.save()
    return attachment


# What remove_from_programme removes, by the name the programme page gives it.
PROGRAMME_PARTS = {"speaker": Speaker, "item": ProgrammeItem, "document": Attachment}


@versions.bumps("events.event")
@transaction.atomic
def remove_from_programme(*, actor: User, event: Event, part: str, part_id: int) -> None:
    """Remove a speaker, a programme item or a document (`part`, a key of PROGRAMME_PARTS) of this event; a
    document's file goes once the removal commits. One already gone, or of another event, is left alone."""
    _require_runner(actor, event)
    removed = PROGRAMME_PARTS[part].objects.filter(event=event, pk=part_id).first()
    if removed is None:
        return
    removed.delete()
    if isinstance(removed, Attachment):
        stored = removed.file
        transaction.on_commit(lambda: stored.delete(save=False))


# --- Registration -------------------------------------------------------------------------------


def _check_may_register(user: User, event: Event, now: datetime) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"event": [_("This event is cancelled.")]})
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError({"event": [_("This event is not open for registration.")]})
    closes = event.registration_closes_at or event.starts_at
    if now >= closes:
        raise ValidationError({"event": [_("Registration for this event is closed.")]})
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at)
        raise ValidationError({"event": [_("Registration opens on %(date)s, %(time)s (%(zone)s).") % {
            "date": date_format(opens, "DATE_FORMAT"), "time": time_format(opens, "TIME_FORMAT"),
            "zone": opens.tzname()}]})
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ValidationError({"user": [_("Verify your e-mail address before registering.")]})
    if event.registration_scope == Event.RegistrationScope.ORGANISERS_MEMBERS and not Membership.objects.filter(
            user=user, status=Membership.Status.ACTIVE, organisation__events=event).exists():
        raise ValidationError({"event": [_("This event is open to members of its organising organisations only.")]})


def _confirmed_count(event: Event) -> int:
    """Should be called while holding the event's row lock (`_lock_event`)."""
    return Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()


def _has_free_seat(event: Event) -> bool:
    """Should be called while holding the event's row lock (`_lock_event`)."""
    return event.capacity is None or _confirmed_count(event) < event.capacity


@versions.bumps("events.event")
@transaction.atomic
def register_for_event(*, user: User, event: Event, answers: dict | None = None,
                       now: datetime | None = None) -> Registration:
    """Ask for a seat: confirmed, pending approval or waitlisted, decided under the event's row lock.

    `answers` maps question ids to answers; a missing required answer or a bad one raises a
    ValidationError naming the question, before any seat is taken. `now` is for demo data and tests
    that build a registration history.
    """
    locked = _lock_event(event.pk)
    now = now or timezone.now()
    _check_may_register(user, locked, now)
    cleaned = clean_answers(event=locked, answers=answers or {})
    registration = Registration.objects.filter(event=locked, user=user).first()
    if registration is not None and registration.is_active:
        raise ValidationError({"event": [_("You are already registered: “%(status)s”.")
                                         % {"status": registration.get_status_display()}]})
    if registration is not None and registration.status == Registration.Status.DECLINED:
        raise ValidationError({"event": [_("The organisers declined your registration for this event.")]})
    if locked.requires_approval:
        status = Registration.Status.PENDING
    elif _has_free_seat(locked):
        status = Registration.Status.CONFIRMED
    elif locked.waitlist_enabled:
        status = Registration.Status.WAITLISTED
    else:
        raise ValidationError({"event": [_("This event is full and has no waitlist.")]})
    if registration is None:
        registration = Registration.objects.create(event=locked, user=user, status=status, registered_at=now,
                                                   ticket_code=new_ticket_code())
    else:
        registration.status, registration.registered_at, registration.decided_by = status, now, None
        registration.save(update_fields=["status", "registered_at", "decided_by", "updated_at"])
    _save_answers(registration, cleaned)
    _tell_registrant(registration, status)
    return registration


def _promote_from_waitlist(event: Event) -> list[Registration]:
    """Give free seats to the waitlist, first come first served. Must hold the event's row lock."""
    if event.status != Event.Status.PUBLISHED:
        return []
    promoted = []
    queue = (Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
             .select_related("user").order_by("registered_at", "id"))
    # A capacity lowered below the confirmed seats leaves no free seat, not a negative number of them.
    free = None if event.capacity is None else max(0, event.capacity - _confirmed_count(event))
    for registration in queue[:free] if free is not None else queue:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        _tell_registrant(registration, "promoted")
        promoted.append(registration)
    return promoted


def _active_registration(event: Event, **lookup) -> Registration:
    registration = (Registration.objects.select_related("user")
                    .filter(event=event, **lookup).first())
    if registration is None:
        raise ValidationError({"registration": [_("That registration does not exist.")]})
    return registration


@versions.bumps("events.event")
@transaction.atomic
def cancel_registration(*, user: User, event: Event) -> Registration:
    """The member gives up their place; a freed seat goes to the first of the waitlist."""
    locked = _lock_event(event.pk)
    registration = _active_registration(locked, user=user)
    if not registration.is_active:
        raise ValidationError({"registration": [_("You are not registered for this event.")]})
    return _cancel(registration, locked, notice="cancelled_by_member")


def _registration_to_decide(actor: User, event: Event, registration_id: int) -> tuple[Event, Registration]:
    """For an organiser's decision on one registration: checks the actor runs the event, locks its seats."""
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    return locked, _active_registration(locked, pk=registration_id)


@versions.bumps("events.event")
@transaction.atomic
def cancel_registration_by_organiser(*, actor: User, event: Event, registration_id: int) -> Registration:
    locked, registration = _registration_to_decide(actor, event, registration_id)
    if not registration.is_active:
        raise ValidationError({"registration": [_("This registration is not active.")]})
    return _cancel(registration, locked, notice="cancelled_by_organiser", decided_by=actor)


def _cancel(registration: Registration, locked: Event, *, notice: str, decided_by: User | None = None) -> Registration:
    """Cancel an active registration (by the member, or by `decided_by`, an organiser) on its locked event,
    tell the registrant, and give a freed seat to the first of the waitlist."""
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    update_fields = ["status", "updated_at"]
    if decided_by is not None:
        registration.decided_by = decided_by
        update_fields.append("decided_by")
    registration.save(update_fields=update_fields)
    _tell_registrant(registration, notice)
    if was_confirmed:
        _promote_from_waitlist(locked)
    return registration


@versions.bumps("events.event")
@transaction.atomic
def approve_registration(*, actor: User, event: Event, registration_id: int) -> Registration:
    """A pending registration becomes confirmed, or waitlisted when the event is full."""
    locked, registration = _registration_to_decide(actor, event, registration_id)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError({"registration": [_("Only a registration awaiting approval can be approved.")]})
    if _has_free_seat(locked):
        registration.status = Registration.Status.CONFIRMED
    elif locked.waitlist_enabled:
        registration.status = Registration.Status.WAITLISTED
    else:
        raise ValidationError({"registration": [_("The event is full: raise the capacity or free a seat first.")]})
    registration.decided_by = actor
    registration.save(update_fields=["status", "decided_by", "updated_at"])
    _tell_registrant(registration, registration.status)
    return registration


@versions.bumps("events.event")
@transaction.atomic
def decline_registration(*, actor: User, event: Event, registration_id: int) -> Registration:
    _locked, registration = _registration_to_decide(actor, event, registration_id)
    if registration.status not in (Registration.Status.PENDING, Registration.Status.WAITLISTED):
        raise ValidationError({"registration": [_("Only a pending or waitlisted registration can be declined; "
                                                  "cancel a confirmed one instead.")]})
    registration.status, registration.decided_by = Registration.Status.DECLINED, actor
    registration.save(update_fields=["status", "decided_by", "updated_at"])
    _tell_registrant(registration, "declined")
    return registration


# --- Telling people -----------------------------------------------------------------------------
# In the app at once (one row); by mail from a task enqueued in the same transaction (events.tasks).


def _tell_registrant(registration: Registration, what: str) -> None:
    """About their own seat: a notification now, the mail (with the .ics when confirmed) from a task."""
    event = registration.event
    notify(recipient=registration.user, kind=f"events.{what}", params={"title": event.title},
           url=event.get_absolute_url(), email=False)
    enqueue(tasks.tell_registrant, registration_id=registration.pk, what=what, token=secrets.token_hex(8))


def _tell_registrants(event: Event, *, kind: str, template: str, actor: User) -> None:
    """Every live registrant, in the app and by mail (a cancelled or moved event concerns their seat): one
    job, whatever their number; the task notifies and mails them in batches, each in their language."""
    enqueue(tasks.tell_registrants, event_id=event.pk, kind=kind, template=template, params={"title": event.title},
            actor_id=actor.pk, token=secrets.token_hex(8))


@transaction.atomic
def message_registrants(*, actor: User, event: Event, subject: str, body: str) -> int:
    """An organiser writes to every live registrant: in the app and by e-mail, from a task. Returns how
    many registrants it goes to (the count is the only read that grows with them)."""
    _require_runner(actor, event)
    subject, body = " ".join(subject.split()), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = [_("Write a subject.")]
    if not body:
        errors["body"] = [_("Write the message.")]
    if errors:
        raise ValidationError(errors)
    consume(action="announcements", key=f"{actor.pk}:{event.pk}", rate=MESSAGE_RATE)
    audience = selectors.registrants_to_tell(event).exclude(pk=actor.pk).count()
    enqueue(tasks.tell_registrants, event_id=event.pk, kind="events.message", template="message",
            params={"title": event.title, "subject": subject[:250], "body": body}, actor_id=actor.pk,
            token=secrets.token_hex(8), attach_ics=False, exclude_actor=True)
    return audience


@transaction.atomic
def contact_organisers(*, sender: User, event: Event, message: str) -> Model:
    """A member writes to the organisers as a platform message (chat's "chat.write_to" action): a direct
    conversation with a sole organiser, else a group named after the event with all of them, reused when
    the member writes again. Chat's own rules apply (length, rate limit, blocks, silenced members)."""
    organisers = [u for u in selectors.organisers_of(event) if u.pk != sender.pk]
    if not organisers:
        raise ValidationError({"message": [_("This event has no other organiser to write to.")]})
    return extensions.call("chat.write_to", sender=sender, recipients=organisers,
                           title=_("About “%(title)s”") % {"title": event.title},
                           body=message)


# --- Personal calendar feed ----------------------------------------------------------------------


@versions.bumps("events.feed")
@transaction.atomic
def regenerate_feed_token(*, user: User) -> FeedToken:
    """A new secret for the member's personal feed; the old URL stops working at once."""
    FeedToken.objects.filter(user=user).delete()
    return FeedToken.objects.create(user=user, token=secrets.token_urlsafe(32))


@versions.bumps("events.feed")
@transaction.atomic
def revoke_feed_token(*, user: User) -> None:
    FeedToken.objects.filter(user=user).delete()


# --- Registration questions and answers ------------------------------------------------------------

MAX_CHOICES = 30
ANSWER_LIMITS = {RegistrationQuestion.Kind.SHORT_TEXT: 300, RegistrationQuestion.Kind.LONG_TEXT: 4000}


def _clean_choices(kind: str, choices: Iterable[str]) -> list[str]:
    if kind not in RegistrationQuestion.CHOICE_KINDS:
        return []
    cleaned: list[str] = []
    for choice in choices:
        choice = " ".join(str(choice).split())[:200]
        if choice and choice not in cleaned:
            cleaned.append(choice)
    if not 2 <= len(cleaned) <= MAX_CHOICES:
        raise ValidationError({"choices": [ngettext("Give between 2 and %(n)d different option, one a line.",
                                                    "Give between 2 and %(n)d different options, one a line.",
                                                    MAX_CHOICES) % {"n": MAX_CHOICES}]})
    return cleaned


def _clean_question(question: RegistrationQuestion) -> None:
    question.label = " ".join(question.label.split())
    question.help_text = " ".join(question.help_text.split())
    errors = {}
    if not question.label:
        errors["label"] = [_("Write the question.")]
    if "\x00" in question.label + question.help_text:
        errors["label"] = [_("Remove the null characters from the question.")]
    if errors:
        raise ValidationError(errors)
    question.full_clean(exclude=["event"])


@versions.bumps("events.event")
@transaction.atomic
def add_question(*, actor: User, event: Event, kind: str, label: str, help_text: str = "", required: bool = False,
                 choices: Iterable[str] = (), position: int | None = None) -> RegistrationQuestion:
    """A question every registrant answers (or may answer) when they register."""
    _require_runner(actor, event)
    if kind not in RegistrationQuestion.Kind.values:
        raise ValidationError({"kind": [_("Choose a kind of answer.")]})
    if position is None:
        position = event.questions.count()
    question = RegistrationQuestion(event=event, kind=kind, label=label, help_text=help_text, required=required,
                                    choices=_clean_choices(kind, choices), position=position)
    _clean_question(question)
    question.save()
    return question


@versions.bumps("events.event")
@transaction.atomic
def update_question(*, actor: User, event: Event, question_id: int, label: str, help_text: str = "",
                    required: bool = False, position: int = 0, choices: Iterable[str] | None = None
                    ) -> RegistrationQuestion:
    """Reword a question or reorder it; the options of an answered choice question may only grow."""
    _require_runner(actor, event)
    question = _question_of(event, question_id)
    question.label, question.help_text, question.required, question.position = label, help_text, required, position
    if choices is not None and question.kind in RegistrationQuestion.CHOICE_KINDS:
        new = _clean_choices(question.kind, choices)
        if question.answers.exists() and not set(question.choices) <= set(new):
            raise ValidationError({"choices": [_("Registrants chose these options already: you can add options "
                                                 "but not remove them.")]})
        question.choices = new
    _clean_question(question)
    question.save()
    return question


def _question_of(event: Event, question_id: int) -> RegistrationQuestion:
    question = RegistrationQuestion.objects.filter(event=event, pk=question_id).first()
    if question is None:
        raise ValidationError({"question": [_("That question does not exist.")]})
    return question


@versions.bumps("events.event")
@transaction.atomic
def set_question_hidden(*, actor: User, event: Event, question_id: int, hidden: bool) -> RegistrationQuestion:
    """Stop asking a question (its answers stay in the exports), or ask it again."""
    _require_runner(actor, event)
    question = _question_of(event, question_id)
    question.hidden = hidden
    question.save(update_fields=["hidden"])
    return question


@versions.bumps("events.event")
@transaction.atomic
def remove_question(*, actor: User, event: Event, question_id: int) -> None:
    """Delete a question nobody answered; an answered one can only be hidden, so no answer is lost."""
    _require_runner(actor, event)
    question = _question_of(event, question_id)
    if question.answers.exists():
        raise ValidationError({"question": [_("Registrants answered this question: hide it instead, so their "
                                              "answers are kept.")]})
    question.delete()


def clean_answers(*, event: Event, answers: dict) -> dict[RegistrationQuestion, object]:
    """Check the answers to the event's asked questions; raise one error per question that needs fixing.

    Keys are question ids (int or str); the error keys are `question_<id>`, as the form's fields.
    """
    by_id = {str(k): v for k, v in answers.items()} if isinstance(answers, dict) else {}
    cleaned: dict[RegistrationQuestion, object] = {}
    errors: dict[str, list[str]] = {}
    for question in event.questions.filter(hidden=False):
        raw = by_id.get(str(question.pk))
        try:
            value = _clean_answer(question, raw)
        except ValidationError as error:
            errors[f"question_{question.pk}"] = error.messages
            continue
        if value in (None, "", []):
            if question.required:
                errors[f"question_{question.pk}"] = [_("Answer this question: it is required.")]
            continue
        cleaned[question] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_answer(question: RegistrationQuestion, raw: object) -> object:
    Kind = RegistrationQuestion.Kind
    if raw is None or raw == "":
        return None
    if question.kind in ANSWER_LIMITS:
        if not isinstance(raw, str):
            raise ValidationError(_("Write the answer as text."))
        text = raw.strip() if question.kind == Kind.LONG_TEXT else " ".join(raw.split())
        if "\x00" in text:
            raise ValidationError(_("Remove the null characters from the answer."))
        limit = ANSWER_LIMITS[question.kind]
        if len(text) > limit:
            # Translators: the plural form follows the limit ("300 characters"); "it has" gives the answer's length.
            raise ValidationError(ngettext("Keep the answer within %(limit)d character (it has %(n)d).",
                                           "Keep the answer within %(limit)d characters (it has %(n)d).",
                                           limit) % {"limit": limit, "n": len(text)})
        return text
    if question.kind == Kind.CHOICE:
        if not isinstance(raw, str) or raw not in question.choices:
            raise ValidationError(_("Choose one of the options given."))
        return raw
    if question.kind == Kind.CHOICES:
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(v, str) and v in question.choices for v in raw):
            raise ValidationError(_("Choose among the options given."))
        return [c for c in question.choices if c in raw]
    if question.kind == Kind.YES_NO:
        if raw in (True, "yes", "true", "on"):
            return True
        if raw in (False, "no", "false"):
            return False
        raise ValidationError(_("Answer yes or no."))
    if question.kind == Kind.COUNTRY:
        if not isinstance(raw, str) or raw.upper() not in dict(countries):
            raise ValidationError(_("Choose a country from the list."))
        return raw.upper()
    raise ValidationError(_("This question cannot be answered."))


def _save_answers(registration: Registration, cleaned: dict[RegistrationQuestion, object]) -> None:
    """Replace the answers to the asked questions; answers to hidden questions stay as they were."""
    asked = RegistrationQuestion.objects.filter(event_id=registration.event_id, hidden=False)
    RegistrationAnswer.objects.filter(registration=registration, question__in=asked).exclude(
        question__in=list(cleaned)).delete()
    for question, value in cleaned.items():
        RegistrationAnswer.objects.update_or_create(registration=registration, question=question,
                                                    defaults={"value": value})


@versions.bumps("events.event")
@transaction.atomic
def update_answers(*, user: User, event: Event, answers: dict) -> Registration:
    """The registrant changes their answers, until registration closes."""
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None or not registration.is_active:
        raise ValidationError({"registration": [_("You are not registered for this event.")]})
    if timezone.now() >= (event.registration_closes_at or event.starts_at):
        raise ValidationError({"registration": [_("Registration is closed: the answers can no longer change.")]})
    _save_answers(registration, clean_answers(event=event, answers=answers))
    return registration


# --- Tickets and check-in ---------------------------------------------------------------------------

JOIN_EARLY = timedelta(minutes=30)


def new_ticket_code() -> str:
    return secrets.token_urlsafe(18)


def _registration_for_check_in(event: Event, **lookup) -> Registration:
    """Should be called inside a transaction: the registration row stays locked until it ends."""
    registration = (Registration.objects.select_for_update(of=("self",)).select_related("user")
                    .filter(event=event, **lookup).first())
    if registration is None:
        raise ValidationError({"ticket": [_("This ticket is not one of this event's.")]})
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError({"ticket": [_("This registration is not confirmed (%(status)s): it cannot be "
                                            "checked in.") % {"status": registration.get_status_display()}]})
    return registration


@versions.bumps("events.event")
@transaction.atomic
def check_in(*, actor: User, event: Event, method: str, ticket_code: str | None = None,
             registration_id: int | None = None, now: datetime | None = None) -> tuple[Registration, bool]:
    """Mark a confirmed registrant present. Returns the registration and whether this call changed it:
    a second check-in changes nothing, and says so."""
    _require_runner(actor, event)
    if event.is_cancelled:
        raise ValidationError({"ticket": [_("The event is cancelled.")]})
    lookup = {"ticket_code": ticket_code} if ticket_code is not None else {"pk": registration_id}
    registration = _registration_for_check_in(event, **lookup)
    if registration.checked_in_at is not None:
        return registration, False
    registration.checked_in_at = now or timezone.now()
    registration.save(update_fields=["checked_in_at", "updated_at"])
    AttendanceLog.objects.create(registration=registration, action=AttendanceLog.Action.CHECK_IN, method=method,
                                 actor=actor)
    return registration, True


@versions.bumps("events.event")
@transaction.atomic
def undo_check_in(*, actor: User, event: Event, registration_id: int) -> Registration:
    """Take back a check-in made by mistake; the undo is logged beside the check-in."""
    _require_runner(actor, event)
    registration = (Registration.objects.select_for_update(of=("self",)).select_related("user")
                    .filter(event=event, pk=registration_id).first())
    if registration is None or registration.checked_in_at is None:
        raise ValidationError({"ticket": [_("This registrant is not checked in.")]})
    registration.checked_in_at = None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    AttendanceLog.objects.create(registration=registration, action=AttendanceLog.Action.UNDO,
                                 method=AttendanceLog.Method.LIST, actor=actor)
    return registration


@transaction.atomic
def open_join_link(*, user: User, event: Event, now: datetime | None = None) -> str:
    """The join link for a member who may see it; a confirmed registrant who opens it while the
    event runs (from half an hour before) counts as attending. Returns the address to send them on to."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update(of=("self",)).filter(event=event, user=user).first()
    if not can_see_join_link(user, event, registration):
        raise PermissionDenied(_("The join link is for confirmed registrants."))
    if (registration is not None and registration.status == Registration.Status.CONFIRMED
            and registration.checked_in_at is None and event.starts_at - JOIN_EARLY <= now <= event.ends_at):
        registration.checked_in_at = now
        registration.save(update_fields=["checked_in_at", "updated_at"])
        AttendanceLog.objects.create(registration=registration, action=AttendanceLog.Action.CHECK_IN,
                                     method=AttendanceLog.Method.JOIN_LINK, actor=user)
    return event.join_url


# --- Certificates --------------------------------------------------------------------------------------

CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _certificate_code() -> str:
    code = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _position in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


@transaction.atomic
def issue_certificate(*, user: User, event: Event, now: datetime | None = None) -> Certificate:
    """The attendee's certificate, issued on first download and the same one after (same code, same name)."""
    registration = Registration.objects.filter(event=event, user=user).select_related("event", "user").first()
    now = now or timezone.now()
    if registration is None or registration.status != Registration.Status.CONFIRMED or not registration.attended:
        raise PermissionDenied(_("Certificates are for those who attended the event."))
    if event.is_cancelled or event.ends_at > now:
        raise ValidationError({"certificate": [_("The certificate can be downloaded once the event is over.")]})
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    name = registration.user.full_name.strip() or registration.user.email.split("@")[0]
    return Certificate.objects.create(registration=registration, code=_certificate_code(), name=name)


# --- Feedback --------------------------------------------------------------------------------------------

@versions.bumps("events.event")
@transaction.atomic
def submit_feedback(*, user: User, event: Event, rating: int, attend_again: str, useful: str = "",
                    improve: str = "", named: bool = False, now: datetime | None = None) -> Feedback:
    """An attendee's feedback, once, until 30 days after the event."""
    registration = Registration.objects.select_for_update(of=("self",)).filter(event=event, user=user).first()
    if not may_give_feedback(registration, now=now):
        raise PermissionDenied(_("Feedback is asked of those who attended, until 30 days after the event."))
    if Feedback.objects.filter(registration=registration).exists():
        raise ValidationError({"feedback": [_("You have already given your feedback on this event. Thank you!")]})
    errors = {}
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        errors["rating"] = [_("Give a rating from 1 to 5.")]
    if attend_again not in Feedback.Again.values:
        errors["attend_again"] = [_("Say whether you would attend again.")]
    for field, text in (("useful", useful), ("improve", improve)):
        if not isinstance(text, str):
            errors[field] = [_("Write this answer as text.")]
        elif len(text.strip()) > 4000 or "\x00" in text:
            errors[field] = [_("Keep this answer within 4000 characters, without null characters.")]
    if errors:
        raise ValidationError(errors)
    return Feedback.objects.create(registration=registration, rating=rating, attend_again=attend_again,
                                   useful=useful.strip(), improve=improve.strip(), named=bool(named))


# --- Sessions ------------------------------------------------------------------------------------------------


@versions.bumps("events.event")
@transaction.atomic
def set_session_interest(*, user: User, event: Event, item_id: int, interested: bool) -> bool:
    """A registrant plans to attend a session (or no longer does). Returns whether they now plan to."""
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None or not registration.is_active:
        raise PermissionDenied(_("Register for the event to plan the sessions you attend."))
    item = ProgrammeItem.objects.filter(event=event, pk=item_id).first()
    if item is None:
        raise ValidationError({"item": [_("That session does not exist.")]})
    if interested:
        SessionInterest.objects.get_or_create(item=item, user=user)
    else:
        SessionInterest.objects.filter(item=item, user=user).delete()
    return interested
