"""Journey: a member previews a reply rendered by the server, closes the page mid-sentence and finds the
draft back, posts it; the question's starter accepts it as the answer, and the topic list says solved."""

import os

import pytest
from playwright.sync_api import expect

from forums.models import Tag
from tests import factories
from tests.e2e.conftest import log_in
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("CHAT_SCREENSHOTS")


def test_preview_draft_answer_and_solved(new_page):
    questions = forum.category(name="Questions", slug="questions", question_style=True)
    asker = factories.UserFactory(email="ana@example.org", full_name="Ana Asker")
    factories.UserFactory(email="rui@example.org", full_name="Rui Replier")
    topic = forum.topic(author=asker, category_=questions, title="How do you fund language cafés?",
                        body="Looking for funding models that last.")
    youth = Tag.objects.create(name="Language", slug="language")
    topic.tags.add(youth)

    page = new_page()
    log_in(page, "rui@example.org", factories.PASSWORD)
    page.goto(topic.get_absolute_url())
    box = page.get_by_label("Your reply")
    box.fill("We combine a **city grant** with volunteer hosts.\n\n- rent-free rooms\n- <script>x</script>")
    page.get_by_test_id("preview").click()
    output = page.get_by_test_id("preview-output")
    expect(output.locator("strong")).to_have_text("city grant")
    expect(output.locator("li")).to_have_count(2)
    expect(output.locator("script")).to_have_count(0)
    expect(page.locator("[data-draft-status]")).to_contain_text("Draft saved")

    # The page is closed and opened again: the draft is back.
    page.goto("/forums/")
    page.goto(topic.get_absolute_url())
    expect(page.get_by_label("Your reply")).to_have_value(
        "We combine a **city grant** with volunteer hosts.\n\n- rent-free rooms\n- <script>x</script>")
    page.get_by_label("Your reply").fill("We combine a city grant with volunteer hosts.")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("We combine a city grant with volunteer hosts.").first.wait_for()
    page.goto(topic.get_absolute_url())
    expect(page.get_by_label("Your reply")).to_have_value("")  # sent: the draft is gone

    starter = new_page()
    log_in(starter, "ana@example.org", factories.PASSWORD)
    starter.goto(topic.get_absolute_url())
    starter.get_by_role("button", name="Accept as the answer").click()
    expect(starter.get_by_role("heading", name="Accepted answer")).to_be_visible()
    if SHOTS:
        starter.screenshot(path=os.path.join(SHOTS, "forum-topic.png"), full_page=True)
    starter.goto(questions.get_absolute_url())
    expect(starter.get_by_test_id("topics")).to_contain_text("solved")
    expect(starter.get_by_role("link", name="Language").first).to_be_visible()
    if SHOTS:
        starter.screenshot(path=os.path.join(SHOTS, "forum-list.png"))
    assert page.js_errors == [] and starter.js_errors == []
