"""The expertise exchange: requests for technical support, their state log, attachments, invitations,
offers, outcomes, and what members and organisations follow."""

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.labels import ChoiceLabels
from core.taxonomy import Level
from core.validators import validate_links

# Languages of work: every language Django knows by a two-letter code (the ones content and members use), and
# Chinese, which Django knows only by script (zh-hans, zh-hant). Django's catalogues translate the names.
WORK_LANGUAGES = sorted([*((code, _(name)) for code, name in ALL_LANGUAGES if len(code) == 2),
                         ("zh", _("Chinese"))], key=lambda c: str(c[1]))
MAX_LANGUAGES = 8


class SupportRequest(ChoiceLabels, models.Model):
    """A request, on behalf of an organisation, for technical support from peers who have done the work."""

    class Kind(models.TextChoices):
        PEER_REVIEW = "peer-review", _("Peer review of a draft strategy or policy")
        ADVICE = "advice", _("Expert advice")
        STUDY_VISIT = "study-visit", _("Study visit")
        TRAINING = "training", _("Training or workshop")
        DATA = "data", _("Data and evaluation help")
        MENTORING = "mentoring", _("Mentoring partnership")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        MATCHED = "matched", _("Matched")
        IN_PROGRESS = "in-progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed without outcome")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Members: signed-in members of Crossroads")
        PUBLIC = "public", _("Public: anyone, also search engines")

    class Effort(models.TextChoices):
        HOURS = "hours", _("A few hours")
        DAYS = "days", _("A few days")
        WEEKS = "weeks", _("A few weeks")
        MONTHS = "months", _("Several months")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="support_requests", verbose_name=_("requesting organisation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_requests")
    kind = models.CharField(_("kind of support"), max_length=20, choices=Kind.choices)
    needs = models.TextField(_("what is needed"), max_length=10000, help_text=_("Markdown."))
    needs_html = models.TextField(blank=True, editable=False)
    # Title (A), needs and city (B), word for word ("simple": a request's language is not recorded);
    # PostgreSQL only, kept current by a trigger (core/search.py, expertise/migrations/0003).
    search_vector = SearchVectorField(null=True, editable=False)
    policy_areas = models.ManyToManyField("core.PolicyArea", blank=True, related_name="support_requests")
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="support_requests")
    country = CountryField(_("country"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.LOCAL)
    city = models.CharField(_("city"), max_length=120, blank=True)
    languages = models.JSONField(_("languages of work"), default=list)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    effort = models.CharField(_("expected effort"), max_length=10, choices=Effort.choices, default=Effort.DAYS)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.MEMBERS)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    hidden = models.BooleanField(default=False, help_text=_("Hidden by a moderator."))
    hidden_reason = models.CharField(max_length=500, blank=True)
    conversation_id = models.PositiveIntegerField(null=True, blank=True, editable=False,
                                                  help_text="The chat group opened by the first acceptance.")
    conversation_url = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "hidden", "-published_at"], name="support_request_listing")]
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False),
                                   name="support_request_published_has_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("expertise:request", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def language_names(self) -> list[str]:
        names = dict(WORK_LANGUAGES)
        return [str(names.get(code, code)) for code in self.languages]


class RequestTransition(ChoiceLabels, models.Model):
    """One change of a request's state: who, when, from, to and why."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=20, choices=SupportRequest.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SupportRequest.Status.choices)
    reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request}: {self.from_status or 'new'} → {self.to_status}"


def attachment_upload_path(instance: "RequestAttachment", filename: str) -> str:
    # The stored name is ours, never the uploader's: the original name is kept in file_name.
    return f"expertise/{instance.request_id}/{instance.token}.{instance.file_type}"


class RequestAttachment(models.Model):
    """A document attached to a request (a draft strategy to review), checked by content like the library's."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(upload_to=attachment_upload_path, max_length=300)
    file_name = models.CharField(max_length=200)
    file_type = models.CharField(max_length=10)
    file_size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file_name


class Invitation(models.Model):
    """The requester asked a suggested peer organisation (and the people named) to respond."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "organisation"], name="invitation_once")]

    def __str__(self) -> str:
        return f"{self.organisation} invited to {self.request}"


class Offer(ChoiceLabels, models.Model):
    """A member's offer of help, on behalf of their organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="support_offers",
                                     verbose_name=_("on behalf of"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_offers")
    proposal = models.TextField(_("what you propose"), max_length=5000, help_text=_("Markdown."))
    proposal_html = models.TextField(blank=True, editable=False)
    timing = models.CharField(_("when"), max_length=200, help_text=_("E.g. “two days in March”, “from June”."))
    language = models.CharField(_("in which language"), max_length=5, choices=WORK_LANGUAGES)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "organisation"], condition=Q(status__in=["pending", "accepted"]),
                                    name="offer_one_live_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} offers help on {self.request}"


class Outcome(models.Model):
    """What came of a completed request; it can become a draft good practice."""

    request = models.OneToOneField(SupportRequest, on_delete=models.CASCADE, related_name="outcome")
    what_was_done = models.TextField(_("what was done"), max_length=10000, help_text=_("Markdown."))
    what_was_done_html = models.TextField(blank=True, editable=False)
    what_changed = models.TextField(_("what changed"), max_length=10000, blank=True, help_text=_("Markdown."))
    what_changed_html = models.TextField(blank=True, editable=False)
    links = models.TextField(_("links to documents"), max_length=3000, blank=True, validators=[validate_links],
                             help_text=_("One web address a line."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    practice_url = models.CharField(max_length=300, blank=True, editable=False,
                                    help_text="The draft good practice made from this outcome.")

    def __str__(self) -> str:
        return f"Outcome of {self.request}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Follow(models.Model):
    """A member, or an organisation (all its members), following a policy area or a sub-topic."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="expertise_follows")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="expertise_follows")
    policy_area = models.ForeignKey("core.PolicyArea", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="+")
    topic = models.ForeignKey("core.Topic", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    email = models.BooleanField(_("also by e-mail"), default=True,
                                help_text=_("E-mails follow your notification preference."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False, organisation__isnull=True)
                                   | Q(user__isnull=True, organisation__isnull=False), name="follow_one_follower"),
            models.CheckConstraint(condition=Q(policy_area__isnull=False, topic__isnull=True)
                                   | Q(policy_area__isnull=True, topic__isnull=False), name="follow_one_subject"),
            models.UniqueConstraint(fields=["user", "policy_area"], condition=Q(policy_area__isnull=False),
                                    name="follow_user_area_once"),
            models.UniqueConstraint(fields=["user", "topic"], condition=Q(topic__isnull=False),
                                    name="follow_user_topic_once"),
            models.UniqueConstraint(fields=["organisation", "policy_area"], condition=Q(policy_area__isnull=False),
                                    name="follow_organisation_area_once"),
            models.UniqueConstraint(fields=["organisation", "topic"], condition=Q(topic__isnull=False),
                                    name="follow_organisation_topic_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.organisation} follows {self.policy_area or self.topic}"
