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
from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.permissions import can_organise_for
from core import audit, extensions
from core.errors import Busy
from core.markdown import render_markdown
from core.models import PolicyArea
from core.ratelimit import Rate, consume
from core.services import notify
from core.slugs import save_with_unique_slug
from core.tasks import enqueue
from core.uploads import CONTENT_TYPES, check_upload
from events import selectors, tasks
from events.mails import REGISTRANT_NOTICES
from events.models import Attachment, Event, FeedToken, ProgrammeItem, Registration, Speaker
from events.permissions import can_run_event

RESERVED_SLUGS = {"new", "calendar", "feed", "mine", "api"}
# Changing one of these changes what a calendar shows: the event's SEQUENCE rises.
CALENDAR_FIELDS = ("title", "summary", "description", "starts_at", "ends_at", "timezone", "format", "venue",
                   "city", "country", "webcast_url", "recording_url", "status")
# What update_event may change; status, SEQUENCE, UID and slug follow their own rules.
EDITABLE_FIELDS = {*CALENDAR_FIELDS, "kind", "join_url", "visibility", "capacity",
                   "requires_approval", "waitlist_enabled", "registration_scope", "registration_opens_at",
                   "registration_closes_at", "reminder_offsets"} - {"status"}
MESSAGE_RATE = Rate(5, 3600)


class RegistrationBusy(Busy):
    """The event's seat lock was not had in time: many people register at this very moment."""

    def __init__(self) -> None:
        super().__init__("Many people are registering for this event right now and your registration could not "
                         "be handled in time. Nothing was saved: please try again in a few seconds.")


# --- Events ------------------------------------------------------------------------------------


def _check_organisations(actor: User, organisations: Iterable[Organisation],
                         already: Iterable[int] = ()) -> list[Organisation]:
    """The organisations, when the actor organises for every one they add (those `already` there stay)."""
    organisations, already = list(organisations), set(already)
    if not organisations:
        raise ValidationError({"organisations": ["Choose at least one organising organisation."]})
    refused = [o.name for o in organisations if o.pk not in already and not can_organise_for(actor, o)]
    if refused:
        raise PermissionDenied(f"You do not organise events for {', '.join(refused)}.")
    return organisations


def _clean_event(event: Event) -> None:
    """Rules beyond single fields, said with the field they concern."""
    errors: dict[str, list[str]] = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = ["The event must end after it starts."]
    if event.format != Event.Format.ONLINE and not event.venue.strip():
        errors["venue"] = ["Give the venue of an event held in person."]
    if (event.registration_opens_at and event.registration_closes_at
            and event.registration_closes_at <= event.registration_opens_at):
        errors["registration_closes_at"] = ["Registration must close after it opens."]
    if event.capacity == 0:
        errors["capacity"] = ["Leave the capacity empty for unlimited seats, or give at least 1."]
    offsets = event.reminder_offsets
    if not isinstance(offsets, list) or not all(isinstance(o, int) and 0 < o <= 60 * 24 * 30 for o in offsets):
        errors["reminder_offsets"] = ["Give reminder times as minutes before the start, each between 1 and 43200."]
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["organisations", "policy_areas", "slug"])


@transaction.atomic
def create_event(*, actor: User, organisations: Iterable[Organisation], kind: str, title: str,
                 starts_at: datetime, ends_at: datetime, timezone_name: str, summary: str = "",
                 description: str = "", policy_areas: Iterable[PolicyArea] = (), format: str = Event.Format.IN_PERSON,
                 venue: str = "", city: str = "", country: str = "", webcast_url: str = "", join_url: str = "",
                 visibility: str = Event.Visibility.PUBLIC, capacity: int | None = None,
                 requires_approval: bool = False, waitlist_enabled: bool = True,
                 registration_scope: str = Event.RegistrationScope.VERIFIED,
                 registration_opens_at: datetime | None = None, registration_closes_at: datetime | None = None,
                 reminder_offsets: list[int] | None = None) -> Event:
    """Create a draft event for organisations the actor organises for; publish it with `publish_event`."""
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
        raise PermissionDenied("Only the event's organisers can do this.")


