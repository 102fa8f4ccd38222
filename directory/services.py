"""Every write to practices, replications and resources.

Rules that hold wherever a write comes from (page, API, admin, CSV import, demo data):
- a member writes practices only for an organisation they actively belong to;
- a practice moves draft → submitted → published, or back to returned with a reason, and every move
  is logged with who, when, from, to and why;
- only moderators publish or return; the author and the organisation's admins edit, and an edit of a
  published practice keeps the text it replaced as a revision;
- Markdown is rendered once, here; the stored search vector is the database's to keep (a trigger, see
  core/search.py), and every write bumps its kind's cache generation (core/versions.py), so cached
  facet counts never outlive the rows they counted.
"""

from collections.abc import Iterable
from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.services import found_organisation, set_organisation_verified
from core import versions
from core.languages import default_content_language
from core.markdown import render_markdown
from core.models import PolicyArea, Topic
from core.services import UNCHANGED, Unchanged, given, notify, notify_many
from core.slugs import save_with_unique_slug
from core.tasks import enqueue
from core.taxonomy import set_taxonomy
from core.uploads import check_upload
from directory import imports, permissions, tasks
from directory.models import (
    ImportJob,
    Practice,
    PracticeRevision,
    PracticeTransition,
    Replication,
    Resource,
    TargetGroup,
)
from moderation.selectors import global_moderators

PRACTICE_MARKDOWN_FIELDS = ["issue", "how_it_works", "results", "evaluation_indicators", "lessons",
                            "transferability"]
PRACTICE_FIELDS = ["title", "summary", *PRACTICE_MARKDOWN_FIELDS, "evaluation_type", "beneficiaries", "funding",
                   "start_year", "end_year", "country", "city", "level", "other_partners", "links", "language",
                   "other_languages"]
PRACTICE_RELATIONS = ["policy_areas", "topics", "target_groups", "partners", "resources"]
# What a translator writes; the rest of a translation (place, years, taxonomy, partners, links) is the original's.
PRACTICE_TRANSLATED_FIELDS = ["title", "summary", *PRACTICE_MARKDOWN_FIELDS, "beneficiaries", "funding"]
RESOURCE_FIELDS = ["title", "kind", "authors", "year", "language", "summary", "url"]

def _touch_organisation(organisation_id: int) -> None:
    """The organisation published or changed something: the directory's "recent activity" sort uses it."""
    Organisation.objects.filter(pk=organisation_id).update(last_activity_at=timezone.now())


