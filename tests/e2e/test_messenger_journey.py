"""Journey: two members in two browsers use the messenger: each sees the other online, one sends a picture,
the other reacts to it, a reply quotes the original and jumps to it, and search opens the history at a
message. Runs against its own ASGI server (uvicorn serving config.asgi), as the live chat journey does.
"""

import os

import pytest
from playwright.sync_api import expect

from chat.models import Attachment, Reaction
from tests import factories
from tests.chat.helpers import direct, png_bytes, say
from tests.e2e.test_chat_live import asgi_server, open_as  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

LIVE_WAIT_MS = 15_000
SHOTS = os.environ.get("CHAT_SCREENSHOTS")  # a folder: save desktop and phone screenshots there


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    # The server process writes the files: it gets the same folder through its environment.
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path


def shoot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def test_send_a_file_react_reply_search_and_see_the_other_member_online(open_as, tmp_path):  # noqa: F811
    amina = factories.UserFactory(full_name="Amina Haddad", timezone="Europe/Vienna")
    lukas = factories.UserFactory(full_name="Lukas Becker", timezone="Europe/Berlin")
    conversation = direct(amina, lukas)
    say(lukas, conversation, "Hi Amina, do you have the map of the new housing sites?")

    amina_page = open_as(amina, "Europe/Vienna")
    lukas_page = open_as(lukas, "Europe/Berlin")
    lukas_page.goto(conversation.get_absolute_url())
    expect(lukas_page.locator("[data-chat-status]")).to_contain_text("Connected", timeout=LIVE_WAIT_MS)
    amina_page.goto(conversation.get_absolute_url())
    expect(amina_page.locator("[data-chat-status]")).to_contain_text("Connected", timeout=LIVE_WAIT_MS)

    # Each sees the other online: Lukas was there first, Amina's arrival reaches him live.
    expect(amina_page.locator(f'.chat-title [data-presence-for="{lukas.pk}"]')).to_be_visible(timeout=LIVE_WAIT_MS)
    expect(lukas_page.locator(f'.chat-title [data-presence-for="{amina.pk}"]')).to_be_visible(timeout=LIVE_WAIT_MS)

    # Amina attaches a picture and sends it with a line of text.
    picture = tmp_path / "housing-sites.png"
    picture.write_bytes(png_bytes((800, 600), "seagreen"))
    amina_page.get_by_label("Attach files").set_input_files(str(picture))
    expect(amina_page.locator("[data-chat-selected]")).to_contain_text("housing-sites.png")
    amina_page.get_by_role("textbox", name="Message").fill("Here it is.")
    amina_page.get_by_role("button", name="Send").click()
    image = lukas_page.get_by_role("img", name="housing-sites.png")
    expect(image).to_be_visible(timeout=LIVE_WAIT_MS)
    assert Attachment.objects.get().name == "housing-sites.png"
    expect(lukas_page.get_by_role("link", name="housing-sites.png")).to_have_attribute("download", "")

    # Lukas reacts; Amina sees the count live.
    sent = lukas_page.locator(".chat-message", has_text="Here it is.")
    sent.hover()
    sent.get_by_text("React").click()
    sent.get_by_role("button", name="thumbs up").click()  # what a screen reader says, not the code
    expect(amina_page.locator(".chat-message", has_text="Here it is.").locator(".chat-reaction")).to_contain_text(
        "1", timeout=LIVE_WAIT_MS)
    expect(amina_page.locator(".chat-message", has_text="Here it is.").get_by_role("button", name="thumbs up: ")
           ).to_be_visible()
    assert Reaction.objects.get().user == lukas

    # Amina replies to Lukas's question; the reply quotes it, and the quote jumps to the original.
    question = amina_page.locator(".chat-message", has_text="do you have the map")
    question.hover()
    question.get_by_role("link", name="Reply").click()
    expect(amina_page.locator("[data-chat-replying]")).to_be_visible()
    box = amina_page.get_by_role("textbox", name="Message")
    box.fill("Sites are numbered as in the council decision.")
    box.press("Enter")
    reply = lukas_page.locator(".chat-message", has_text="Sites are numbered")
    expect(reply.locator(".chat-quote")).to_contain_text("do you have the map", timeout=LIVE_WAIT_MS)
    shoot(lukas_page, "desktop-conversation")
    reply.locator(".chat-quote").click()
    expect(lukas_page.locator(".chat-message.highlight")).to_contain_text("do you have the map")

    # Lukas searches his conversations and lands on the message in the history.
    lukas_page.get_by_role("searchbox", name="Search my conversations").fill("council decision")
    lukas_page.get_by_role("searchbox", name="Search my conversations").press("Enter")
    results = lukas_page.get_by_test_id("chat-results")
    expect(results).to_contain_text("Sites are numbered as in the council decision.")
    shoot(lukas_page, "desktop-search")
    results.get_by_role("link", name="Amina Haddad").click()
    expect(lukas_page.locator(".chat-message.highlight")).to_contain_text("council decision")

    # On a phone the list and the conversation come one after the other.
    lukas_page.set_viewport_size({"width": 390, "height": 800})
    lukas_page.goto(conversation.get_absolute_url())
    expect(lukas_page.locator(".chat-list")).to_be_hidden()
    expect(lukas_page.get_by_role("link", name="Conversations")).to_be_visible()
    shoot(lukas_page, "phone-conversation")
    lukas_page.get_by_role("link", name="Conversations").click()
    expect(lukas_page.get_by_test_id("inbox")).to_be_visible()
    shoot(lukas_page, "phone-inbox")
    assert amina_page.js_errors == [] and lukas_page.js_errors == []