@transaction.atomic
def update_event(*, actor: User, event: Event, organisations: Iterable[Organisation] | None = None,
                 policy_areas: Iterable[PolicyArea] | None = None, **fields) -> Event:
    """Change an event; a calendar-visible change raises SEQUENCE, a new time tells the registrants."""
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    before = {name: getattr(locked, name) for name in CALENDAR_FIELDS}
    old_capacity = locked.capacity
    if "timezone_name" in fields:
        fields["timezone"] = fields.pop("timezone_name")
    if set(fields) - EDITABLE_FIELDS:
        raise ValueError(f"update_event cannot set {sorted(set(fields) - EDITABLE_FIELDS)}")
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
        _tell_registrants(locked, kind="events.time_changed", template="time_changed",
                          subject=f"New time: {locked.title}", actor=actor)
    if locked.recording_url and locked.recording_url != before["recording_url"]:
        enqueue(tasks.announce_recording, event_id=locked.pk, actor_id=actor.pk, token=secrets.token_hex(8))
    if locked.capacity is None or (old_capacity is not None and locked.capacity > old_capacity):
        _promote_from_waitlist(locked)
    return locked


@transaction.atomic
def publish_event(*, actor: User, event: Event) -> Event:
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    if locked.status != Event.Status.DRAFT:
        state = locked.get_status_display().lower()
        raise ValidationError({"status": [f"Only a draft can be published; this event is {state}."]})
    locked.status, locked.published_at = Event.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor=actor, action="event.published", target=locked)
    return locked


@transaction.atomic
def cancel_event(*, actor: User, event: Event, reason: str = "") -> Event:
    """Cancel for everyone: registrants are told, reminders stop, feeds keep it as CANCELLED."""
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    if locked.status == Event.Status.CANCELLED:
        raise ValidationError({"status": ["The event is already cancelled."]})
    was_published = locked.status == Event.Status.PUBLISHED
    locked.status, locked.cancelled_at = Event.Status.CANCELLED, timezone.now()
    locked.cancellation_reason = reason.strip()[:500]
    locked.sequence += 1
    locked.save()
    audit.record(actor=actor, action="event.cancelled", target=locked, details={"reason": locked.cancellation_reason})
    if was_published:
        _tell_registrants(locked, kind="events.cancelled", template="event_cancelled",
                          subject=f"Cancelled: {locked.title}", actor=actor)
    return locked


def publish_recording(*, actor: User, event: Event, recording_url: str) -> Event:
    """Put the recording online ("now online"); confirmed registrants are told it is there."""
    return update_event(actor=actor, event=event, recording_url=recording_url)


# --- Programme, speakers, attachments ---------------------------------------------------------


@transaction.atomic
def add_speaker(*, actor: User, event: Event, name: str, role: str = "", organisation_name: str = "") -> Speaker:
    _require_runner(actor, event)
    speaker = Speaker(event=event, name=name, role=role, organisation_name=organisation_name,
                      position=event.speakers.count())
    speaker.full_clean()
    speaker.save()
    return speaker


@transaction.atomic
def remove_speaker(*, actor: User, event: Event, speaker_id: int) -> None:
    _require_runner(actor, event)
    Speaker.objects.filter(event=event, pk=speaker_id).delete()


@transaction.atomic
def add_programme_item(*, actor: User, event: Event, starts_at: datetime, title: str, description: str = "",
                       speakers: Iterable[Speaker] = ()) -> ProgrammeItem:
    _require_runner(actor, event)
    if not event.starts_at <= starts_at < event.ends_at:
        raise ValidationError({"starts_at": ["A programme item starts while the event runs."]})
    item = ProgrammeItem(event=event, starts_at=starts_at, title=title, description=description,
                         description_html=render_markdown(description))
    item.full_clean()
    item.save()
    speakers = list(speakers)
    if any(s.event_id != event.pk for s in speakers):
        raise ValidationError({"speakers": ["Choose speakers of this event."]})
    item.speakers.set(speakers)
    return item


@transaction.atomic
def remove_programme_item(*, actor: User, event: Event, item_id: int) -> None:
    _require_runner(actor, event)
    ProgrammeItem.objects.filter(event=event, pk=item_id).delete()


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


