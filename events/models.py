"""Events (roundtables, webinars, workshops, conferences), their programme, registrations and reminders.

Instants are stored in UTC; `timezone` is the IANA zone of the venue, used for display and iCal.
"""

import uuid
import zoneinfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from accounts.models import validate_timezone
from core.labels import ChoiceLabels
from core.languages import content_language_choices


class Event(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        ROUNDTABLE = "roundtable", _("Roundtable")
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")
        CONFERENCE = "conference", _("Conference")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("event", "Draft")
        PUBLISHED = "published", pgettext_lazy("event", "Published")
        CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone can see it")
        MEMBERS = "members", _("Members only: signed-in members can see it")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class RegistrationScope(models.TextChoices):
        VERIFIED = "verified", _("Any member with a verified account")
        ORGANISERS_MEMBERS = "organisers_members", _("Members of the organising organisations only")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                           help_text="Stable identity in calendars (the iCal UID).")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20000, help_text=_("Markdown."))
    language = models.CharField(_("written in"), max_length=5, choices=content_language_choices, default="en",
                                help_text=_("The language the title and description are written in."))
    description_html = models.TextField(blank=True, editable=False)
    # Title (A), summary (B), description, venue and city (C), stemmed in the event's language; PostgreSQL
    # only, kept current by a trigger (core/search.py, events/migrations/0005).
    search_vector = SearchVectorField(null=True, editable=False)
    policy_areas = models.ManyToManyField("core.PolicyArea", blank=True, related_name="events",
                                          verbose_name=_("policy areas"))
    organisations = models.ManyToManyField("accounts.Organisation", related_name="events",
                                           verbose_name=_("organising organisations"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)

    starts_at = models.DateTimeField(_("starts"), help_text=_("Stored in UTC."))
    ends_at = models.DateTimeField(_("ends"), help_text=_("Stored in UTC."))
    timezone = models.CharField(_("time zone of the venue"), max_length=64, validators=[validate_timezone])
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    webcast_url = models.URLField(_("public webcast link"), max_length=500, blank=True)
    join_url = models.URLField(_("join link"), max_length=500, blank=True,
                               help_text=_("Only confirmed registrants see it."))
    recording_url = models.URLField(_("recording link"), max_length=500, blank=True)

    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: unlimited."))
    requires_approval = models.BooleanField(_("organisers approve each registration"), default=False)
    waitlist_enabled = models.BooleanField(_("waitlist when full"), default=True)
    registration_scope = models.CharField(_("who may register"), max_length=30, choices=RegistrationScope.choices,
                                          default=RegistrationScope.VERIFIED)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    reminder_offsets = models.JSONField(_("reminders"), default=list, blank=True,
                                        help_text=_("Minutes before the start; empty: the site's default."))

    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0,
                                           help_text=_("The iCal SEQUENCE: rises with each change."))
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                                   name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True) | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_closes_after_opening"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_start"),
                   models.Index(fields=["status", "ends_at"], name="event_status_end"),
                   # The lists' order (selectors.listed_events, upcoming): a page's LIMIT walks it and reads the
                   # end and visibility from the index alone, instead of sorting every upcoming event.
                   models.Index(fields=["starts_at", "id"], include=["ends_at", "visibility"],
                                condition=models.Q(status__in=["published", "cancelled"]),
                                name="event_listed_by_start")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    @property
    def place(self) -> str:
        """City and country as far as they are known ("Vienna, Austria", "Austria"), else empty."""
        return ", ".join(part for part in (self.city, self.country.name if self.country else "") if part)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("E.g. Mayor, Programme officer."))
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class ProgrammeItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("event"))
    starts_at = models.DateTimeField(_("starts"), help_text=_("Stored in UTC."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000, help_text=_("Markdown."))
    description_html = models.TextField(blank=True, editable=False)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="programme_items", verbose_name=_("speakers"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True,
                                   help_text=_("Stored in UTC; empty: until the next item."))
    room = models.CharField(_("room or track"), max_length=100, blank=True,
                            help_text=_("Items in different rooms at the same time run in parallel."))

    class Meta:
        ordering = ["starts_at", "room", "id"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")

    def __str__(self) -> str:
        return self.title


class Attachment(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        PRESS_RELEASE = "press_release", _("Press release")
        BACKGROUND_PAPER = "background_paper", _("Background paper")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="events/attachments/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class Registration(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration", "Confirmed")
        PENDING = "pending", pgettext_lazy("registration", "Pending approval")
        WAITLISTED = "waitlisted", pgettext_lazy("registration", "On the waitlist")
        DECLINED = "declined", pgettext_lazy("registration", "Declined")
        CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")

    ACTIVE_STATUSES = (Status.CONFIRMED, Status.PENDING, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations",
                             verbose_name=_("member"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    registered_at = models.DateTimeField(_("registered"), help_text=_("When the member (last) asked for a seat: the "
                                                                      "waitlist order."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    ticket_code = models.CharField(max_length=32, unique=True, null=True, editable=False,
                                   help_text="The secret in the ticket's check-in address (its QR code).")
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True,
                                         help_text=_("Present at the event: checked in, or opened the join link "
                                                     "while it ran."))

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_unique")]
        indexes = [models.Index(fields=["event", "status", "registered_at"], name="registration_queue")]

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None


class SentReminder(models.Model):
    """One reminder mailed to one registrant; the unique constraint makes the reminder job idempotent."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sent_reminders")
    offset_minutes = models.PositiveIntegerField()
    event_starts_at = models.DateTimeField(help_text="The start it reminded of: a moved event is reminded anew.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "offset_minutes", "event_starts_at"],
                                               name="sent_reminder_once")]

    def __str__(self) -> str:
        return f"{self.offset_minutes} min reminder to {self.registration_id}"


class FeedToken(models.Model):
    """The secret in a member's personal calendar feed URL; deleting it revokes the feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed_token")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"

    def get_absolute_url(self) -> str:
        return reverse("events:personal-feed", args=[self.token])


# --- Registration questions ------------------------------------------------------------------------


class RegistrationQuestion(ChoiceLabels, models.Model):
    """Something the organisers ask every registrant. Answered questions are hidden, never deleted."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        CHOICE = "choice", _("One choice")
        CHOICES = "choices", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        COUNTRY = "country", _("A country")

    CHOICE_KINDS = (Kind.CHOICE, Kind.CHOICES)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind of answer"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True,
                               help_text=_("For choice questions: the options, in order."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False,
                                 help_text=_("Hidden questions are no longer asked; their answers are kept."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class RegistrationAnswer(models.Model):
    """One registrant's answer to one question: text, a choice, a list of choices, yes/no or a country code."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RegistrationQuestion, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"


# --- Attendance ----------------------------------------------------------------------------------------


class AttendanceLog(models.Model):
    """Every check-in, undo and join-link visit: who was marked present, how, by whom and when."""

    class Action(models.TextChoices):
        CHECK_IN = "check_in", _("Checked in")
        UNDO = "undo", _("Check-in undone")

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        LIST = "list", _("Attendee list")
        JOIN_LINK = "join_link", _("Opened the join link")
        API = "api", _("API")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance_log")
    action = models.CharField(max_length=20, choices=Action.choices)
    method = models.CharField(max_length=20, choices=Method.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.registration_id} ({self.method})"


class Certificate(models.Model):
    """A certificate of attendance; its code is what the public verification page looks up."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=300, help_text=_("The name as printed on the certificate."))
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("events:verify-certificate", args=[self.code])


# --- Feedback ------------------------------------------------------------------------------------------


class FeedbackRequest(models.Model):
    """The one request for feedback sent to an attendee; its row makes the sending job idempotent."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback_request")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Feedback request to {self.registration_id}"


class Feedback(models.Model):
    class Again(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No")

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("overall rating"))
    useful = models.TextField(_("what was useful"), blank=True, max_length=4000)
    improve = models.TextField(_("what to improve"), blank=True, max_length=4000)
    attend_again = models.CharField(_("would you attend again"), max_length=10, choices=Again.choices)
    named = models.BooleanField(_("show my name to the organisers"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5),
                                              name="feedback_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.registration_id}"


# --- Sessions ------------------------------------------------------------------------------------------


class SessionInterest(models.Model):
    """A registrant plans to attend one programme item."""

    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_interests")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="session_interest_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}"
