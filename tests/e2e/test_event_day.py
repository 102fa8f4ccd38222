"""Journey: a member registers answering the organisers' questions and opens the ticket; the organiser
scans the ticket's QR address and checks her in with one tap; after the event she downloads her certificate."""

import io
from datetime import timedelta

import pytest
import segno
from django.utils import timezone
from pypdf import PdfReader

from events import services
from events.models import Event, Registration, RegistrationQuestion
from tests import factories
from tests.e2e.conftest import log_in
from tests.events.factories import organiser_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_with_answers_ticket_qr_check_in_and_certificate(new_page, live_server, tmp_path):
    city = factories.OrganisationFactory(name="City of Vienna", slug="vienna")
    organiser = organiser_for(city, email="olga@example.org", full_name="Olga Organiser")
    factories.UserFactory(email="fatima@example.org", full_name="فاطمة الزهراء", timezone="Asia/Dubai")
    starts = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    event = services.create_event(
        actor=organiser, organisations=[city], kind=Event.Kind.WORKSHOP, title="Municipal Welcome Desks",
        starts_at=starts, ends_at=starts + timedelta(hours=3), timezone_name="Europe/Vienna",
        venue="Rathaus, Festsaal", city="Vienna", country="AT")
    services.add_question(actor=organiser, event=event, kind=RegistrationQuestion.Kind.SHORT_TEXT,
                          label="Which city do you represent?", required=True)
    services.add_question(actor=organiser, event=event, kind=RegistrationQuestion.Kind.CHOICE,
                          label="Interpretation language", choices=["English", "Arabic"])
    services.publish_event(actor=organiser, event=event)

    member = new_page(timezone_id="Asia/Dubai")
    log_in(member, "fatima@example.org", factories.PASSWORD)
    member.goto(event.get_absolute_url())
    member.get_by_test_id("register-link").click()
    member.get_by_role("button", name="Register").click()  # the required answer is missing
    member.get_by_text("Answer this question: it is required.").wait_for()
    assert not Registration.objects.filter(event=event).exists()
    member.get_by_label("Which city do you represent?").fill("Dubai")
    member.get_by_label("Arabic").check()
    member.get_by_role("button", name="Register").click()
    member.get_by_text("Your seat is confirmed.").first.wait_for()

    member.get_by_test_id("ticket-link").click()
    member.get_by_test_id("ticket-name").wait_for()
    assert member.get_by_test_id("ticket-name").inner_text() == "فاطمة الزهراء"
    registration = Registration.objects.get(event=event)
    check_in_url = f"{live_server.url}/events/{event.slug}/check-in/{registration.ticket_code}/"
    # The QR code on the page is the check-in address, drawn on the server.
    drawn = segno.make(check_in_url, error="m").svg_inline(scale=5, border=2, title="QR code for check-in")
    assert drawn.split(' d="', 1)[1].split('"', 1)[0] in member.content()

    # Anyone else who scans it is refused: here, the member herself.
    response = member.goto(check_in_url)
    assert response.status == 403

    desk = new_page()
    log_in(desk, "olga@example.org", factories.PASSWORD)
    desk.goto(check_in_url)
    desk.get_by_test_id("check-in-button").click()
    desk.get_by_test_id("check-in-result").wait_for()
    assert desk.get_by_test_id("check-in-result").inner_text() == "Checked in."
    desk.goto(check_in_url)
    assert "Already checked in" in desk.get_by_test_id("check-in-result").inner_text()

    # The event takes place; afterwards the certificate is on the event page.
    services.update_event(actor=organiser, event=Event.objects.get(pk=event.pk),
                          starts_at=starts - timedelta(days=1), ends_at=starts - timedelta(days=1, hours=-3))
    member.goto(event.get_absolute_url())
    with member.expect_download() as download_info:
        member.get_by_test_id("certificate-link").click()
    saved = tmp_path / "certificate.pdf"
    download_info.value.save_as(saved)
    text = PdfReader(io.BytesIO(saved.read_bytes())).pages[0].extract_text()
    assert "فاطمة" in text and "الزهراء" in text and "Municipal Welcome Desks" in text
    assert member.js_errors == [] and desk.js_errors == []


def test_the_check_in_desk_works_with_the_keyboard_alone(new_page):
    city = factories.OrganisationFactory(name="City of Vienna", slug="vienna")
    organiser = organiser_for(city, email="olga@example.org", full_name="Olga Organiser")
    event = services.create_event(
        actor=organiser, organisations=[city], kind=Event.Kind.ROUNDTABLE, title="Welcome Desks",
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=3),
        timezone_name="Europe/Vienna", venue="Rathaus", city="Vienna", country="AT")
    services.publish_event(actor=organiser, event=event)
    for name in ("Tomás García", "Amina Haddad"):
        services.register_for_event(user=factories.UserFactory(full_name=name), event=event)

    desk = new_page()
    log_in(desk, "olga@example.org", factories.PASSWORD)
    desk.goto(f"/events/{event.slug}/check-in/")
    search = desk.get_by_label("Find a registrant by name")
    search.focus()
    desk.keyboard.type("tomas")  # accents folded on SQLite; "García" on either database
    desk.keyboard.press("Enter")
    desk.wait_for_url("**q=tomas**")
    rows = desk.get_by_test_id("check-in-list").locator("tbody tr")
    if rows.count() == 1 and "No confirmed registrant" in rows.first.inner_text():  # PostgreSQL: no folding
        desk.get_by_label("Find a registrant by name").fill("García")
        desk.keyboard.press("Enter")
        desk.wait_for_url("**q=Garc**")
    assert "Amina Haddad" not in desk.get_by_test_id("check-in-list").inner_text()
    # From the search field, Tab reaches Find, then the row's Check in button; Enter presses it.
    desk.get_by_label("Find a registrant by name").focus()
    desk.keyboard.press("Tab")
    desk.keyboard.press("Tab")
    assert desk.evaluate("document.activeElement.textContent").strip().startswith("Check in")
    desk.keyboard.press("Enter")
    desk.get_by_text("Tomás García is checked in.").wait_for()
    registration = Registration.objects.get(event=event, user__full_name="Tomás García")
    assert registration.checked_in_at is not None
    assert desk.js_errors == []