@transaction.atomic
def remove_attachment(*, actor: User, event: Event, attachment_id: int) -> None:
    _require_runner(actor, event)
    attachment = Attachment.objects.filter(event=event, pk=attachment_id).first()
    if attachment is not None:
        stored = attachment.file
        attachment.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


# --- Registration -------------------------------------------------------------------------------


def _check_may_register(user: User, event: Event, now: datetime) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"event": ["This event is cancelled."]})
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError({"event": ["This event is not open for registration."]})
    closes = event.registration_closes_at or event.starts_at
    if now >= closes:
        raise ValidationError({"event": ["Registration for this event is closed."]})
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at).strftime("%d %B %Y %H:%M %Z")
        raise ValidationError({"event": [f"Registration opens on {opens}."]})
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ValidationError({"user": ["Verify your e-mail address before registering."]})
    if event.registration_scope == Event.RegistrationScope.ORGANISERS_MEMBERS and not Membership.objects.filter(
            user=user, status=Membership.Status.ACTIVE, organisation__events=event).exists():
        raise ValidationError({"event": ["This event is open to members of its organising organisations only."]})


def _confirmed_count(event: Event) -> int:
    """Should be called while holding the event's row lock (`_lock_event`)."""
    return Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()


def _has_free_seat(event: Event) -> bool:
    """Should be called while holding the event's row lock (`_lock_event`)."""
    return event.capacity is None or _confirmed_count(event) < event.capacity


@transaction.atomic
def register_for_event(*, user: User, event: Event) -> Registration:
    """Ask for a seat: confirmed, pending approval or waitlisted, decided under the event's row lock."""
    locked = _lock_event(event.pk)
    now = timezone.now()
    _check_may_register(user, locked, now)
    registration = Registration.objects.filter(event=locked, user=user).first()
    if registration is not None and registration.is_active:
        raise ValidationError({"event": [f"You are already registered: {registration.get_status_display().lower()}."]})
    if registration is not None and registration.status == Registration.Status.DECLINED:
        raise ValidationError({"event": ["The organisers declined your registration for this event."]})
    if locked.requires_approval:
        status = Registration.Status.PENDING
    elif _has_free_seat(locked):
        status = Registration.Status.CONFIRMED
    elif locked.waitlist_enabled:
        status = Registration.Status.WAITLISTED
    else:
        raise ValidationError({"event": ["This event is full and has no waitlist."]})
    if registration is None:
        registration = Registration.objects.create(event=locked, user=user, status=status, registered_at=now)
    else:
        registration.status, registration.registered_at, registration.decided_by = status, now, None
        registration.save(update_fields=["status", "registered_at", "decided_by", "updated_at"])
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
        raise ValidationError({"registration": ["That registration does not exist."]})
    return registration


@transaction.atomic
def cancel_registration(*, user: User, event: Event) -> Registration:
    """The member gives up their place; a freed seat goes to the first of the waitlist."""
    locked = _lock_event(event.pk)
    registration = _active_registration(locked, user=user)
    if not registration.is_active:
        raise ValidationError({"registration": ["You are not registered for this event."]})
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    _tell_registrant(registration, "cancelled_by_member")
    if was_confirmed:
        _promote_from_waitlist(locked)
    return registration


@transaction.atomic
def cancel_registration_by_organiser(*, actor: User, event: Event, registration_id: int) -> Registration:
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    registration = _active_registration(locked, pk=registration_id)
    if not registration.is_active:
        raise ValidationError({"registration": ["This registration is not active."]})
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status, registration.decided_by = Registration.Status.CANCELLED, actor
    registration.save(update_fields=["status", "decided_by", "updated_at"])
    _tell_registrant(registration, "cancelled_by_organiser")
    if was_confirmed:
        _promote_from_waitlist(locked)
    return registration


