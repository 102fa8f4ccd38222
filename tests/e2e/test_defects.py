"""Defects a new member met in the browser (issue 15), each walked again in real Chromium."""

import pytest

from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _console_errors(page) -> list[str]:
    """Console errors, among them the browser's reports of what the Content-Security-Policy refused."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_the_api_documentation_runs_under_the_sites_content_security_policy(page, settings):
    assert not settings.DEBUG
    errors = _console_errors(page)
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").get_by_text("Crossroads API").wait_for()
    page.locator(".opblock-tag").first.wait_for()
    assert errors == [] and page.js_errors == []


def _member(email: str, name: str):
    user = factories.UserFactory(email=email, full_name=name)
    factories.MembershipFactory(user=user)
    return user


def test_chat_pages_speak_of_a_block_only_when_one_stands(page):
    from chat import services

    mia = _member("mia@example.org", "Mia Member")
    pia = _member("pia@example.org", "Pia Peer")
    ola = _member("ola@example.org", "Ola Other")
    conversation = services.open_direct_conversation(user=mia, other=pia)
    group = services.create_group_conversation(creator=mia, title="Mentoring schemes", members=[pia, ola])
    log_in(page, "mia@example.org", factories.PASSWORD)
    for url in (conversation.get_absolute_url(), group.get_absolute_url()):
        page.goto(url)
        page.get_by_role("button", name="Send").wait_for()
        assert page.get_by_test_id("chat-blocked").count() == 0
        assert "does not accept messages" not in page.content()

    services.block_member(user=pia, other=mia)
    page.goto(conversation.get_absolute_url())
    assert page.get_by_test_id("chat-blocked").inner_text() == "Pia Peer does not accept messages from you."


def test_the_message_button_in_the_members_directory_opens_the_conversation(page):
    _member("mia@example.org", "Mia Member")
    pia = _member("pia@example.org", "Pia Peer")
    log_in(page, "mia@example.org", factories.PASSWORD)
    page.goto("/people/")
    page.get_by_test_id("people").get_by_role("button", name=f"Message {pia.get_short_name()}").click()
    page.wait_for_url("**/messages/*/")
    assert "csrfmiddlewaretoken" not in page.url
    page.get_by_role("heading", name="Pia Peer").wait_for()


def test_a_visitor_sees_event_times_in_their_browsers_zone_labelled_so(new_page):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.events.factories import make_event

    new_york = ZoneInfo("America/New_York")
    event = make_event(title="Housing roundtable", starts_at=datetime(2027, 7, 1, 9, 0, tzinfo=new_york),
                       timezone_name="America/New_York")
    page = new_page(timezone_id="Europe/Helsinki")
    page.goto(event.get_absolute_url())
    page.get_by_text("your browser's time: EEST, UTC+3, Europe/Helsinki").wait_for()
    assert "16:00–18:00" in page.get_by_test_id("viewer-time").inner_text()
    page.goto("/events/calendar/?month=2027-07")
    assert page.get_by_test_id("calendar-zone").inner_text() == (
        "Days and times in your browser's time zone (Europe/Helsinki).")
    assert page.js_errors == []


def test_the_calendar_fits_a_phone_without_sideways_scrolling(new_page, tmp_path):
    page = new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/events/calendar/")
    page.get_by_test_id("month-calendar").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    friday = page.locator(".month-calendar td:not(.other-month) .weekday", has_text="Fri").first
    box = friday.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    page.screenshot(path=str(tmp_path / "calendar-phone.png"), full_page=True)


def test_reference_cards_in_a_forum_post_carry_no_list_bullet(page):
    from tests.forums import factories as forum

    organisation = factories.OrganisationFactory(name="Vienna Welcome Office", slug="vienna-welcome")
    topic = forum.topic(category_=forum.category(name="General", slug="general"),
                        body=f"See the work of [the office]({organisation.get_absolute_url()}) on housing.")
    assert topic.posts.get().references, "the post should show the organisation as a card"
    page.goto(topic.get_absolute_url())
    card = page.locator(".references > li").first
    card.wait_for()
    assert card.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    assert card.evaluate("li => getComputedStyle(li.parentElement).paddingInlineStart") == "0px"
