"""The resource library: uploads checked by content, size and extension; files served safely; who may change what."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from directory import services
from directory.models import Resource
from tests import factories
from tests.directory.factories import MINIMAL_PDF, author_with_organisation, make_resource, pdf_upload

pytestmark = pytest.mark.django_db


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
DOCM = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
             "word/vbaProject.bin": b"macro"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})


@pytest.mark.parametrize(("name", "content", "file_type"), [
    ("study.pdf", MINIMAL_PDF, "pdf"), ("guide.docx", DOCX, "docx"), ("notes.ODT", ODT, "odt")])
def test_pdf_docx_and_odt_files_are_accepted_by_their_content(name, content, file_type):
    resource = make_resource(upload=SimpleUploadedFile(name, content), url="")
    assert resource.file_type == file_type and resource.file_size == len(content)
    assert resource.file.name == f"resources/{resource.slug}.{file_type}", "the stored name is ours"


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("evil.pdf", b"<html><script>alert(1)</script></html>", "not a PDF, DOCX or ODT"),
    ("renamed.pdf", DOCX, "content is DOCX"),
    ("macro.docx", DOCM, "macros"),
    ("study.exe", MINIMAL_PDF, "name ends in .pdf"),
    ("study.html", MINIMAL_PDF, "name ends in .pdf"),
    ("noextension", MINIMAL_PDF, "name ends in .pdf"),
    ("empty.pdf", b"", "empty"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a PDF, DOCX or ODT"),
])
def test_an_upload_that_is_not_what_it_claims_is_refused_on_the_file_field(name, content, reason):
    with pytest.raises(ValidationError) as error:
        make_resource(upload=SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert reason in " ".join(error.value.message_dict["file"])
    assert not Resource.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        make_resource(upload=pdf_upload(content=MINIMAL_PDF + b" " * 1000))
    assert "the limit is" in error.value.message_dict["file"][0]


def test_the_upload_form_names_the_file_field_when_the_file_is_wrong(client):
    author = author_with_organisation()
    client.force_login(author)
    response = client.post("/resources/new/", {
        "publisher": author.memberships.get().organisation_id, "title": "Toolkit", "kind": "toolkit",
        "year": 2024, "language": "en", "summary": "Useful.",
        "file": SimpleUploadedFile("toolkit.pdf", b"MZ\x90\x00 an executable"),
    })
    assert response.status_code == 200
    assert "not a PDF, DOCX or ODT" in str(response.context["form"].errors["file"])
    assert not Resource.objects.exists()


def test_a_resource_needs_a_link_or_a_file(client):
    author = author_with_organisation()
    client.force_login(author)
    response = client.post("/resources/new/", {
        "publisher": author.memberships.get().organisation_id, "title": "Toolkit", "kind": "toolkit",
        "year": 2024, "language": "en", "summary": "Useful."})
    assert "Give a link or upload a file." in str(response.context["form"].errors["url"])


def test_the_file_is_served_as_a_download_with_its_checked_type_and_never_from_media_url(client):
    resource = make_resource(upload=pdf_upload("My <script> report.pdf"), title="Housing: what works?")
    response = client.get(f"/resources/{resource.slug}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Housing-what-works.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert client.get(f"/media/{resource.file.name}").status_code == 404


def test_a_resource_of_an_unverified_publisher_is_hidden_from_visitors_and_outsiders(client):
    organisation = factories.OrganisationFactory(verified=False)
    author = author_with_organisation(organisation)
    resource = make_resource(actor=author, upload=pdf_upload())
    assert client.get(resource.get_absolute_url()).status_code == 404
    assert client.get(f"/resources/{resource.slug}/file/").status_code == 404
    client.force_login(author_with_organisation())
    assert client.get(resource.get_absolute_url()).status_code == 404
    client.force_login(author)
    assert client.get(resource.get_absolute_url()).status_code == 200


ROLES = ["visitor", "outsider", "colleague", "adder", "org_admin", "moderator"]


@pytest.mark.parametrize("role", ROLES)
def test_editing_and_removing_a_resource_is_for_who_added_it_its_publishers_admins_and_moderators(client, role,
                                                                                                 moderator):
    adder = author_with_organisation()
    organisation = adder.memberships.get().organisation
    resource = make_resource(actor=adder, title="Original")
    user = {"visitor": None, "outsider": author_with_organisation(),
            "colleague": author_with_organisation(organisation),
            "adder": adder, "org_admin": author_with_organisation(organisation, role="admin"),
            "moderator": moderator}[role]
    if user:
        client.force_login(user)
    allowed = role in ("adder", "org_admin", "moderator")
    edit = client.get(f"/resources/{resource.slug}/edit/")
    delete = client.post(f"/resources/{resource.slug}/delete/")
    if role == "visitor":
        assert edit.status_code == delete.status_code == 302
        assert edit["Location"].startswith("/accounts/login/")
    else:
        assert edit.status_code == (200 if allowed else 403)
    assert Resource.objects.filter(pk=resource.pk).exists() != allowed


def test_a_member_adds_resources_only_for_their_own_organisations(member, organisation):
    with pytest.raises(PermissionDenied):
        make_resource(actor=member, publisher=organisation)


def test_replacing_the_file_keeps_the_resource_and_changes_the_type(django_capture_on_commit_callbacks):
    resource = make_resource(upload=pdf_upload())
    old = resource.file.name
    storage = resource.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.update_resource(actor=resource.added_by, resource=resource,
                                 upload=SimpleUploadedFile("v2.odt", ODT))
    resource.refresh_from_db()
    assert resource.file_type == "odt" and resource.file_name == "v2.odt"
    assert not storage.exists(old)