@transaction.atomic
def approve_registration(*, actor: User, event: Event, registration_id: int) -> Registration:
    """A pending registration becomes confirmed, or waitlisted when the event is full."""
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    registration = _active_registration(locked, pk=registration_id)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError({"registration": ["Only a registration awaiting approval can be approved."]})
    if _has_free_seat(locked):
        registration.status = Registration.Status.CONFIRMED
    elif locked.waitlist_enabled:
        registration.status = Registration.Status.WAITLISTED
    else:
        raise ValidationError({"registration": ["The event is full: raise the capacity or free a seat first."]})
    registration.decided_by = actor
    registration.save(update_fields=["status", "decided_by", "updated_at"])
    _tell_registrant(registration, registration.status)
    return registration


@transaction.atomic
def decline_registration(*, actor: User, event: Event, registration_id: int) -> Registration:
    _require_runner(actor, event)
    locked = _lock_event(event.pk)
    registration = _active_registration(locked, pk=registration_id)
    if registration.status not in (Registration.Status.PENDING, Registration.Status.WAITLISTED):
        raise ValidationError({"registration": ["Only a pending or waitlisted registration can be declined; "
                                                "cancel a confirmed one instead."]})
    registration.status, registration.decided_by = Registration.Status.DECLINED, actor
    registration.save(update_fields=["status", "decided_by", "updated_at"])
    _tell_registrant(registration, "declined")
    return registration


# --- Telling people -----------------------------------------------------------------------------
# In the app at once (one row); by mail from a task enqueued in the same transaction (events.tasks).


def _tell_registrant(registration: Registration, what: str) -> None:
    """About their own seat: a notification now, the mail (with the .ics when confirmed) from a task."""
    title_template, _, _ = REGISTRANT_NOTICES[what]
    event = registration.event
    notify(recipient=registration.user, kind=f"events.{what}", title=title_template.format(title=event.title),
           url=event.get_absolute_url(), email=False)
    enqueue(tasks.tell_registrant, registration_id=registration.pk, what=what, token=secrets.token_hex(8))


def _tell_registrants(event: Event, *, kind: str, template: str, subject: str, actor: User) -> None:
    """Every live registrant, in the app and by mail (a cancelled or moved event concerns their seat): one
    job, whatever their number; the task notifies and mails them in batches."""
    enqueue(tasks.tell_registrants, event_id=event.pk, kind=kind, template=template, subject=subject,
            actor_id=actor.pk, token=secrets.token_hex(8))


@transaction.atomic
def message_registrants(*, actor: User, event: Event, subject: str, body: str) -> int:
    """An organiser writes to every live registrant: in the app and by e-mail, from a task. Returns how
    many registrants it goes to (the count is the only read that grows with them)."""
    _require_runner(actor, event)
    subject, body = " ".join(subject.split()), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = ["Write a subject."]
    if not body:
        errors["body"] = ["Write the message."]
    if errors:
        raise ValidationError(errors)
    consume(action="announcements", key=f"{actor.pk}:{event.pk}", rate=MESSAGE_RATE)
    audience = selectors.registrants_to_tell(event).exclude(pk=actor.pk).count()
    enqueue(tasks.tell_registrants, event_id=event.pk, kind="events.message", template="message",
            subject=f"{event.title}: {subject}"[:300], body=body, actor_id=actor.pk, token=secrets.token_hex(8),
            attach_ics=False, exclude_actor=True)
    return audience


@transaction.atomic
def contact_organisers(*, sender: User, event: Event, message: str) -> Model:
    """A member writes to the organisers as a platform message (chat's "chat.write_to" action): a direct
    conversation with a sole organiser, else a group named after the event with all of them, reused when
    the member writes again. Chat's own rules apply (length, rate limit, blocks, silenced members)."""
    organisers = [u for u in selectors.organisers_of(event) if u.pk != sender.pk]
    if not organisers:
        raise ValidationError({"message": ["This event has no other organiser to write to."]})
    return extensions.call("chat.write_to", sender=sender, recipients=organisers, title=f"About “{event.title}”",
                           body=message)


# --- Personal calendar feed ----------------------------------------------------------------------


@transaction.atomic
def regenerate_feed_token(*, user: User) -> FeedToken:
    """A new secret for the member's personal feed; the old URL stops working at once."""
    FeedToken.objects.filter(user=user).delete()
    return FeedToken.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def revoke_feed_token(*, user: User) -> None:
    FeedToken.objects.filter(user=user).delete()
