"""Certificates of attendance: who may download one, names in any script rendered (the text read back from the
PDF), and a public verification page that confirms the certificate and discloses nothing else."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events import services
from events.models import Certificate
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


def _attended(full_name: str = "Zoë O'Brien", **event_fields):
    organisation = factories.OrganisationFactory(name="City of Vienna")
    organiser = organiser_for(organisation)
    starts = timezone.now() + timedelta(hours=1)
    event = make_event(organiser=organiser, organisation=organisation, starts_at=starts, hours=3,
                       title="Municipal Welcome Desks", **event_fields)
    attendee = factories.UserFactory(full_name=full_name)
    registration = services.register_for_event(user=attendee, event=event)
    services.check_in(actor=organiser, event=event, registration_id=registration.pk, method="list")
    services.update_event(actor=organiser, event=event, starts_at=starts - timedelta(days=2),
                          ends_at=starts - timedelta(days=2) + timedelta(hours=3))
    event.refresh_from_db()
    return organiser, event, attendee


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("name, words", [
    ("فاطمة الزهراء", ["فاطمة", "الزهراء"]),
    ("王小明", ["王小明"]),
    ("Анна Петрова", ["Анна", "Петрова"]),
    ("Zoë O'Brien-Nguyễn", ["Zoë", "O'Brien-Nguyễn"]),
])
def test_a_certificate_renders_the_name_in_its_script(client, name, words):
    _, event, attendee = _attended(full_name=name)
    client.force_login(attendee)
    text = _text(client.get(reverse("events:certificate", args=[event.slug])))
    for word in words:
        assert word in text
    assert "Municipal Welcome Desks" in text and "City of Vienna" in text and "3 hours" in text
    code = Certificate.objects.get().code
    assert code in text and f"/events/certificates/{code}/" in text


def test_the_same_certificate_comes_back_on_a_second_download(client):
    _, event, attendee = _attended()
    client.force_login(attendee)
    client.get(reverse("events:certificate", args=[event.slug]))
    client.get(reverse("events:certificate", args=[event.slug]))
    assert Certificate.objects.count() == 1


def test_only_attendees_of_a_past_event_get_a_certificate(client, member):
    organiser, event, attendee = _attended()
    absent = factories.UserFactory()
    url = reverse("events:certificate", args=[event.slug])
    assert client.get(url).status_code == 302 and "/accounts/login/" in client.get(url)["Location"]
    for someone in (member, organiser, absent):
        client.force_login(someone)
        assert client.get(url).status_code == 403
    upcoming = make_event(organiser=organiser)
    registration = services.register_for_event(user=attendee, event=upcoming)
    services.check_in(actor=organiser, event=upcoming, registration_id=registration.pk, method="list")
    client.force_login(attendee)
    response = client.get(reverse("events:certificate", args=[upcoming.slug]))
    assert response.status_code == 302 and not Certificate.objects.filter(registration=registration).exists()


def test_the_event_page_offers_the_certificate_to_attendees_only(client, member):
    _, event, attendee = _attended()
    client.force_login(attendee)
    assert 'data-testid="certificate-link"' in client.get(event.get_absolute_url()).content.decode()
    client.force_login(member)
    assert 'data-testid="certificate-link"' not in client.get(event.get_absolute_url()).content.decode()


def test_the_verification_page_confirms_the_certificate_and_shows_nothing_private(client):
    _, event, attendee = _attended(full_name="Amina Haddad")
    attendee.job_title = "Private-Job-Title"
    attendee.save()
    certificate = services.issue_certificate(user=attendee, event=event)
    page = client.get(reverse("events:verify-certificate", args=[certificate.code])).content.decode()
    assert "This certificate is genuine." in page and "Amina Haddad" in page and event.title in page
    for private in (attendee.email, "Private-Job-Title", attendee.get_absolute_url(), registration_code(attendee)):
        assert private not in page
    missing = client.get(reverse("events:verify-certificate", args=["NOPE-NOPE-NOPE"]))
    assert missing.status_code == 404 and "No certificate has the code" in missing.content.decode()


def registration_code(user) -> str:
    return user.event_registrations.get().ticket_code


def test_a_lower_case_code_is_found_and_hostile_codes_are_inert(client):
    _, event, attendee = _attended()
    certificate = services.issue_certificate(user=attendee, event=event)
    assert client.get(reverse("events:verify-certificate", args=[certificate.code.lower()])).status_code == 200
    response = client.get("/events/certificates/%3Cscript%3Ealert(1)%3C%2Fscript%3E/")
    assert response.status_code == 404 and "<script>alert" not in response.content.decode()


def test_the_dashboard_offers_certificates_and_feedback_for_attended_events(client, member):
    _, event, attendee = _attended()
    client.force_login(attendee)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    attended = page.split('data-testid="attended-events"')[1].split("</ul>")[0]
    assert reverse("events:certificate", args=[event.slug]) in attended
    assert reverse("events:feedback", args=[event.slug]) in attended
    client.force_login(member)
    assert 'data-testid="attended-events"' not in client.get(reverse("accounts:dashboard")).content.decode()
