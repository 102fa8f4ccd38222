"""Journey: a member reports a post, a moderator hides it from the queue, the member sees it hidden and
the moderation log shows the action. And hostile posts stay inert in the real browser."""

import pytest

from forums import services
from tests import factories
from tests.e2e.conftest import log_in
from tests.forums import factories as forum
from tests.hostile import XSS_PAYLOADS

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reported_post_is_hidden_from_the_queue_and_the_log_shows_it(new_page):
    category = forum.category(name="Housing", slug="housing")
    reporter = factories.UserFactory(email="mia@example.org", full_name="Mia Member")
    factories.ModeratorFactory(email="mo@example.org", full_name="Mo Moderator")
    topic = forum.topic(category_=category, title="Housing for newcomers", body="How do you find flats?")
    spam = forum.reply(topic=topic, author=factories.UserFactory(full_name="Sam Spammer"),
                       body="Buy our consultancy package today")

    member = new_page()
    log_in(member, "mia@example.org", factories.PASSWORD)
    member.goto(topic.get_absolute_url())
    member.get_by_test_id(f"post-{spam.pk}").get_by_role("link", name="Report").click()
    member.get_by_label("Reason").fill("Advertising, not an exchange of practice")
    member.get_by_role("button", name="Send the report").click()
    member.get_by_text("the moderators will look at it").wait_for()

    moderator = new_page()
    log_in(moderator, "mo@example.org", factories.PASSWORD)
    moderator.goto("/moderation/")
    reports = moderator.get_by_test_id("reports")
    reports.get_by_text("Advertising, not an exchange of practice").wait_for()
    reports.get_by_text("Buy our consultancy package today").wait_for()
    reports.get_by_role("link", name="Resolve report").click()
    moderator.get_by_label("Hide the post").check()
    moderator.get_by_label("Reason").fill("Commercial advertising")
    moderator.get_by_role("button", name="Resolve").click()
    moderator.get_by_text("Report resolved: Hide the post.").wait_for()
    moderator.get_by_text("No open reports.").wait_for()

    member.goto(topic.get_absolute_url())
    hidden = member.get_by_test_id(f"post-{spam.pk}")
    hidden.get_by_text("This post is hidden by a moderator.").wait_for()
    assert "Buy our consultancy" not in hidden.inner_text()
    member.goto("/notifications/")
    member.get_by_text("A moderator has hidden the post.").first.wait_for()

    moderator.goto("/moderation/log/")
    log = moderator.get_by_test_id("log")
    log.get_by_role("cell", name="Hid a post", exact=True).wait_for()
    log.get_by_role("cell", name="Resolved a report: hid it").wait_for()
    log.get_by_role("cell", name="Commercial advertising").first.wait_for()
    assert member.js_errors == [] and moderator.js_errors == []
    assert reporter.notifications.filter(kind="moderation.report_outcome").exists()


def test_hostile_titles_and_posts_run_no_script_in_the_browser(page):
    category = forum.category(name="Cultural", slug="cultural")
    author = factories.UserFactory()
    body = "\n\n".join(XSS_PAYLOADS)
    topic = services.start_topic(author=author, category=category, title=XSS_PAYLOADS[0], body=body)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in (topic.get_absolute_url(), category.get_absolute_url(), "/forums/", "/"):
        page.goto(url)
    page.goto(topic.get_absolute_url())
    page.get_by_role("heading", name=XSS_PAYLOADS[0]).wait_for()
    assert page.locator("main script, main img, main svg, main iframe").count() == 0
    assert dialogs == [] and page.js_errors == []
