"""An organiser removes a speaker, a programme item or a document from the programme page: it is gone from the
event's page, a document's file is gone from storage, and nobody but those who run the event removes anything."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from events import services
from events.models import Attachment, ProgrammeItem, Speaker
from tests import factories
from tests.directory.factories import pdf_upload
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    speaker = services.add_speaker(actor=organiser, event=event, name="Amina Haddad")
    item = services.add_programme_item(actor=organiser, event=event, starts_at=event.starts_at,
                                       title="Opening of the roundtable")
    document = services.add_attachment(actor=organiser, event=event, kind="programme", title="Agenda of the day",
                                       upload=pdf_upload())
    return {"organiser": organiser, "event": event, "speaker": speaker, "item": item, "document": document}


def _remove(client, event, what: str, pk: object):
    return client.post(reverse("events:programme", args=[event.slug]), {"what": what, "id": pk})


def test_an_organiser_removes_a_speaker_an_item_and_a_document(client, programme,
                                                                django_capture_on_commit_callbacks):
    event, document = programme["event"], programme["document"]
    stored = document.file.name
    assert default_storage.exists(stored)
    client.force_login(programme["organiser"])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Amina Haddad" in page and "Opening of the roundtable" in page and "Agenda of the day" in page
    with django_capture_on_commit_callbacks(execute=True):
        for what, part in (("remove-speaker", "speaker"), ("remove-item", "item"),
                           ("remove-document", "document")):
            assert _remove(client, event, what, programme[part].pk).status_code == 302
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Amina Haddad" not in page and "Opening of the roundtable" not in page and "Agenda of the day" not in page
    assert not default_storage.exists(stored)


def test_removing_what_is_gone_or_not_a_number_changes_nothing(client, programme):
    event = programme["event"]
    other = make_event()
    foreign = services.add_speaker(actor=other.created_by, event=other, name="Someone else")
    client.force_login(programme["organiser"])
    assert _remove(client, event, "remove-speaker", foreign.pk).status_code == 302
    response = _remove(client, event, "remove-item", "first")
    assert response.status_code == 302
    assert "Choose what to remove." in client.get(response.url).content.decode()
    assert Speaker.objects.filter(pk=foreign.pk).exists()
    assert ProgrammeItem.objects.filter(pk=programme["item"].pk).exists()


@pytest.mark.parametrize("who", ["member", "outsider", "moderator"])
def test_no_one_else_removes_anything(client, programme, member, outsider, moderator, who):
    client.force_login({"member": member, "outsider": outsider, "moderator": moderator}[who])
    event = programme["event"]
    for what, part in (("remove-speaker", "speaker"), ("remove-item", "item"), ("remove-document", "document")):
        assert _remove(client, event, what, programme[part].pk).status_code == 403
    assert Speaker.objects.filter(event=event).count() == 1
    assert ProgrammeItem.objects.filter(event=event).count() == 1
    assert Attachment.objects.filter(event=event).count() == 1
