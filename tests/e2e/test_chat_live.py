"""Journey: two members chat side by side in real Chromium; one types, the other sees it live, badges
follow, and a dropped socket catches up on reconnect.

pytest-django's live server speaks WSGI only, so this journey runs its own ASGI server (uvicorn
serving config.asgi) against the test database.
"""

import re

import pytest
from playwright.sync_api import WebSocketRoute, expect

from chat.models import Message
from tests import factories
from tests.chat.helpers import direct, say
from tests.chat.servers import AsgiServer, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

RECONNECT_WAIT_MS = 30_000  # the client backs off up to a few seconds between attempts
LIVE_WAIT_MS = 15_000  # live updates take milliseconds; the machine running the tests may be busy


@pytest.fixture
def asgi_server(transactional_db):
    server = AsgiServer()
    yield server
    server.stop()


@pytest.fixture
def open_as(browser, asgi_server):
    contexts = []

    def open_page(user, timezone_id: str):
        context = browser.new_context(base_url=asgi_server.url, timezone_id=timezone_id, locale="en-GB")
        context.set_default_timeout(15_000)
        context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": asgi_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_two_members_chat_live_with_badges_and_catch_up_after_a_dropped_socket(open_as):
    amina = factories.UserFactory(full_name="Amina Haddad", timezone="Europe/Vienna")
    lukas = factories.UserFactory(full_name="Lukas Becker", timezone="Europe/Berlin")
    conversation = direct(amina, lukas)
    say(lukas, conversation, "Hi Amina, shall we compare mentoring schemes?")

    # Lukas's sockets go through a switch, so the test can drop them and hold reconnection.
    lukas_sockets: list[WebSocketRoute] = []
    cut_off = {"now": False}

    def route(socket: WebSocketRoute) -> None:
        if cut_off["now"]:
            socket.close(code=4000, reason="network down")
            return
        socket.connect_to_server()
        lukas_sockets.append(socket)

    amina_page = open_as(amina, "Europe/Vienna")
    lukas_page = open_as(lukas, "Europe/Berlin")
    lukas_page.route_web_socket(re.compile(r".*/ws/chat/.*"), route)

    lukas_page.goto("/messages/")
    badge = lukas_page.locator("[data-chat-unread]")
    expect(badge).to_be_hidden()

    amina_page.goto(conversation.get_absolute_url())
    expect(amina_page.locator("[data-chat-status]")).to_contain_text("Connected", timeout=LIVE_WAIT_MS)
    box = amina_page.get_by_role("textbox", name="Message")
    box.fill("Hello from Vienna! Our job café runs on Tuesdays: https://example.org/cafe")
    box.press("Enter")
    expect(amina_page.locator(".chat-log")).to_contain_text("Hello from Vienna!", timeout=LIVE_WAIT_MS)

    # Lukas, on his inbox, sees the unread badge and the conversation's count go up live.
    expect(badge).to_have_text("1", timeout=LIVE_WAIT_MS)
    expect(lukas_page.locator(f'[data-unread-for="{conversation.pk}"]')).to_have_text("1", timeout=LIVE_WAIT_MS)

    lukas_page.get_by_role("link", name="Amina Haddad").click()
    expect(lukas_page.locator(".chat-log")).to_contain_text("Hello from Vienna!", timeout=LIVE_WAIT_MS)
    expect(lukas_page.get_by_role("link", name="https://example.org/cafe", exact=True)).to_be_visible()
    expect(badge).to_be_hidden(timeout=LIVE_WAIT_MS)
    expect(lukas_page.locator("[data-chat-status]")).to_contain_text("Connected", timeout=LIVE_WAIT_MS)

    # One types, the other sees it live.
    amina_page.get_by_role("textbox", name="Message").press_sequentially("Are you")
    expect(lukas_page.get_by_text("Amina Haddad is typing…")).to_be_visible(timeout=LIVE_WAIT_MS)
    amina_page.get_by_role("textbox", name="Message").fill("Are you coming to the roundtable?")
    amina_page.get_by_role("button", name="Send").click()
    expect(lukas_page.locator(".chat-log")).to_contain_text("Are you coming to the roundtable?",
                                                            timeout=LIVE_WAIT_MS)

    # Lukas replies; Amina sees it and, in a direct conversation, the read marker.
    lukas_page.get_by_role("textbox", name="Message").fill("Yes, see you there.")
    lukas_page.get_by_role("textbox", name="Message").press("Enter")
    expect(amina_page.locator(".chat-log")).to_contain_text("Yes, see you there.", timeout=LIVE_WAIT_MS)

    # Lukas's connection drops and stays down while Amina writes twice.
    cut_off["now"] = True
    for socket in lukas_sockets:
        socket.close(code=4000, reason="network down")
    expect(lukas_page.locator("[data-chat-status]")).to_contain_text("Reconnecting", timeout=LIVE_WAIT_MS)
    for text in ("While you were away, 1", "While you were away, 2"):
        amina_page.get_by_role("textbox", name="Message").fill(text)
        amina_page.get_by_role("textbox", name="Message").press("Enter")
        expect(amina_page.locator(".chat-log")).to_contain_text(text, timeout=LIVE_WAIT_MS)
    assert Message.objects.filter(body__startswith="While you were away").count() == 2
    expect(lukas_page.locator(".chat-log")).not_to_contain_text("While you were away")

    # The connection is back: the client reconnects with the last id it has and catches up in order.
    cut_off["now"] = False
    log = lukas_page.locator(".chat-log")
    expect(log).to_contain_text("While you were away, 2", timeout=RECONNECT_WAIT_MS)
    bodies = log.locator(".chat-message .chat-body").all_inner_texts()
    assert bodies[-2:] == ["While you were away, 1", "While you were away, 2"]
    assert len(bodies) == len(set(bodies)), "a message was shown twice"
    assert amina_page.js_errors == [] and lukas_page.js_errors == []


