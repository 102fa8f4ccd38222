"""The clearinghouse's data: good practices with their workflow log and revisions, and the resource library."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField

from core.taxonomy import Level
from core.validators import validate_links

# The languages content is written in, with the PostgreSQL text-search configuration that stems each one.
# Languages PostgreSQL has no stemmer for use "simple": words are matched as written, lower-cased.
CONTENT_LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "english"),
    "fr": ("French", "french"),
    "de": ("German", "german"),
    "es": ("Spanish", "spanish"),
    "it": ("Italian", "italian"),
    "pt": ("Portuguese", "portuguese"),
    "nl": ("Dutch", "dutch"),
    "sv": ("Swedish", "swedish"),
    "da": ("Danish", "danish"),
    "no": ("Norwegian", "norwegian"),
    "el": ("Greek", "greek"),
    "tr": ("Turkish", "turkish"),
    "ar": ("Arabic", "arabic"),
    "pl": ("Polish", "simple"),
}
LANGUAGE_CHOICES = [(code, name) for code, (name, _config) in CONTENT_LANGUAGES.items()]


def search_config(language: str) -> str:
    """The text-search configuration for content written in `language`."""
    return CONTENT_LANGUAGES.get(language, ("", "simple"))[1]


class TargetGroup(models.Model):
    """Who a practice is for: youth, women, refugees, second generation, newcomers, ..."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Practice(models.Model):
    """A good practice of integration, described as the public practice databases describe theirs."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned to the author"
        PUBLISHED = "published", "Published"

    class Evaluation(models.TextChoices):
        NONE = "none", "Not evaluated"
        SELF = "self", "Self-assessment"
        INTERNAL = "internal", "Internal evaluation"
        EXTERNAL = "external", "External evaluation"
        ACADEMIC = "academic", "Academic study"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.TextField(max_length=1000, help_text="Two or three sentences: what it is and what it achieved.")
    issue = models.TextField("the issue and goals", max_length=10000, blank=True, help_text="Markdown.")
    issue_html = models.TextField(blank=True, editable=False)
    how_it_works = models.TextField(max_length=20000, blank=True, help_text="Markdown.")
    how_it_works_html = models.TextField(blank=True, editable=False)
    results = models.TextField(max_length=10000, blank=True, help_text="Markdown.")
    results_html = models.TextField(blank=True, editable=False)
    evaluation_type = models.CharField(max_length=20, choices=Evaluation.choices, default=Evaluation.NONE)
    evaluation_indicators = models.TextField(max_length=5000, blank=True,
                                             help_text="Markdown: what was measured.")
    evaluation_indicators_html = models.TextField(blank=True, editable=False)
    lessons = models.TextField("what worked and what did not", max_length=10000, blank=True, help_text="Markdown.")
    lessons_html = models.TextField(blank=True, editable=False)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="practices")
    beneficiaries = models.TextField("beneficiaries and coverage", max_length=2000, blank=True)
    funding = models.TextField("funding and resources", max_length=2000, blank=True)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave empty while it runs.")
    country = CountryField()
    city = models.CharField(max_length=120, blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.LOCAL)
    policy_areas = models.ManyToManyField("core.PolicyArea", blank=True, related_name="practices")
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="practices")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="practices",
                                     help_text="The lead organisation.")
    partners = models.ManyToManyField("accounts.Organisation", blank=True, related_name="partner_practices")
    other_partners = models.CharField(max_length=500, blank=True,
                                      help_text="Partners that are not on Crossroads, separated by commas.")
    transferability = models.TextField("what to know before replicating", max_length=10000, blank=True,
                                       help_text="Markdown.")
    transferability_html = models.TextField(blank=True, editable=False)
    links = models.TextField(max_length=3000, blank=True, validators=[validate_links],
                             help_text="One web address a line.")
    resources = models.ManyToManyField("Resource", blank=True, related_name="practices",
                                       help_text="Attachments from the resource library.")
    language = models.CharField("written in", max_length=5, choices=LANGUAGE_CHOICES, default="en")
    other_languages = models.CharField("material also available in", max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practices")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Title (A), summary (B) and the body (C), stemmed in the practice's language; PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                                   name="practice_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(start_year__gte=1945) & Q(start_year__lte=2100),
                                   name="practice_start_year_plausible"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="practice_published_has_date"),
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
    def is_ongoing(self) -> bool:
        return self.end_year is None

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class PracticeTransition(models.Model):
    """One change of a practice's state: who, when, from, to and why."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=20, choices=Practice.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Practice.Status.choices)
    reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.practice}: {self.from_status or 'new'} → {self.to_status}"