def _apply_practice_fields(practice: Practice, fields: dict) -> None:
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise ValueError(f"Not practice fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(practice, name, value)
    for name in PRACTICE_MARKDOWN_FIELDS:
        setattr(practice, f"{name}_html", render_markdown(getattr(practice, name)))


def _set_practice_relations(practice: Practice, relations: dict) -> None:
    set_taxonomy(practice, relations.get("policy_areas"), relations.get("topics"))
    if relations.get("target_groups") is not None:
        practice.target_groups.set(relations["target_groups"])
    if relations.get("partners") is not None:
        practice.partners.set([o for o in relations["partners"] if o.pk != practice.organisation_id])
    if relations.get("resources") is not None:
        practice.resources.set(relations["resources"])


def _log(practice: Practice, actor: User | None, from_status: str, to_status: str, reason: str = "") -> None:
    PracticeTransition.objects.create(practice=practice, actor=actor, from_status=from_status,
                                      to_status=to_status, reason=reason)


def _new_practice(author: User, organisation: Organisation, relations: dict, fields: dict) -> Practice:
    practice = Practice(author=author, organisation=organisation, status=Practice.Status.DRAFT)
    _apply_practice_fields(practice, fields)
    practice.full_clean(exclude=["slug"])
    save_with_unique_slug(practice, practice.title, fallback="practice")
    _set_practice_relations(practice, relations)
    _log(practice, author, "", Practice.Status.DRAFT)
    return practice


@versions.bumps("directory.practice")
@transaction.atomic
def create_practice(*, author: User, organisation: Organisation, submit: bool = False,
                    title: str | Unchanged = UNCHANGED,
                    summary: str | Unchanged = UNCHANGED, issue: str | Unchanged = UNCHANGED,
                    how_it_works: str | Unchanged = UNCHANGED, results: str | Unchanged = UNCHANGED,
                    evaluation_indicators: str | Unchanged = UNCHANGED, lessons: str | Unchanged = UNCHANGED,
                    transferability: str | Unchanged = UNCHANGED, evaluation_type: str | Unchanged = UNCHANGED,
                    beneficiaries: str | Unchanged = UNCHANGED, funding: str | Unchanged = UNCHANGED,
                    start_year: int | Unchanged = UNCHANGED, end_year: int | Unchanged | None = UNCHANGED,
                    country: str | Unchanged = UNCHANGED, city: str | Unchanged = UNCHANGED,
                    level: str | Unchanged = UNCHANGED, other_partners: str | Unchanged = UNCHANGED,
                    links: str | Unchanged = UNCHANGED, language: str | Unchanged = UNCHANGED,
                    other_languages: str | Unchanged = UNCHANGED,
                    policy_areas: Iterable[PolicyArea] = (), topics: Iterable[Topic] = (),
                    target_groups: Iterable[TargetGroup] = (), partners: Iterable[Organisation] = (),
                    resources: Iterable[Resource] = ()) -> Practice:
    """Write a practice for one of the author's organisations, as a draft or straight into review; it is written
    in the author's language unless `language` says otherwise. Any other field left UNCHANGED takes the model's
    default (and a required one is refused by its validation)."""
    fields = given(
        title=title, summary=summary, issue=issue, how_it_works=how_it_works, results=results,
        evaluation_indicators=evaluation_indicators, lessons=lessons, transferability=transferability,
        evaluation_type=evaluation_type, beneficiaries=beneficiaries, funding=funding, start_year=start_year,
        end_year=end_year, country=country, city=city, level=level, other_partners=other_partners, links=links,
        language=language, other_languages=other_languages)
    if not permissions.can_submit_for(author, organisation):
        raise PermissionDenied(_("You can only write practices for organisations you belong to, and you are not "
                                 "an active member of %(organisation)s.") % {"organisation": organisation.name})
    fields.setdefault("language", default_content_language(author))
    practice = _new_practice(author, organisation, {
        "policy_areas": policy_areas, "topics": topics, "target_groups": target_groups, "partners": partners,
        "resources": resources}, fields)
    if submit:
        practice = submit_practice(actor=author, practice=practice)
    return practice


@versions.bumps("directory.practice")
@transaction.atomic
def translate_practice(*, translator: User, original: Practice, language: str, submit: bool = False,
                       title: str = "", summary: str = "", issue: str = "",
                       how_it_works: str = "", results: str = "", evaluation_indicators: str = "", lessons: str = "",
                       transferability: str = "", beneficiaries: str = "", funding: str = "") -> Practice:
    """A member writes a published practice in another language: a new practice linked to its original, with
    the original's place, years, taxonomy, partners and links and the translator's text. It goes through the
    same review as any practice; there is at most one version per language (the database holds it too)."""
    if not permissions.can_translate_practice(translator, original):
        raise PermissionDenied(_("Only members translate practices, and only published originals."))
    texts = {"title": title, "summary": summary, "issue": issue, "how_it_works": how_it_works, "results": results,
             "evaluation_indicators": evaluation_indicators, "lessons": lessons, "transferability": transferability,
             "beneficiaries": beneficiaries, "funding": funding}
    if language == original.language:
        raise ValidationError({"language": [_("The original is already in this language; choose another.")]})
    if original.translations.filter(language=language).exists():
        raise ValidationError({"language": [_("This practice already has a version in this language.")]})
    fields = {name: getattr(original, name) for name in PRACTICE_FIELDS if name not in PRACTICE_TRANSLATED_FIELDS}
    fields.update({name: texts.get(name) or "" for name in PRACTICE_TRANSLATED_FIELDS})
    fields["language"] = language
    relations = {name: list(getattr(original, name).all()) for name in PRACTICE_RELATIONS}
    try:
        with transaction.atomic():
            practice = Practice(author=translator, organisation=original.organisation, status=Practice.Status.DRAFT,
                                translation_of=original)
            _apply_practice_fields(practice, fields)
            practice.full_clean(exclude=["slug"])
            save_with_unique_slug(practice, practice.title, fallback="practice")
    except IntegrityError:  # another member's version in the same language got there first
        raise ValidationError({"language": [_("This practice already has a version in this language.")]}) from None
    _set_practice_relations(practice, relations)
    _log(practice, translator, "", Practice.Status.DRAFT)
    if submit:
        practice = submit_practice(actor=translator, practice=practice)
    return practice


def _snapshot(practice: Practice) -> dict:
    content = {name: getattr(practice, name) for name in PRACTICE_FIELDS}
    content["country"] = str(practice.country)
    content.update({f"{name}_html": getattr(practice, f"{name}_html") for name in PRACTICE_MARKDOWN_FIELDS})
    content["policy_areas"] = sorted(practice.policy_areas.values_list("name", flat=True))
    content["topics"] = sorted(practice.topics.values_list("name", flat=True))
    content["target_groups"] = sorted(practice.target_groups.values_list("name", flat=True))
    return content


def _lock_practice(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().select_related("organisation").get(pk=practice.pk)


@versions.bumps("directory.practice")
@transaction.atomic
def update_practice(*, actor: User, practice: Practice, title: str | Unchanged = UNCHANGED,
                    summary: str | Unchanged = UNCHANGED, issue: str | Unchanged = UNCHANGED,
                    how_it_works: str | Unchanged = UNCHANGED, results: str | Unchanged = UNCHANGED,
                    evaluation_indicators: str | Unchanged = UNCHANGED, lessons: str | Unchanged = UNCHANGED,
                    transferability: str | Unchanged = UNCHANGED, evaluation_type: str | Unchanged = UNCHANGED,
                    beneficiaries: str | Unchanged = UNCHANGED, funding: str | Unchanged = UNCHANGED,
                    start_year: int | Unchanged = UNCHANGED, end_year: int | Unchanged | None = UNCHANGED,
                    country: str | Unchanged = UNCHANGED, city: str | Unchanged = UNCHANGED,
                    level: str | Unchanged = UNCHANGED, other_partners: str | Unchanged = UNCHANGED,
                    links: str | Unchanged = UNCHANGED, language: str | Unchanged = UNCHANGED,
                    other_languages: str | Unchanged = UNCHANGED,
                    policy_areas: Iterable[PolicyArea] | None = None, topics: Iterable[Topic] | None = None,
                    target_groups: Iterable[TargetGroup] | None = None,
                    partners: Iterable[Organisation] | None = None,
                    resources: Iterable[Resource] | None = None) -> Practice:
    """Edit a practice; editing a published one keeps the replaced text as a numbered revision.

    A field left UNCHANGED keeps its value, and a relation left None keeps its members.
    """
    changes = given(
        title=title, summary=summary, issue=issue, how_it_works=how_it_works, results=results,
        evaluation_indicators=evaluation_indicators, lessons=lessons, transferability=transferability,
        evaluation_type=evaluation_type, beneficiaries=beneficiaries, funding=funding, start_year=start_year,
        end_year=end_year, country=country, city=city, level=level, other_partners=other_partners, links=links,
        language=language, other_languages=other_languages)
    relations = {"policy_areas": policy_areas, "topics": topics, "target_groups": target_groups,
                 "partners": partners, "resources": resources}
    practice = _lock_practice(practice)
    if not permissions.can_edit_practice(actor, practice):
        raise PermissionDenied(_("Only the practice's author and its organisation's administrators can edit it."))
    if practice.is_published:
        last = practice.revisions.aggregate(n=Max("number"))["n"] or 0
        PracticeRevision.objects.create(practice=practice, number=last + 1, editor=actor,
                                        content=_snapshot(practice))
    _apply_practice_fields(practice, changes)
    practice.full_clean()
    practice.save()
    _set_practice_relations(practice, relations)
    if practice.is_published:
        _touch_organisation(practice.organisation_id)
    return practice


@versions.bumps("directory.practice")
@transaction.atomic
def submit_practice(*, actor: User, practice: Practice) -> Practice:
    """Send a draft or a returned practice to the moderators."""
    practice = _lock_practice(practice)
    if not permissions.can_edit_practice(actor, practice):
        raise PermissionDenied(_("Only the practice's author and its organisation's administrators can "
                                 "submit it."))
    if practice.status not in (Practice.Status.DRAFT, Practice.Status.RETURNED):
        raise ValidationError({"status": [_("This practice is “%(status)s”: only a draft or a returned practice "
                                            "can be submitted.") % {"status": practice.get_status_display()}]})
    from_status = practice.status
    practice.status, practice.submitted_at = Practice.Status.SUBMITTED, timezone.now()
    practice.save(update_fields=["status", "submitted_at", "updated_at"])
    _log(practice, actor, from_status, practice.status)
    notify_many(recipients=list(global_moderators()), kind="directory.practice_submitted", actor=actor, email=False,
                params={"title": practice.title}, url=practice.get_absolute_url())
    return practice


@versions.bumps("directory.practice")
@transaction.atomic
def publish_practice(*, actor: User, practice: Practice, note: str = "") -> Practice:
    """A moderator publishes a submitted practice; the author is told."""
    if not permissions.can_review_practices(actor):
        raise PermissionDenied(_("Only moderators publish practices."))
    practice = _lock_practice(practice)
    if practice.status != Practice.Status.SUBMITTED:
        raise ValidationError({"status": [_("This practice is “%(status)s”: only a submitted practice can be "
                                            "published.") % {"status": practice.get_status_display()}]})
    _publish(practice, actor, note.strip())
    notify(recipient=practice.author, kind="directory.practice_published", actor=actor,
           params={"title": practice.title, "note": note.strip()}, url=practice.get_absolute_url())
    return practice


def _publish(practice: Practice, actor: User, note: str) -> None:
    from_status = practice.status
    practice.status = Practice.Status.PUBLISHED
    practice.published_at = practice.published_at or timezone.now()
    practice.save(update_fields=["status", "published_at", "updated_at"])
    _log(practice, actor, from_status, practice.status, note)
    _touch_organisation(practice.organisation_id)


@versions.bumps("directory.practice")
@transaction.atomic
def return_practice(*, actor: User, practice: Practice, reason: str) -> Practice:
    """A moderator returns a submitted (or withdraws a published) practice to its author, saying why."""
    if not permissions.can_review_practices(actor):
        raise PermissionDenied(_("Only moderators return practices."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the author should change.")})
    practice = _lock_practice(practice)
    if practice.status not in (Practice.Status.SUBMITTED, Practice.Status.PUBLISHED):
        raise ValidationError({"status": [_("This practice is “%(status)s”: only a submitted or published practice "
                                            "can be returned.") % {"status": practice.get_status_display()}]})
    from_status = practice.status
    practice.status = Practice.Status.RETURNED
    practice.save(update_fields=["status", "updated_at"])
    _log(practice, actor, from_status, practice.status, reason)
    notify(recipient=practice.author, kind="directory.practice_returned", actor=actor,
           params={"title": practice.title, "reason": reason}, url=practice.get_absolute_url())
    return practice


@versions.bumps("directory.practice")
@transaction.atomic
def record_replication(*, actor: User, practice: Practice, place: str, country: str,
                       organisation: Organisation | None = None, year: int | None = None,
                       note: str = "") -> Replication:
    """Record that another place replicated a practice; naming an organisation needs its membership."""
    if not permissions.can_record_replication(actor, practice):
        raise PermissionDenied(_("You cannot record replications of this practice."))
    if organisation is not None:
        if not (permissions.can_submit_for(actor, organisation) or permissions.can_edit_practice(actor, practice)):
            raise ValidationError({"organisation": _("Name only an organisation you belong to.")})
        if organisation.pk == practice.organisation_id:
            raise ValidationError({"organisation": _("The lead organisation cannot replicate its own practice.")})
        if Replication.objects.filter(practice=practice, organisation=organisation).exists():
            raise ValidationError({"organisation": _("%(organisation)s is already listed as replicating it.")
                                   % {"organisation": organisation.name}})
    replication = Replication(practice=practice, organisation=organisation, place=place.strip(), country=country,
                              year=year, note=note.strip(), added_by=actor)
    replication.full_clean()
    replication.save()
    if actor.pk != practice.author_id:
        notify(recipient=practice.author, kind="directory.replicated", actor=actor, email=False,
               params={"title": practice.title, "place": replication.place}, url=practice.get_absolute_url())
    return replication


@versions.bumps("directory.practice")
@transaction.atomic
def remove_replication(*, actor: User, replication: Replication) -> None:
    if not permissions.can_remove_replication(actor, replication):
        raise PermissionDenied(_("Only who recorded it, the practice's editors and moderators can remove it."))
    replication.delete()


def _attach_file(resource: Resource, upload: UploadedFile) -> None:
    file_type = check_upload(upload)
    old = resource.file.name if resource.file else ""
    resource.file_type = file_type
    resource.file_name = (upload.name or f"resource.{file_type}")[-200:]
    resource.file_size = upload.size
    resource.file.save(f"upload.{file_type}", upload, save=False)
    if old and old != resource.file.name:
        # Remove the replaced file only once the new one is committed: a failed save keeps the old.
        storage = resource.file.storage
        transaction.on_commit(lambda: storage.delete(old))


@versions.bumps("directory.resource")
@transaction.atomic
def add_resource(*, actor: User, publisher: Organisation, title: str | Unchanged = UNCHANGED,
                 kind: str | Unchanged = UNCHANGED, authors: str | Unchanged = UNCHANGED,
                 year: int | Unchanged = UNCHANGED, language: str | Unchanged = UNCHANGED,
                 summary: str | Unchanged = UNCHANGED, url: str | Unchanged = UNCHANGED,
                 upload: UploadedFile | None = None, policy_areas: Iterable[PolicyArea] = (),
                 topics: Iterable[Topic] = ()) -> Resource:
    """Add a guideline, paper, policy, toolkit or recording to the library for the member's organisation, in
    the member's language unless `language` says otherwise. Any other field left UNCHANGED takes the model's
    default (and a required one is refused by its validation)."""
    fields = given(title=title, kind=kind, authors=authors, year=year, language=language, summary=summary, url=url)
    if not permissions.can_submit_for(actor, publisher) and not actor.is_staff:
        raise PermissionDenied(_("You can only add resources for organisations you belong to, and you are not "
                                 "an active member of %(organisation)s.") % {"organisation": publisher.name})
    fields.setdefault("language", default_content_language(actor))
    resource = Resource(publisher=publisher, added_by=actor, **fields)
    resource.summary_html = render_markdown(resource.summary)
    resource.full_clean(exclude=["slug", "file"])
    save_with_unique_slug(resource, resource.title, fallback="resource",
                          prepare=(lambda r: _attach_file(r, upload)) if upload is not None else None)
    set_taxonomy(resource, policy_areas, topics)
    _touch_organisation(publisher.pk)
    return resource


@versions.bumps("directory.resource")
@transaction.atomic
def translate_resource(*, actor: User, original: Resource, language: str, title: str, summary: str,
                       authors: str = "", url: str = "", upload: UploadedFile | None = None) -> Resource:
    """The same library item in another language, added by a member of its publisher: its own title, summary,
    authors and document (a link or a file; the original's link when neither is given), the original's kind, year
    and taxonomy. At most one version per language (the database holds it too)."""
    if not permissions.can_translate_resource(actor, original):
        raise PermissionDenied(_("Versions of a resource are added by members of its publisher, %(organisation)s.")
                               % {"organisation": original.publisher.name})
    if language == original.language:
        raise ValidationError({"language": [_("The original is already in this language; choose another.")]})
    if original.translations.filter(language=language).exists():
        raise ValidationError({"language": [_("This resource already has a version in this language.")]})
    resource = Resource(publisher=original.publisher, added_by=actor, translation_of=original, kind=original.kind,
                        year=original.year, language=language, title=title, summary=summary, authors=authors,
                        url=url or ("" if upload is not None else original.url))
    resource.summary_html = render_markdown(resource.summary)
    resource.full_clean(exclude=["slug", "file"])
    try:
        with transaction.atomic():
            save_with_unique_slug(resource, resource.title, fallback="resource",
                                  prepare=(lambda r: _attach_file(r, upload)) if upload is not None else None)
    except IntegrityError:  # another member's version in the same language got there first
        raise ValidationError({"language": [_("This resource already has a version in this language.")]}) from None
    set_taxonomy(resource, original.policy_areas.all(), original.topics.all())
    _touch_organisation(original.publisher_id)
    return resource


@versions.bumps("directory.resource")
@transaction.atomic
def update_resource(*, actor: User, resource: Resource, title: str | Unchanged = UNCHANGED,
                    kind: str | Unchanged = UNCHANGED, authors: str | Unchanged = UNCHANGED,
                    year: int | Unchanged = UNCHANGED, language: str | Unchanged = UNCHANGED,
                    summary: str | Unchanged = UNCHANGED, url: str | Unchanged = UNCHANGED,
                    upload: UploadedFile | None = None, remove_file: bool = False,
                    policy_areas: Iterable[PolicyArea] | None = None,
                    topics: Iterable[Topic] | None = None) -> Resource:
    """Edit a resource: a field left UNCHANGED keeps its value, a relation left None its members."""
    fields = given(title=title, kind=kind, authors=authors, year=year, language=language, summary=summary, url=url)
    resource = Resource.objects.select_for_update().select_related("publisher").get(pk=resource.pk)
    if not permissions.can_edit_resource(actor, resource):
        raise PermissionDenied(_("Only who added it, the publisher's administrators and moderators can edit it."))
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.summary_html = render_markdown(resource.summary)
    if upload is not None:
        _attach_file(resource, upload)
    elif remove_file and resource.file:
        old, storage = resource.file.name, resource.file.storage
        resource.file, resource.file_name, resource.file_type, resource.file_size = "", "", "", None
        transaction.on_commit(lambda: storage.delete(old))
    resource.full_clean()
    resource.save()
    set_taxonomy(resource, policy_areas, topics)
    return resource


@versions.bumps("directory.resource")
@transaction.atomic
def delete_resource(*, actor: User, resource: Resource) -> None:
    if not permissions.can_edit_resource(actor, resource):
        raise PermissionDenied(_("Only who added it, the publisher's administrators and moderators can "
                                 "delete it."))
    if resource.file:
        name, storage = resource.file.name, resource.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    resource.delete()


# --- Staff CSV import ----------------------------------------------------------------------------------

@transaction.atomic
def start_import(*, actor: User, kind: str, upload: UploadedFile) -> ImportJob:
    """Keep the file, count its rows and enqueue the check (directory.tasks.check_import, a batch a job)."""
    if not permissions.can_import(actor):
        raise PermissionDenied(_("Only staff import CSV files."))
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": _("Choose organisations or practices.")})
    if upload.size > imports.MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into parts.")
                               % {"size": number_format(upload.size / 1_048_576, 1),
                                  "limit": imports.MAX_IMPORT_BYTES // 1_048_576}})
    try:
        text = imports.decode(upload.read())
        total = imports.count_rows(kind, text)
    except imports.ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    if total == 0:
        raise ValidationError({"file": _("The file has a header but no rows.")})
    job = ImportJob.objects.create(kind=kind, created_by=actor, file_name=(upload.name or "import.csv")[-200:],
                                   content=text, total_rows=total)
    enqueue(tasks.check_import, job_id=job.pk)
    return job


@transaction.atomic
def check_import_batch(*, job_id: int) -> ImportJob:
    """Check the next batch of rows, recording errors as [line, field, reason]; nothing is imported.

    Called by the background job, one batch per transaction, so the progress shows as it goes; the job's
    row is locked, so a job that runs twice does not check the same batch twice.
    """
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.status != ImportJob.Status.VALIDATING:
        return job
    rows = list(islice(imports.read_rows(job.kind, job.content), job.validated_rows,
                       job.validated_rows + imports.BATCH_ROWS))
    seen = set(job.seen_keys)
    _valid, errors = imports.check_rows(job.kind, rows, seen)
    job.errors = (job.errors + errors)[:imports.MAX_ERRORS]
    job.seen_keys = sorted(seen)
    job.validated_rows = min(job.total_rows, job.validated_rows + len(rows))
    if len(job.errors) >= imports.MAX_ERRORS:
        job.status = ImportJob.Status.INVALID
    elif job.validated_rows >= job.total_rows or not rows:
        job.validated_rows = job.total_rows
        job.status = ImportJob.Status.INVALID if job.errors else ImportJob.Status.VALID
    job.save()
    return job


@transaction.atomic
def queue_import(*, actor: User, job: ImportJob) -> ImportJob:
    """Staff confirm a valid file: the import runs as a background job (directory.tasks.run_import)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk or not permissions.can_import(actor):
        raise PermissionDenied(_("This import is not yours."))
    if job.status != ImportJob.Status.VALID:
        raise ValidationError(_("This import is “%(status)s”: only a valid file is imported.")
                              % {"status": job.get_status_display()})
    job.status = ImportJob.Status.IMPORTING
    job.save(update_fields=["status"])
    enqueue(tasks.run_import, job_id=job.pk)
    return job


@versions.bumps("directory.practice", "directory.resource", "accounts.organisation")
@transaction.atomic
def import_rows(*, job_id: int) -> ImportJob:
    """Import every row of a confirmed file in one transaction: all rows are saved, or none.

    The rows are checked again inside the transaction, since the directory may have changed since.
    """
    job = ImportJob.objects.select_for_update().select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return job  # already done: this job ran before
    actor = job.created_by
    if not permissions.can_import(actor):
        job.errors = [[0, "", _("The member who uploaded it is no longer staff.")]]
        job.status = ImportJob.Status.INVALID
        job.save(update_fields=["errors", "status"])
        return job
    valid, errors = imports.check_rows(job.kind, list(imports.read_rows(job.kind, job.content)), set())
    if errors:
        job.errors, job.status = errors[:imports.MAX_ERRORS], ImportJob.Status.INVALID
        job.save(update_fields=["errors", "status"])
        return job
    for _line, data in valid:
        if job.kind == ImportJob.Kind.ORGANISATIONS:
            _import_organisation(actor, data)
        else:
            _import_practice(actor, data)
    job.status, job.imported_count, job.content = ImportJob.Status.IMPORTED, len(valid), ""
    job.save(update_fields=["status", "imported_count", "content"])
    return job


@transaction.atomic
def mark_import_failed(*, job_id: int, reason: str) -> None:
    """The import job failed for good (not a row error): say so on the page; nothing was saved."""
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).update(
        status=ImportJob.Status.FAILED, errors=[[0, "", reason[:300]]])


def _import_organisation(actor: User, data: dict) -> None:
    # Staff found imported organisations: accounts.services keeps its rule that every organisation
    # has an administrator, and the importer can hand the role on once the organisation's people join.
    organisation = found_organisation(
        founder=actor, name=data["name"], kind=data["kind"], country=data["country"], city=data["city"],
        level=data["level"], website=data["website"], description=data["description"],
        policy_areas=data["policy_areas"], topics=data["topics"])
    set_organisation_verified(actor=actor, organisation=organisation, verified=True, tell_admins=False)


def _import_practice(actor: User, data: dict) -> None:
    relations = {name: data.pop(name) for name in ("policy_areas", "topics", "target_groups")}
    organisation = data.pop("organisation")
    practice = _new_practice(actor, organisation, relations, data)
    _publish(practice, actor, _("Imported from a CSV file by staff."))
