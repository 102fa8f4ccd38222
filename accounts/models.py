"""Members, the organisations they belong to, and their memberships with roles."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.labels import ChoiceLabels
from core.taxonomy import Level


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(gettext("“%(value)s” is not an IANA time zone; use a name such as Europe/Vienna.")
                              % {"value": value})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get(self, *args, **kwargs) -> "User":
        """`User.objects.get(pk=…)` by a statement compiled once per database connection: the session's user on
        every member page (the authentication backends' get_user asks exactly this), ~0.4 ms of CPU less than
        the ORM building and compiling the same query each time (0.42-0.67 -> 0.13-0.21 ms measured on
        PostgreSQL). The same row, read afresh from the database on every request (a password change, a
        deactivation or a suspension shows on the next one), the same exceptions; any other call is the ORM's."""
        if args or kwargs.keys() != {"pk"}:
            return super().get(*args, **kwargs)
        connection = connections[self.db]
        # Per model class: a migration's historical User has its own fields, and so its own statement.
        statements = connection.__dict__.setdefault("_crossroads_user_by_pk", {})
        statement = statements.get(self.model)
        if statement is None:
            compiler = self.get_queryset().filter(pk=0).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            assert list(params) == [0], params  # the pk is the statement's only parameter
            columns = [column for column, _sql, _alias in compiler.select]
            statement = (sql, [column.target.attname for column in columns], compiler,
                         compiler.get_converters(columns))
            statements[self.model] = statement
        sql, names, compiler, converters = statement
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.model._meta.pk.get_prep_value(kwargs["pk"])])
            rows = cursor.fetchall()
        if not rows:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        row = next(iter(compiler.apply_converters(rows, converters))) if converters else rows[0]
        return self.model.from_db(self.db, names, row)

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(ChoiceLabels, AbstractBaseUser, PermissionsMixin):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone can see my profile")
        MEMBERS = "members", _("Members only: signed-in members can see my profile")

    class EmailNotifications(models.TextChoices):
        EACH = "each", _("An e-mail for each notification")
        DIGEST = "digest", _("A daily digest")
        NONE = "none", _("No e-mail; in-app only")

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True,
                              error_messages={"unique": _("A member with this e-mail address already exists.")})
    full_name = models.CharField(_("full name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    bio = models.TextField(_("bio"), blank=True, max_length=4000, help_text=_("Markdown."))
    bio_html = models.TextField(blank=True, editable=False)
    # The key of the avatar drawn by core.images (two sizes under avatars/); empty shows initials.
    avatar = models.CharField(max_length=32, blank=True, editable=False)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES,
                                default="en")
    profile_visibility = models.CharField(_("who may see my profile"), max_length=10, choices=Visibility.choices,
                                          default=Visibility.MEMBERS)
    email_notifications = models.CharField(_("e-mail notifications"), max_length=10,
                                           choices=EmailNotifications.choices, default=EmailNotifications.EACH)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=now)
    # Moderation: a silenced member cannot post or message, a suspended one cannot log in.
    silenced_until = models.DateTimeField(null=True, blank=True)
    silence_reason = models.CharField(max_length=500, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]
        permissions = [("moderate", _("Can moderate forums, practices, reports and members"))]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.pk])

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > now()

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > now()


class Organisation(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        GOVERNMENT = "government", _("Regional or national government")
        NGO = "ngo", _("NGO")
        RESEARCH = "research", _("Research institute")
        INTERNATIONAL = "international", _("International organisation")
        FOUNDATION = "foundation", _("Foundation or network")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    level = models.CharField(_("geographic level"), max_length=20, choices=Level.choices, default=Level.LOCAL)
    website = models.URLField(_("website"), blank=True, max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=10000, help_text=_("Markdown."))
    description_html = models.TextField(blank=True, editable=False)
    # The key of the logo drawn by core.images (two sizes under logos/); empty shows initials.
    logo = models.CharField(max_length=32, blank=True, editable=False)
    policy_areas = models.ManyToManyField("core.PolicyArea", blank=True, related_name="organisations",
                                          verbose_name=_("policy areas"))
    topics = models.ManyToManyField("core.Topic", blank=True, related_name="organisations",
                                    verbose_name=_("sub-topics"))
    verified = models.BooleanField(_("verified"), default=False,
                                   help_text=_("Set by staff once the organisation is checked."))
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity_at = models.DateTimeField(default=now, db_index=True,
                                            help_text=_("When the organisation last published or changed something."))
    # Name (A), description (B) and city (C), word for word ("simple": an organisation's language is not
    # recorded); PostgreSQL only, kept current by a trigger (core/search.py, accounts/migrations/0005).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["verified", "name"], name="org_verified_name"),
            # The directory's and the API's default order (name, case folded): a page is 20 index entries,
            # not a sort of every listed organisation.
            models.Index(Lower("name"), F("id"), condition=Q(verified=True), name="org_listed_by_name"),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", args=[self.slug])


class Membership(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ORGANISER = "organiser", _("Organiser (runs events)")
        ADMIN = "admin", _("Administrator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        ACTIVE = "active", _("Active")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(_("message"), max_length=500, blank=True, help_text=_("Why the member asks to join."))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    class Meta:
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "role"], name="membership_org_status")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role == self.Role.ADMIN
