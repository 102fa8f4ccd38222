"""Hostile input in every text field of events: refused with a message naming the field, or stored and shown
back as inert text. Nothing crashes, nothing runs."""

import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Notification
from events import services
from events.models import Attachment, Event
from tests import factories
from tests.events.factories import make_event, organiser_for
from tests.hostile import ALL_STRINGS, LEGITIMATE, assert_inert

pytestmark = pytest.mark.django_db

PAYLOADS = ALL_STRINGS + LEGITIMATE
EVENT_TEXT_FIELDS = ["title", "summary", "description", "venue", "city"]


@pytest.fixture
def organiser_and_event(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    client.force_login(organiser)
    return organiser, organisation, event


def _event_form(organisation, text: str) -> dict:
    return {"kind": "roundtable", "organisations": [organisation.pk], "timezone": "Europe/Vienna",
            "starts_local": "2030-05-05T10:00", "ends_local": "2030-05-05T12:00", "format": "hybrid",
            "visibility": "public", "registration_scope": "verified", "waitlist_enabled": "on",
            **dict.fromkeys(EVENT_TEXT_FIELDS, text), "reminder_hours": text[:100]}


def _assert_refused_on_fields(response, fields) -> None:
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert set(errors) & set(fields), errors


@pytest.mark.parametrize("text", PAYLOADS, ids=range(len(PAYLOADS)))
def test_event_text_fields_refuse_or_neutralise_hostile_input(client, organiser_and_event, text):
    _, organisation, event = organiser_and_event
    data = _event_form(organisation, text)
    data["reminder_hours"] = "24, 1"
    response = client.post(reverse("events:create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        _assert_refused_on_fields(response, EVENT_TEXT_FIELDS)
        return
    created = Event.objects.exclude(pk=event.pk).get()
    assert created.title == " ".join(text.split())
    services.publish_event(actor=created.created_by, event=created)
    for url in (created.get_absolute_url(), reverse("events:list"), reverse("events:edit", args=[created.slug])):
        assert_inert(client.get(url).content.decode())
    client.get(reverse("events:ics", args=[created.slug]))


@pytest.mark.parametrize("text", ["ten", "24, -3", "1e400", "999999", "<script>", "1; drop table", "nan", "inf"])
def test_bad_reminder_times_are_refused_on_their_field(client, organiser_and_event, text):
    _, organisation, _ = organiser_and_event
    data = _event_form(organisation, "Fine title")
    data["reminder_hours"] = text
    _assert_refused_on_fields(client.post(reverse("events:create"), data), ["reminder_hours"])


@pytest.mark.parametrize("text", PAYLOADS, ids=range(len(PAYLOADS)))
def test_programme_speakers_and_documents_refuse_or_neutralise_hostile_input(client, organiser_and_event, text):
    _, _, event = organiser_and_event
    url = reverse("events:programme", args=[event.slug])
    local = event.starts_at.astimezone(event.tzinfo).strftime("%Y-%m-%dT%H:%M")
    responses = [
        client.post(url, {"what": "speaker", "speaker-name": text, "speaker-role": text,
                          "speaker-organisation_name": text}),
        client.post(url, {"what": "item", "item-starts_local": local, "item-title": text,
                          "item-description": text}),
        client.post(url, {"what": "document", "document-kind": "programme", "document-title": text,
                          "document-file": SimpleUploadedFile("programme.pdf", b"%PDF-1.4 test")}),
    ]
    assert all(r.status_code in (302, 400) for r in responses), [r.status_code for r in responses]
    for response, form in zip(responses, ["speaker_form", "item_form", "attachment_form"], strict=True):
        if response.status_code == 400:
            assert response.context[form].errors, form
    if text in LEGITIMATE:
        assert [r.status_code for r in responses] == [302, 302, 302]
        assert event.programme.get().title == text and event.speakers.get().name == text
    for page in (event.get_absolute_url(), url):
        assert_inert(client.get(page).content.decode())


def _word_file_with_macros() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"):
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("script.exe", b"MZ", "Upload a PDF"),
    ("fake.pdf", b"<html><script>alert(1)</script>", "not a PDF, DOCX or ODT document"),
    ("empty.pdf", b"", "empty"),
    ("fake.docx", b"%PDF-1.4", "content is PDF but its name ends in .docx"),
    ("macro.docx", _word_file_with_macros(), "macros are not accepted"),
])
def test_uploads_are_checked_by_name_and_content(client, organiser_and_event, name, content, reason):
    _, _, event = organiser_and_event
    response = client.post(reverse("events:programme", args=[event.slug]), {
        "what": "document", "document-kind": "programme", "document-title": "Programme",
        "document-file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert reason in str(response.context["attachment_form"].errors["file"])
    assert not Attachment.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, organiser_and_event, settings):
    settings.UPLOAD_MAX_BYTES = 10
    _, _, event = organiser_and_event
    response = client.post(reverse("events:programme", args=[event.slug]), {
        "what": "document", "document-kind": "programme", "document-title": "Programme",
        "document-file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 100)})
    assert "larger than" in str(response.context["attachment_form"].errors["file"])


def test_a_checked_document_is_served_as_a_download(client, organiser_and_event):
    organiser, _, event = organiser_and_event
    services.add_attachment(actor=organiser, event=event, kind="programme", title="Programme",
                            upload=SimpleUploadedFile("p.pdf", b"%PDF-1.4 programme"))
    document = event.attachments.get()
    response = client.get(reverse("events:attachment", args=[event.slug, document.pk]))
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 programme"


@pytest.mark.parametrize("text", PAYLOADS, ids=range(len(PAYLOADS)))
def test_messages_contact_and_cancel_reason_refuse_or_neutralise_hostile_input(client, organiser_and_event, member,
                                                                             text):
    organiser, _, event = organiser_and_event
    services.register_for_event(user=member, event=event)
    response = client.post(reverse("events:message", args=[event.slug]), {"subject": text, "body": text})
    assert response.status_code in (302, 400)
    client.force_login(member)
    response = client.post(reverse("events:contact", args=[event.slug]), {"message": text})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_inert(client.get(response["Location"]).content.decode())
    assert_inert(client.get(reverse("core:notifications")).content.decode())
    client.force_login(organiser)
    assert_inert(client.get(reverse("core:notifications")).content.decode())
    response = client.post(reverse("events:cancel", args=[event.slug]), {"reason": text})
    assert response.status_code in (200, 302)
    assert_inert(client.get(event.get_absolute_url()).content.decode())


def test_an_empty_message_is_refused_on_its_fields(client, organiser_and_event):
    _, _, event = organiser_and_event
    response = client.post(reverse("events:message", args=[event.slug]), {"subject": "   ", "body": ""})
    assert response.status_code == 400 and {"subject", "body"} <= set(response.context["message_form"].errors)
    assert not Notification.objects.filter(kind="events.message").exists() and mail.outbox == []


@pytest.mark.parametrize("text", PAYLOADS, ids=range(len(PAYLOADS)))
def test_the_list_filters_take_hostile_input_without_harm(client, text):
    make_event()
    for url in (reverse("events:list"), reverse("events:calendar"), reverse("events:feed"), "/api/events/"):
        response = client.get(url, {"q": text[:5000], "kind": text[:50], "organisation": text[:50],
                                    "area": text[:50], "country": text[:10], "month": text[:20]})
        assert response.status_code in (200, 400)
        if url != reverse("events:feed") and response.status_code == 200 and "html" in response["Content-Type"]:
            assert_inert(response.content.decode())


def test_csv_cells_that_would_run_as_formulas_are_quoted(client, organiser_and_event):
    _, _, event = organiser_and_event
    services.register_for_event(user=factories.UserFactory(full_name="=HYPERLINK(\"http://evil\")"), event=event)
    body = client.get(reverse("events:registrations-csv", args=[event.slug])).content.decode()
    assert "'=HYPERLINK" in body
