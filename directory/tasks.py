"""The directory's background work: the staff CSV import, checked a batch at a time, then imported whole.

`start_import` stores the file and enqueues `check_import`; each run checks one batch of rows in its own
transaction (so the page's progress bar moves) and enqueues the next until the file is checked. Once
staff confirm, `run_import` saves every row in one transaction, or none. The problems found are stored
as sentences, so both jobs word them in the language of the staff member who uploaded the file.
"""

from django.utils.translation import gettext

from accounts.models import User
from core.recipients import speaking_to
from core.tasks import enqueue, is_transient, task
from directory.models import ImportJob


def _uploader(job_id: int) -> User | None:
    return User.objects.filter(pk=ImportJob.objects.filter(pk=job_id).values("created_by_id")[:1]).first()


@task()
def check_import(*, job_id: int) -> int:
    """Check the next batch; returns the rows checked so far."""
    from directory import services

    with speaking_to(_uploader(job_id)):
        job = services.check_import_batch(job_id=job_id)
    if job.status == ImportJob.Status.VALIDATING:
        enqueue(check_import, job_id=job_id)
    return job.validated_rows


@task()
def run_import(*, job_id: int) -> int:
    """Import a confirmed file, all or nothing; returns how many rows were imported."""
    from directory import services

    with speaking_to(_uploader(job_id)):
        try:
            return services.import_rows(job_id=job_id).imported_count
        except Exception as error:
            if not is_transient(error):  # a transient one is retried, the page keeps saying "importing"
                services.mark_import_failed(job_id=job_id, reason=gettext(
                    "The import failed (%(error)s); nothing was saved. Staff see the error in the admin's task "
                    "results.") % {"error": type(error).__name__})
            raise
