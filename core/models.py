"""What every app shares: the policy-area taxonomy and in-app notifications."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import taxonomy
from core.notifications import Rendered, render
from core.reference import TranslatedNameField


class PolicyArea(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    # Read in the viewer's language, by code (core.reference).
    name = TranslatedNameField(max_length=100, names=lambda: taxonomy.AREA_NAMES)
    description = TranslatedNameField(max_length=300, blank=True, names=lambda: taxonomy.AREA_DESCRIPTIONS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A sub-topic of one policy area (employment, anti-discrimination law, ...)."""

    area = models.ForeignKey(PolicyArea, on_delete=models.CASCADE, related_name="topics")
    slug = models.SlugField(max_length=60, unique=True)
    name = TranslatedNameField(max_length=120, names=lambda: taxonomy.TOPIC_NAMES, code_field="slug")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area__position", "position"]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """Something a member should see: a reply, a registration change, a moderation outcome."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    kind = models.CharField(max_length=50, help_text=_("What happened, e.g. forums.reply or events.promoted."))
    params = models.JSONField(null=True, blank=True,
                              help_text=_("What the kind's text is made of (names, titles, dates), so it reads in "
                                          "the reader's language when shown; empty on notifications stored "
                                          "before, which read as their stored title."))
    title = models.CharField(max_length=300, help_text=_("The text in the site's language when it was made; "
                                                       "shown only when the kind cannot render it."))
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True,
                                      help_text=_("When it went out by e-mail, alone or in a digest."))
    source = models.CharField(max_length=200, blank=True, default="",
                              help_text=_("What caused it, e.g. forums.post:12; a retried fan-out task "
                                        "never notifies a member twice of the same source."))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread"),
                   # A member's list, newest first (the page and /api/notifications/): an index walk that stops at
                   # the page's 20 rows, instead of reading and sorting every notification the member has.
                   models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest")]
        constraints = [models.UniqueConstraint(fields=["recipient", "source"], condition=~models.Q(source=""),
                                               name="notification_once_per_source")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @cached_property
    def rendered(self) -> Rendered:
        """Its title and body in the active language and time zone (core.notifications.render)."""
        return render(self)

    @property
    def shown_title(self) -> str:
        return self.rendered.title

    @property
    def shown_body(self) -> str:
        return self.rendered.body


class Page(models.Model):
    """A page of the site's own text (about, privacy, terms, accessibility, contact) that staff edit in the
    admin, without a deploy. The body is Markdown, rendered and sanitised once on save (core.services.save_page)."""

    slug = models.SlugField(max_length=60, unique=True,
                            help_text=_("Its address: about, privacy, terms, accessibility and contact are linked "
                                      "from every page's footer; any other is at /pages/<slug>/."))
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300, help_text=_("One or two sentences: the page's description for search "
                                                         "engines and link previews."))
    body = models.TextField(max_length=50_000, help_text=_("Markdown."))
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   editable=False, related_name="+")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.slug in FOOTER_PAGES:
            return reverse(f"core:page-{self.slug}")
        return reverse("core:page", args=[self.slug])


# The pages every footer links to, in order; each has its own short address (/about/, /privacy/, ...).
FOOTER_PAGES = ("about", "privacy", "terms", "accessibility", "contact")


class FormDraft(models.Model):
    """What a member typed into a long form (a practice, an event, an organisation) and kept with "Save draft",
    unchecked, to finish later. One per member and form; deleted when the form is saved for real."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    key = models.CharField(max_length=100, help_text=_("Which form, e.g. practice:new."))
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="form_draft_unique")]

    def __str__(self) -> str:
        return f"{self.key} draft of {self.user}"


class SentMail(models.Model):
    """One e-mail that went out: an address and the reason it was sent, recorded before it is sent.

    The row is written and the mail handed to the mail server in one transaction (`core.emails.deliver`),
    so a retried task finds it and sends nothing twice, and a refused mail leaves no row behind.
    """

    address = models.EmailField(max_length=254)
    reason = models.CharField(max_length=200, help_text=_("Why it was sent, unique per address, "
                                                        "e.g. events.cancelled:<token> or notification:42."))
    subject = models.CharField(max_length=300)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["address", "reason"], name="sentmail_once_per_reason")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.address}"


class WorkerHeartbeat(models.Model):
    """A running task worker says it is alive; a job held by a worker that stopped beating is run again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class AuditEntry(models.Model):
    """One privileged action: who, when, what, on which object, from which address. Rows are only ever
    added (core.audit.record, in the action's transaction); the admin shows and filters them, nobody edits
    or deletes one, and the model refuses both."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField(max_length=200, help_text=_("Who, as their name read then."))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=300, help_text=_("What was acted on, as it read then."))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_label} on {self.target_label}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError(_("The audit log is append-only: an entry is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(_("The audit log is append-only: an entry is never deleted."))
