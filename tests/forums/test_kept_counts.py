"""The categories' topic and post counts are kept until the forums change (forums.selectors.category_counts): a new
topic, a reply, a moderator's hiding and a move show on the next request, in the API (a visitor's and a member's) and
on a member's category list, in any language; a restricted category stays hidden from those who may not read it."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from forums import services
from tests.forums import factories as forum

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _counts(browser: Client, slug: str, language: str = "en") -> tuple[int, int]:
    """The category's counts in the API, the API asked twice so the second answer uses what was kept."""
    for _ in range(2):
        rows = browser.get(reverse("api-forum-categories"), headers={"Accept-Language": language}).json()
    row = next(row for row in rows if row["slug"] == slug)
    return row["topic_count"], row["post_count"]


def _list_row(browser: Client, slug: str) -> str:
    """The category's row on the category list (a member's, rendered for each request), asked twice."""
    for _ in range(2):
        html = browser.get(reverse("forums:categories")).content.decode()
    return html[html.index(f'href="{reverse("forums:category", args=[slug])}"'):].split("</tr>")[0]


def test_a_new_topic_a_reply_a_hiding_and_a_move_show_in_the_next_counts(public_category, category_moderator,
                                                                          member):
    visitor, signed_in = Client(), Client()
    signed_in.force_login(member)
    topic = forum.topic(category_=public_category)
    assert _counts(visitor, "housing") == _counts(signed_in, "housing") == (1, 1)

    reply = forum.reply(topic=topic)
    assert _counts(visitor, "housing") == _counts(signed_in, "housing", "fr") == (1, 2)
    forum.topic(category_=public_category, title="Schools for newcomers")
    assert _counts(visitor, "housing", "ar") == _counts(signed_in, "housing") == (2, 3)

    services.hide_post(moderator=category_moderator, post=reply, reason="Off topic")
    assert _counts(visitor, "housing") == _counts(signed_in, "housing") == (2, 2)

    elsewhere = forum.category(name="Elsewhere", slug="elsewhere")
    elsewhere.moderators.add(category_moderator)
    services.move_topic(moderator=category_moderator, topic=topic, category=elsewhere)
    assert _counts(visitor, "housing") == (1, 1)
    assert _counts(signed_in, "elsewhere", "fr") == (1, 1)


def test_a_members_category_list_shows_the_new_latest_topic_and_counts(public_category, member):
    browser = Client()
    browser.force_login(member)
    forum.topic(category_=public_category, title="Flats for newcomers")
    assert "Flats for newcomers" in _list_row(browser, "housing")

    forum.topic(category_=public_category, title="Schools for newcomers")
    row = _list_row(browser, "housing")
    assert "Schools for newcomers" in row and "Flats for newcomers" not in row


def test_the_kept_counts_do_not_show_a_restricted_category_to_those_who_may_not_read_it(
        municipal_category, municipal_member, member):
    forum.topic(category_=municipal_category, author=municipal_member)
    allowed, other = Client(), Client()
    allowed.force_login(municipal_member)
    other.force_login(member)
    assert _counts(allowed, "municipal") == (1, 1)
    for browser in (other, Client()):
        for _ in range(2):
            slugs = [row["slug"] for row in browser.get(reverse("api-forum-categories")).json()]
        assert "municipal" not in slugs
