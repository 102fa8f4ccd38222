"""A 5,000-row CSV import runs in the background: the check advances batch by batch (the page's progress
moves), the import saves every row in one transaction, and one invalid row saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Organisation
from directory.models import ImportJob
from tests.core.jobs import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "name,kind,country,city,level,website,description,policy_areas,topics\n"
ROWS = 5000


def _file(bad_line: int | None = None) -> bytes:
    rows = [f"Welcome Office {i:04d},ngo,AT,Graz,local,,Advice for newcomers.,socio-economic,\n" for i in range(ROWS)]
    if bad_line is not None:
        rows[bad_line - 2] = "Broken Office,not-a-kind,AT,,,,,,\n"
    return (HEADER + "".join(rows)).encode()


def _upload(client, content: bytes) -> ImportJob:
    response = client.post(reverse("directory:import"),
                           {"kind": "organisations", "file": SimpleUploadedFile("offices.csv", content)})
    assert response.status_code == 302
    return ImportJob.objects.latest("created_at")


def _check_in_the_background(client, job: ImportJob) -> list[int]:
    """Run the check one job at a time, reading the page's progress after each; returns what it showed."""
    shown = []
    while True:
        run_worker(max_tasks=1)
        job.refresh_from_db()
        fragment = client.get(reverse("directory:import-progress", args=[job.pk])).content.decode()
        shown.append(job.validated_rows)
        assert f'value="{job.validated_rows}"' in fragment
        if not job.in_progress:
            return shown


def test_5000_rows_are_checked_with_moving_progress_and_imported_whole(client, staff, database_tasks):
    client.force_login(staff)
    job = _upload(client, _file())
    shown = _check_in_the_background(client, job)
    assert shown == [500 * n for n in range(1, 11)]  # ten batches of 500, each one step further
    assert job.status == ImportJob.Status.VALID
    assert not Organisation.objects.filter(name__startswith="Welcome Office").exists()

    client.post(reverse("directory:import-run", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.imported_count) == (ImportJob.Status.IMPORTED, ROWS)
    assert Organisation.objects.filter(name__startswith="Welcome Office", verified=True).count() == ROWS


def test_one_invalid_row_among_5000_saves_nothing(client, staff, database_tasks):
    client.force_login(staff)
    job = _upload(client, _file(bad_line=4321))
    _check_in_the_background(client, job)
    assert job.status == ImportJob.Status.INVALID
    assert job.errors[0][:2] == [4321, "kind"]
    client.post(reverse("directory:import-run", args=[job.pk]))
    run_worker()
    assert not Organisation.objects.filter(name__startswith="Welcome Office").exists()