# Records, for every message added to the page after it loads, whether the log was announcing then.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
new MutationObserver(function (records) {
  records.forEach(function (record) {
    record.addedNodes.forEach(function (node) {
      if (!node.classList || !node.classList.contains("chat-message")) { return; }
      var region = document.querySelector("[data-chat-log-region]");
      window.announced.push([node.querySelector(".chat-body").textContent.trim(), region.getAttribute("aria-live")]);
    });
  });
}).observe(document, { childList: true, subtree: true });
"""


def test_the_log_announces_new_messages_but_not_the_catch_up_after_connecting(open_as):
    amina = factories.UserFactory(full_name="Amina Haddad", timezone="Europe/Vienna")
    lukas = factories.UserFactory(full_name="Lukas Becker", timezone="Europe/Berlin")
    conversation = direct(amina, lukas)
    say(amina, conversation, "Already on the page")
    page = open_as(lukas, "Europe/Berlin")
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    # Sent from the test process, the message reaches the page only through the database.

    sent_early = []

    def route(socket: WebSocketRoute) -> None:
        # Sent between the page's rendering and its socket: the socket's catch-up brings it.
        if f"/ws/chat/{conversation.pk}/" in socket.url and not sent_early:
            sent_early.extend(say(amina, conversation, "Sent while the page was loading"))
        socket.connect_to_server()

    page.route_web_socket(re.compile(r".*/ws/chat/.*"), route)
    page.goto(conversation.get_absolute_url())
    region = page.get_by_role("log", name="Message history")
    expect(region).to_contain_text("Sent while the page was loading", timeout=LIVE_WAIT_MS)
    expect(page.locator("[data-chat-status]")).to_contain_text("Connected", timeout=LIVE_WAIT_MS)
    expect(region).to_have_attribute("aria-live", "polite")

    amina_page = open_as(amina, "Europe/Vienna")
    amina_page.goto(conversation.get_absolute_url())
    expect(amina_page.locator("[data-chat-status]")).to_contain_text("Connected", timeout=LIVE_WAIT_MS)
    amina_page.get_by_role("textbox", name="Message").fill("A new message, live")
    amina_page.get_by_role("textbox", name="Message").press("Enter")
    expect(region).to_contain_text("A new message, live", timeout=LIVE_WAIT_MS)
    announced = dict(page.evaluate("window.announced"))
    assert announced["Sent while the page was loading"] == "off"  # caught up silently
    assert announced["A new message, live"] == "polite"  # read out
    assert page.js_errors == []
