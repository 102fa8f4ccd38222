"""Attachments are checked by content, like the library's, and downloaded only by those who may see the
request."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import PolicyArea
from expertise.models import RequestAttachment
from tests.directory.factories import pdf_upload
from tests.expertise.factories import make_request, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_draft_strategy_is_attached_when_the_request_is_posted_and_downloaded_by_members(client):
    author = member_of()
    client.force_login(author)
    response = client.post("/expertise/new/", {
        "organisation": author.memberships.get().organisation_id, "title": "Review of our draft strategy",
        "kind": "peer-review", "needs": "Please review it.", "country": "PT", "level": "national",
        "languages": ["en"], "effort": "days", "visibility": "members",
        "policy_areas": [PolicyArea.objects.first().pk], "publish": "1",
        "attachments": [pdf_upload("draft strategy.pdf")]})
    assert response.status_code == 302
    attachment = RequestAttachment.objects.get()
    assert attachment.file_name == "draft strategy.pdf" and attachment.file_type == "pdf"
    url = f"/expertise/documents/{attachment.token}/"
    client.force_login(member_of())
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    client.logout()
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_what_its_name_says_is_refused_on_the_file_field(client):
    request = make_request()
    client.force_login(request.author)
    fake = SimpleUploadedFile("strategy.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(f"/expertise/{request.slug}/attachments/", {"file": fake}, follow=True)
    assert "not a PDF, DOCX or ODT document" in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_a_drafts_documents_stay_with_its_organisation(client):
    request = make_request(status="draft")
    client.force_login(request.author)
    client.post(f"/expertise/{request.slug}/attachments/", {"file": pdf_upload()})
    attachment = RequestAttachment.objects.get()
    client.force_login(member_of())
    assert client.get(f"/expertise/documents/{attachment.token}/").status_code == 404
