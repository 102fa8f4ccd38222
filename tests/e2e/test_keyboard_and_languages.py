"""Journeys by keyboard alone (log in, sign up, register for an event, send a chat message, report a post and
resolve the report), each focused element showing its focus ring; Arabic pages read right to left."""

import pytest
from django.conf import settings

from accounts.models import User
from events.models import Registration
from forums.models import Post
from tests import factories
from tests.chat.helpers import direct, say
from tests.chat.servers import session_cookie
from tests.events.factories import make_event
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def test_the_skip_link_comes_first_and_log_in_works_from_the_keyboard(page):
    factories.UserFactory(email="ada@example.org", full_name="Ada Keyboard")
    page.goto("/accounts/login/")

    page.keyboard.press("Tab")
    assert _focused(page) == "Skip to content"
    page.keyboard.press("Enter")
    assert _focused(page) == "main"

    # From the main content, the form's fields come next in reading order.
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.name") != "login":
        page.keyboard.press("Tab")
    page.keyboard.type("ada@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/me/")
    page.get_by_role("heading", name="Welcome, Ada Keyboard").wait_for()
    # The focus ring is visible: the site's outline, not the browser's default nothing.
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert page.js_errors == []


def test_pages_in_arabic_are_laid_out_right_to_left(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ar", viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        brand = page.get_by_role("link", name="Crossroads", exact=True).bounding_box()
        submit = page.locator("main form button[type=submit]").bounding_box()
        # Logical properties mirror the layout: the brand and the form start at the right edge.
        assert brand["x"] > 640
        assert submit["x"] + submit["width"] > 640
    finally:
        context.close()



def test_an_english_message_in_an_arabic_conversation_reads_left_to_right(page, live_server):
    amina = factories.UserFactory(full_name="Amina Haddad", language="ar")
    lukas = factories.UserFactory(full_name="Lukas Becker")
    conversation = direct(amina, lukas)
    say(lukas, conversation, "Could you look at the housing thread?")
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(amina),
                               "url": live_server.url}])
    page.goto(conversation.get_absolute_url())
    assert page.evaluate("document.documentElement.dir") == "rtl"
    body = page.locator(".chat-body").filter(has_text="Could you look at the housing thread?")
    # Its question mark stays at its end, not at the start of the line as bidi would put it in a right-to-left box.
    assert body.evaluate("element => getComputedStyle(element).direction") == "ltr"
    preview = page.locator(".chat-preview bdi").filter(has_text="Could you look at the housing thread?")
    assert preview.count() == 1

# --- Keyboard alone: each journey below is done with Tab/Shift+Tab, Space, Enter and typing; no mouse. ---------

def _focus_is_visible(page) -> bool:
    """The site's focus ring (a 3px solid outline) is drawn around the focused element."""
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return s.outlineStyle === 'solid' && parseFloat(s.outlineWidth) >= 2 && s.visibility === 'visible'; }""")


def _tab_to(page, selector: str, *, key: str = "Tab", limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus, which must show."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            assert _focus_is_visible(page), f"{selector} has the focus but no visible focus ring"
            return
    raise AssertionError(f"{key} never reaches {selector}")


def test_a_visitor_signs_up_with_the_keyboard_alone(page):
    page.goto("/accounts/signup/")
    for name, text in (("email", "new.member@example.org"), ("password1", "a-long-keyboard-passphrase"),
                       ("password2", "a-long-keyboard-passphrase"), ("full_name", "Kim Keyboard")):
        _tab_to(page, f"main input[name={name}]")
        page.keyboard.type(text)
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)
    assert User.objects.get(email="new.member@example.org").full_name == "Kim Keyboard"
    assert page.js_errors == []


def test_a_member_registers_for_an_event_with_the_keyboard_alone(page, live_server):
    member = factories.UserFactory(full_name="Lukas Becker")
    event = make_event(title="Welcoming newcomers into the job market")
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(member),
                               "url": live_server.url}])
    page.goto(event.get_absolute_url())
    _tab_to(page, "main form[action$='/register/'] button[type=submit]")
    page.keyboard.press("Space")
    page.get_by_text("Your seat is confirmed.").first.wait_for()
    assert Registration.objects.get(user=member, event=event).status == Registration.Status.CONFIRMED
    assert page.js_errors == []


def test_a_member_sends_a_chat_message_with_the_keyboard_alone(page, live_server):
    amina = factories.UserFactory(full_name="Amina Haddad")
    lukas = factories.UserFactory(full_name="Lukas Becker")
    conversation = direct(amina, lukas)
    say(lukas, conversation, "Do you have the map of the housing sites?")
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(amina),
                               "url": live_server.url}])
    page.goto(conversation.get_absolute_url())
    _tab_to(page, "#composer textarea[name=body]")
    page.keyboard.type("Here it is, sent from the keyboard.")
    # Enter sends; the live test server has no WebSocket, so the form posts as it does without JavaScript.
    page.keyboard.press("Enter")
    page.get_by_role("log", name="Message history").get_by_text("Here it is, sent from the keyboard.").wait_for()
    assert conversation.messages.filter(sender=amina, body="Here it is, sent from the keyboard.").exists()


def test_a_post_is_reported_and_the_report_resolved_with_the_keyboard_alone(new_page, live_server):
    category = forum.category(name="Housing", slug="housing")
    reporter = factories.UserFactory(full_name="Mia Member")
    moderator = factories.ModeratorFactory(full_name="Mo Moderator")
    topic = forum.topic(category_=category, title="Housing for newcomers", body="How do you find flats?")
    spam = forum.reply(topic=topic, author=factories.UserFactory(), body="Buy our consultancy package today")

    member = new_page()
    member.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(reporter),
                                 "url": live_server.url}])
    member.goto(topic.get_absolute_url())
    _tab_to(member, f"[data-testid=post-{spam.pk}] a[href*='/report/']")
    member.keyboard.press("Enter")
    member.wait_for_url("**/report/")
    _tab_to(member, "main textarea[name=reason]")
    member.keyboard.type("Advertising, not an exchange of practice")
    _tab_to(member, "main form button[type=submit]")
    member.keyboard.press("Enter")
    member.get_by_text("the moderators will look at it").wait_for()

    page = new_page()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(moderator),
                               "url": live_server.url}])
    page.goto("/moderation/")
    _tab_to(page, "[data-testid=reports] a[href*='/moderation/reports/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/moderation/reports/**")
    _tab_to(page, "main input[name=action]")
    # Within a radio group the arrow keys choose; Space selects the one with the focus.
    while page.evaluate("document.activeElement.value") != "hide":
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    _tab_to(page, "main textarea[name=reason]")
    page.keyboard.type("Commercial advertising")
    # Back up over the optional fields to check Shift+Tab lands where it should, then on to the button.
    _tab_to(page, "main form button[type=submit]")
    _tab_to(page, "main textarea[name=reason]", key="Shift+Tab")
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("Report resolved: Hide the post.").wait_for()
    spam.refresh_from_db()
    assert spam.status == Post.Status.HIDDEN
    assert member.js_errors == [] and page.js_errors == []
