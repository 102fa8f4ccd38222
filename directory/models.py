"""The clearinghouse's data: good practices with their workflow log and revisions, and the resource library."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import CountryField

from core.labels import ChoiceLabels

# The languages content is written in live in core (events and forums use them too); re-exported here.
from core.languages import CONTENT_LANGUAGES as CONTENT_LANGUAGES
from core.languages import LANGUAGE_CHOICES as LANGUAGE_CHOICES
from core.languages import content_language_choices
from core.languages import search_config as search_config
from core.reference import TranslatedNameField
from core.taxonomy import Level
from core.validators import validate_links
from directory import taxonomy


class TargetGroup(models.Model):
    """Who a practice is for: youth, women, refugees, second generation, newcomers, ..."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    # Read in the viewer's language, by slug (core.reference).
    name = TranslatedNameField(_("name"), max_length=80, names=lambda: taxonomy.TARGET_GROUP_NAMES,
                               code_field="slug")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Practice(ChoiceLabels, models.Model):
    """A good practice of integration, described as the public practice databases describe theirs."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to the author")
        PUBLISHED = "published", _("Published")

    class Evaluation(models.TextChoices):
        NONE = "none", _("Not evaluated")
        SELF = "self", _("Self-assessment")
        INTERNAL = "internal", _("Internal evaluation")
        EXTERNAL = "external", _("External evaluation")
        ACADEMIC = "academic", _("Academic study")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), max_length=1000,
                               help_text=_("Two or three sentences: what it is and what it achieved."))
    issue = models.TextField(_("the issue and goals"), max_length=10000, blank=True, help_text=_("Markdown."))
    issue_html = models.TextField(blank=True, editable=False)
    how_it_works = models.TextField(_("how it works"), max_length=20000, blank=True, help_text=_("Markdown."))
    how_it_works_html = models.TextField(blank=True, editable=False)
    results = models.TextField(_("results"), max_length=10000, blank=True, help_text=_("Markdown."))
    results_html = models.TextField(blank=True, editable=False)
    evaluation_type = models.CharField(_("evaluation type"), max_length=20, choices=Evaluation.choices,
                                       default=Evaluation.NONE)
    evaluation_indicators = models.TextField(_("evaluation indicators"), max_length=5000, blank=True,
                                             help_text=_("Markdown: what was measured."))
    evaluation_indicators_html = models.TextField(blank=True, editable=False)
    lessons = models.TextField(_("what worked and what did not"), max_length=10000, blank=True,
                               help_text=_("Markdown."))
    lessons_html = models.TextField(blank=True, editable=False)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="practices",
                                           verbose_name=_("target groups"))
    beneficiaries = models.TextField(_("beneficiaries and coverage"), max_length=2000, blank=True)
    funding = models.TextField(_("funding and resources"), max_length=2000, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True,
                                                help_text=_("Leave empty while it runs."))
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.LOCAL)
    policy_areas = models.ManyToManyField("core.PolicyArea", blank=True, related_name="practices",
                                          verbose_name=_("policy areas"))
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="practices", verbose_name=_("sub-topics"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="practices",
                                     verbose_name=_("organisation"), help_text=_("The lead organisation."))
    partners = models.ManyToManyField("accounts.Organisation", blank=True, related_name="partner_practices",
                                      verbose_name=_("partners"))
    other_partners = models.CharField(_("other partners"), max_length=500, blank=True,
                                      help_text=_("Partners that are not on Crossroads, separated by commas."))
    transferability = models.TextField(_("what to know before replicating"), max_length=10000, blank=True,
                                       help_text=_("Markdown."))
    transferability_html = models.TextField(blank=True, editable=False)
    links = models.TextField(_("links"), max_length=3000, blank=True, validators=[validate_links],
                             help_text=_("One web address a line."))
    resources = models.ManyToManyField("Resource", blank=True, related_name="practices",
                                       verbose_name=_("resources"),
                                       help_text=_("Attachments from the resource library."))
    language = models.CharField(_("written in"), max_length=5, choices=content_language_choices, default="en")
    other_languages = models.CharField(_("material also available in"), max_length=200, blank=True)
    translation_of = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                                       related_name="translations", verbose_name=_("translation of"),
                                       help_text=_("The original this practice is a version of, in another "
                                                   "language; at most one version per language."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practices",
                               verbose_name=_("author"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    # Title (A), summary (B) and the body (C), stemmed in the practice's language; PostgreSQL only, kept
    # current by a trigger (core/search.py, directory/migrations/0006).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                                   name="practice_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(start_year__gte=1945) & Q(start_year__lte=2100),
                                   name="practice_start_year_plausible"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="practice_published_has_date"),
            models.UniqueConstraint(fields=["translation_of", "language"], condition=Q(translation_of__isnull=False),
                                    name="practice_one_version_per_language"),
            models.CheckConstraint(condition=~Q(translation_of=F("id")), name="practice_not_its_own_translation"),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="practice_status_published")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("directory:practice", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class PracticeTransition(ChoiceLabels, models.Model):
    """One change of a practice's state: who, when, from, to and why."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="transitions",
                                 verbose_name=_("practice"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                              verbose_name=_("by"))
    from_status = models.CharField(_("from"), max_length=20, choices=Practice.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Practice.Status.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("change of state")
        verbose_name_plural = _("changes of state")

    def __str__(self) -> str:
        return _("%(practice)s: %(from)s → %(to)s") % {
            "practice": self.practice, "from": self.get_from_status_display() or pgettext("practice state", "new"),
            "to": self.get_to_status_display()}


class PracticeRevision(models.Model):
    """The text of a published practice as it was before an edit."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="revisions",
                                 verbose_name=_("practice"))
    number = models.PositiveIntegerField(_("number"))
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("editor"),
                               help_text=_("Who made the edit that replaced this version."))
    content = models.JSONField(_("content"), help_text=_("The practice's fields as they were."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("practice revision")
        verbose_name_plural = _("practice revisions")
        constraints = [models.UniqueConstraint(fields=["practice", "number"], name="practice_revision_unique")]

    def __str__(self) -> str:
        return _("%(practice)s, version %(number)s") % {"practice": self.practice, "number": self.number}


class Replication(models.Model):
    """Another place that replicated a practice, with a link to the replicating organisation when it is here."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="replications",
                                 verbose_name=_("practice"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="replications", verbose_name=_("organisation"))
    place = models.CharField(_("place"), max_length=120, help_text=_("The city or region that replicated it."))
    country = CountryField(_("country"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("What was adapted."))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                 verbose_name=_("added by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["country", "place"]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        constraints = [
            models.UniqueConstraint(fields=["practice", "organisation"], condition=Q(organisation__isnull=False),
                                    name="replication_once_per_organisation"),
        ]

    def __str__(self) -> str:
        return _("%(practice)s in %(place)s") % {"practice": self.practice, "place": self.place}


def resource_upload_path(instance: "Resource", filename: str) -> str:
    # The stored name is ours, never the uploader's: the original name is kept in file_name for downloads.
    return f"resources/{instance.slug}.{instance.file_type}"


class Resource(ChoiceLabels, models.Model):
    """A guideline, research paper, policy document, toolkit or recording in the library."""

    class Kind(models.TextChoices):
        GUIDELINE = "guideline", _("Guideline")
        RESEARCH = "research", _("Research paper")
        POLICY = "policy", _("Policy document")
        TOOLKIT = "toolkit", _("Toolkit")
        RECORDING = "recording", _("Recording")
        PROGRAMME = "programme", _("Programme or agenda")

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", _("Word document (DOCX)")
        ODT = "odt", _("OpenDocument text (ODT)")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    publisher = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="resources",
                                  verbose_name=_("publisher"))
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=5, choices=content_language_choices, default="en")
    translation_of = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                                       related_name="translations", verbose_name=_("translation of"),
                                       help_text=_("The original this resource is a version of, in another "
                                                   "language; at most one version per language."))
    policy_areas = models.ManyToManyField("core.PolicyArea", blank=True, related_name="resources",
                                          verbose_name=_("policy areas"))
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="resources", verbose_name=_("sub-topics"))
    summary = models.TextField(_("summary"), max_length=5000, help_text=_("Markdown."))
    summary_html = models.TextField(blank=True, editable=False)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=resource_upload_path, blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    file_type = models.CharField(_("file type"), max_length=10, choices=FileType.choices, blank=True,
                                 editable=False)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                 verbose_name=_("added by"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="resource_has_link_or_file"),
            models.CheckConstraint(condition=Q(year__gte=1900) & Q(year__lte=2100), name="resource_year_plausible"),
            models.UniqueConstraint(fields=["translation_of", "language"], condition=Q(translation_of__isnull=False),
                                    name="resource_one_version_per_language"),
            models.CheckConstraint(condition=~Q(translation_of=F("id")), name="resource_not_its_own_translation"),
        ]
        # The library's default order: a page walks 20 entries instead of sorting the library (at 10x the
        # planner sorted 20,000 whole rows on disk for the API's first page: 77 ms).
        indexes = [models.Index(F("created_at").desc(), F("id").desc(), name="resource_recent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("directory:resource", args=[self.slug])


class ImportJob(ChoiceLabels, models.Model):
    """A staff CSV import, run by background jobs: checked a batch of rows at a time so the page shows
    progress, then imported in one transaction once staff confirm — every row is saved, or none."""

    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organisations")
        PRACTICES = "practices", _("Practices")

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Validating")
        VALID = "valid", _("Valid, ready to import")
        INVALID = "invalid", _("Has errors, nothing saved")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed, nothing saved")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("uploaded by"))
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.TextField(_("content"))
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    validated_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    errors = models.JSONField(_("errors"), default=list,
                              help_text=_("[line, field, reason] for each problem found."))
    seen_keys = models.JSONField(default=list, help_text="Names or titles met so far, to find duplicates.")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.VALIDATING)
    imported_count = models.PositiveIntegerField(_("rows imported"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CSV import")
        verbose_name_plural = _("CSV imports")
        constraints = [models.CheckConstraint(condition=Q(validated_rows__lte=F("total_rows")),
                                              name="import_progress_within_total")]

    def __str__(self) -> str:
        return _("%(kind)s from %(file)s") % {"kind": self.get_kind_display(), "file": self.file_name}

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else self.validated_rows * 100 // self.total_rows

    @property
    def in_progress(self) -> bool:
        """A background job is still working on it: the page keeps polling."""
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)