class PracticeRevision(models.Model):
    """The text of a published practice as it was before an edit."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               help_text="Who made the edit that replaced this version.")
    content = models.JSONField(help_text="The practice's fields as they were.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["practice", "number"], name="practice_revision_unique")]

    def __str__(self) -> str:
        return f"{self.practice} revision {self.number}"


class Replication(models.Model):
    """Another place that replicated a practice, with a link to the replicating organisation when it is here."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="replications")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="replications")
    place = models.CharField(max_length=120, help_text="The city or region that replicated it.")
    country = CountryField()
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True, help_text="What was adapted.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "place"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "organisation"], condition=Q(organisation__isnull=False),
                                    name="replication_once_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.practice} in {self.place}"


def resource_upload_path(instance: "Resource", filename: str) -> str:
    # The stored name is ours, never the uploader's: the original name is kept in file_name for downloads.
    return f"resources/{instance.slug}.{instance.file_type}"


class Resource(models.Model):
    """A guideline, research paper, policy document, toolkit or recording in the library."""

    class Kind(models.TextChoices):
        GUIDELINE = "guideline", "Guideline"
        RESEARCH = "research", "Research paper"
        POLICY = "policy", "Policy document"
        TOOLKIT = "toolkit", "Toolkit"
        RECORDING = "recording", "Recording"
        PROGRAMME = "programme", "Programme or agenda"

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document (DOCX)"
        ODT = "odt", "OpenDocument text (ODT)"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    publisher = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="resources")
    authors = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=5, choices=LANGUAGE_CHOICES, default="en")
    policy_areas = models.ManyToManyField("core.PolicyArea", blank=True, related_name="resources")
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="resources")
    summary = models.TextField(max_length=5000, help_text="Markdown.")
    summary_html = models.TextField(blank=True, editable=False)
    url = models.URLField("link", max_length=500, blank=True)
    file = models.FileField(upload_to=resource_upload_path, blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    file_type = models.CharField(max_length=10, choices=FileType.choices, blank=True, editable=False)
    file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="resource_has_link_or_file"),
            models.CheckConstraint(condition=Q(year__gte=1900) & Q(year__lte=2100), name="resource_year_plausible"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("directory:resource", args=[self.slug])


class ImportJob(models.Model):
    """A staff CSV import, run by background jobs: checked a batch of rows at a time so the page shows
    progress, then imported in one transaction once staff confirm — every row is saved, or none."""

    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", "Organisations"
        PRACTICES = "practices", "Practices"

    class Status(models.TextChoices):
        VALIDATING = "validating", "Validating"
        VALID = "valid", "Valid, ready to import"
        INVALID = "invalid", "Has errors, nothing saved"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed, nothing saved"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.TextField()
    total_rows = models.PositiveIntegerField(default=0)
    validated_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="[line, field, reason] for each problem found.")
    seen_keys = models.JSONField(default=list, help_text="Names or titles met so far, to find duplicates.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALIDATING)
    imported_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(validated_rows__lte=F("total_rows")),
                                              name="import_progress_within_total")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.file_name}"

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else self.validated_rows * 100 // self.total_rows

    @property
    def in_progress(self) -> bool:
        """A background job is still working on it: the page keeps polling."""
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)
