"""Staff CSV import: row errors with line, field and reason; nothing saved until the whole file is valid; progress.

Background jobs check and import the file; here they run as each request's transaction commits (so the
tests commit for real), except where a test runs core's worker a job at a time to watch the progress.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import Organisation
from directory import imports, services
from directory.models import ImportJob, Practice
from tests import factories
from tests.core.jobs import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

ORG_HEADER = "name,kind,country,city,level,website,description,policy_areas,topics\n"
PRACTICE_HEADER = ("title,summary,organisation,start_year,end_year,country,city,policy_areas,topics,target_groups,"
                   "links\n")


def _upload(client, kind: str, text: str | bytes, name: str = "import.csv"):
    content = text.encode() if isinstance(text, str) else text
    return client.post("/directory/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_a_valid_organisation_file_is_checked_previewed_and_imported_verified(staff_client):
    response = _upload(staff_client, "organisations", ORG_HEADER
                       + "Graz Integration Office,municipality,AT,Graz,local,https://graz.example.org,"
                         "Welcome services.,socio-economic,housing;employment\n"
                       + '"Rotterdam ""Samen"" Foundation",foundation,NL,Rotterdam,,,,cultural,\n')
    job = ImportJob.objects.get()
    assert job.status == "valid" and job.total_rows == 2
    assert "Every row is valid." in response.content.decode()
    assert 'Rotterdam &quot;Samen&quot; Foundation' in response.content.decode(), "the preview shows the rows as read"
    assert not Organisation.objects.filter(name="Graz Integration Office").exists(), "nothing before confirming"
    response = staff_client.post(f"/directory/import/{job.pk}/run/", follow=True)
    assert "2 organisations imported." in response.content.decode()
    graz = Organisation.objects.get(name="Graz Integration Office")
    assert graz.verified and sorted(graz.topics.values_list("slug", flat=True)) == ["employment", "housing"]


def test_row_errors_name_line_field_and_reason_and_nothing_is_saved(staff_client):
    factories.OrganisationFactory(name="Already Here")
    response = _upload(staff_client, "organisations", ORG_HEADER
                       + "Good One,ngo,AT,,,,,,\n"
                       + "Already Here,ngo,AT,,,,,,\n"
                       + "Bad Kind,castle,AT,,,,,,\n"
                       + '"Multi\nline name",ngo,ZZ,,,,,nowhere,\n'
                       + "Good One,ngo,AT,,,,,,\n")
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    errors = {(line, field) for line, field, _ in job.errors}
    assert errors == {(3, "name"), (4, "kind"), (5, "country"), (5, "policy_areas"), (7, "name")}
    reasons = {(line, field): reason for line, field, reason in job.errors}
    assert "already in the directory" in reasons[(3, "name")]
    assert "Unknown policy area: nowhere" in reasons[(5, "policy_areas")]
    assert "appears earlier in the file" in reasons[(7, "name")]
    page = response.content.decode()
    assert "Nothing was saved." in page and "castle" in page
    assert not Organisation.objects.filter(name="Good One").exists()
    assert staff_client.post(f"/directory/import/{job.pk}/run/").status_code == 302
    assert not Organisation.objects.filter(name="Good One").exists()


def test_practices_are_imported_published_with_their_taxonomy(staff_client):
    lead = factories.OrganisationFactory(slug="graz-office")
    _upload(staff_client, "practices", PRACTICE_HEADER
            + "Buddy scheme,Locals meet newcomers.,graz-office,2019,,AT,Graz,cultural,everyday-interaction,"
              "newcomers;youth,https://a.example.org;https://b.example.org\n")
    job = ImportJob.objects.get()
    assert job.status == "valid", job.errors
    staff_client.post(f"/directory/import/{job.pk}/run/")
    practice = Practice.objects.get(title="Buddy scheme")
    assert practice.status == "published" and practice.organisation == lead
    assert practice.link_list == ["https://a.example.org", "https://b.example.org"]
    assert sorted(practice.target_groups.values_list("slug", flat=True)) == ["newcomers", "youth"]
    assert practice.transitions.last().reason == "Imported from a CSV file by staff."


def test_practice_rows_are_checked_against_organisations_years_and_links(staff_client):
    factories.OrganisationFactory(slug="graz-office")
    _upload(staff_client, "practices", PRACTICE_HEADER
            + "One,Sum,no-such-org,2019,,AT,,,,,\n"
            + "Two,Sum,graz-office,2019,2015,AT,,,,,\n"
            + "Three,Sum,graz-office,year,,AT,,,,elderly,javascript:alert(1)\n"
            + ",,graz-office,2019,,AT,,,,,\n")
    errors = {(line, field) for line, field, _ in ImportJob.objects.get().errors}
    assert errors == {(2, "organisation"), (3, "end_year"), (4, "start_year"), (4, "target_groups"), (4, "links"),
                      (5, "title"), (5, "summary")}


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe\x00n\x00a\x00m\x00e", "not UTF-8"),
    ("kind,country\nngo,AT\n", "lacks the required column: name"),
    ("name,kind,country,colour\nA,ngo,AT,red\n", "unknown column: colour"),
    (ORG_HEADER, "no rows"),
    ("", "empty"),
])
def test_a_file_that_cannot_be_read_is_refused_on_the_file_field(staff_client, content, message):
    response = _upload(staff_client, "organisations", content)
    assert message in str(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_a_row_with_more_cells_than_the_header_is_an_error(staff_client):
    _upload(staff_client, "organisations", ORG_HEADER + "A,ngo,AT,,,,,,,surplus\n")
    assert ImportJob.objects.get().errors == [[2, "(row)", "The row has more cells than the header has columns."]]


def test_a_large_file_is_checked_in_batches_by_jobs_and_the_page_polls_its_progress(
        staff_client, monkeypatch, database_tasks):
    monkeypatch.setattr(imports, "BATCH_ROWS", 3)
    rows = "".join(f"Org {i},ngo,AT,,,,,,\n" for i in range(7))
    page = _upload(staff_client, "organisations", ORG_HEADER + rows).content.decode()
    job = ImportJob.objects.get()
    assert (job.status, job.validated_rows, job.total_rows) == ("validating", 0, 7)
    assert "Queued" in page and 'hx-trigger="every 1s"' in page and 'http-equiv="refresh"' not in page
    progress = f"/directory/import/{job.pk}/progress/"

    run_worker(max_tasks=1)
    fragment = staff_client.get(progress).content.decode()
    assert '<progress max="7" value="3"' in fragment and 'hx-trigger="every 1s"' in fragment
    run_worker(max_tasks=1)
    assert '<progress max="7" value="6"' in staff_client.get(progress).content.decode()
    run_worker()
    fragment = staff_client.get(progress).content.decode()
    assert "Every row is valid." in fragment and "hx-trigger" not in fragment  # done: the polling stops

    staff_client.post(f"/directory/import/{job.pk}/run/")
    assert "Importing" in staff_client.get(progress).content.decode()
    assert not Organisation.objects.filter(name__startswith="Org ").exists()
    run_worker()
    assert "7 organisations imported." in staff_client.get(f"/directory/import/{job.pk}/").content.decode()
    assert Organisation.objects.filter(name__startswith="Org ").count() == 7


def test_a_duplicate_across_batches_is_still_found(staff_client, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    _upload(staff_client, "organisations", ORG_HEADER + "A,ngo,AT,,,,,,\nB,ngo,AT,,,,,,\nA,ngo,AT,,,,,,\n")
    job = ImportJob.objects.get()
    staff_client.get(f"/directory/import/{job.pk}/")
    job.refresh_from_db()
    assert job.status == "invalid" and job.errors[0][:2] == [4, "name"]


def test_a_file_that_became_invalid_before_confirming_saves_nothing(staff_client):
    _upload(staff_client, "organisations", ORG_HEADER + "New Org,ngo,AT,,,,,,\nOther Org,ngo,AT,,,,,,\n")
    job = ImportJob.objects.get()
    factories.OrganisationFactory(name="Other Org")
    staff_client.post(f"/directory/import/{job.pk}/run/")
    job.refresh_from_db()
    assert job.status == "invalid"
    assert not Organisation.objects.filter(name="New Org").exists()


@pytest.mark.parametrize("role", ["visitor", "member", "moderator", "other_staff"])
def test_only_the_staff_member_who_uploaded_sees_and_runs_an_import(client, staff, member, moderator, role):
    client.force_login(staff)
    _upload(client, "organisations", ORG_HEADER + "New Org,ngo,AT,,,,,,\n")
    job = ImportJob.objects.get()
    client.logout()
    user = {"visitor": None, "member": member, "moderator": moderator,
            "other_staff": factories.UserFactory(is_staff=True)}[role]
    if user:
        client.force_login(user)
    start = client.get("/directory/import/")
    view = client.get(f"/directory/import/{job.pk}/")
    progress = client.get(f"/directory/import/{job.pk}/progress/")
    run = client.post(f"/directory/import/{job.pk}/run/")
    if role == "visitor":
        assert start.status_code == view.status_code == progress.status_code == run.status_code == 302
    elif role == "other_staff":
        assert start.status_code == 200 and view.status_code == progress.status_code == run.status_code == 404
        assert "New Org" not in start.content.decode() and job.file_name not in start.content.decode()
    else:
        assert start.status_code == view.status_code == progress.status_code == run.status_code == 403
    assert not Organisation.objects.filter(name="New Org").exists()


def test_the_list_of_recent_imports_does_not_grow_in_queries(staff_client, staff):
    from tests.queries import assert_queries_do_not_grow

    def add(n):
        ImportJob.objects.bulk_create([ImportJob(kind="organisations", created_by=staff, file_name=f"f{i}.csv",
                                                 content="", total_rows=5) for i in range(n)])

    assert_queries_do_not_grow(staff_client, "/directory/import/", add, more=5)
    page = staff_client.get("/directory/import/").content.decode()
    assert page.count("/directory/import/") >= 8 and "Your recent imports" in page


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "=cmd|' /C calc'!A0", "null\x00byte"])
def test_hostile_cells_are_refused_or_shown_inert_in_the_preview(staff_client, payload):
    from tests.hostile import assert_inert

    cell = '"' + payload.replace('"', '""') + '"'
    response = _upload(staff_client, "organisations", ORG_HEADER + f"{cell},ngo,AT,{cell},,,{cell},,\n")
    assert response.status_code == 200
    assert_inert(response.content.decode())


def test_the_problems_are_worded_in_the_language_of_the_staff_member_who_uploaded_the_file(staff):
    staff.language = "fr"
    staff.save(update_fields=["language"])
    upload = SimpleUploadedFile("import.csv", (ORG_HEADER + "Bad Kind,castle,AT,,,,,,\n").encode())
    with translation.override("en"):  # the background job, not a French request, words them
        services.start_import(actor=staff, kind="organisations", upload=upload)
    [[line, field, reason]] = ImportJob.objects.get().errors
    assert (line, field) == (2, "kind")
    assert "Sélectionnez un choix valide" in reason and "castle" in reason
