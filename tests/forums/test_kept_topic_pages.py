"""A topic page keeps its page of posts per topic, reader and page (selectors.topic_page_posts: ids, authors,
states and the reader's own helpful marks, bookmarks and reactions) and reads a post's text only when its card is
rendered afresh: a new reply, an edit, a reaction, a moderator's hiding and a bookmark show on the next request, to
members in their language and to visitors; a held post and a member's own marks are never shown to anyone else;
a warm page asks the database nothing about its posts."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import services
from forums.models import Post
from tests import factories
from tests.forums import factories as forum

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def thread(public_category):
    topic = forum.topic(category_=public_category, author=factories.UserFactory(full_name="Olga Opener"),
                        title="Flats for newcomers")
    return topic, forum.reply(topic=topic, author=factories.UserFactory(full_name="Rita Replier"),
                              body="We work with a letting agency.")


def _browser(user=None, **kwargs) -> Client:
    browser = Client(**kwargs)
    if user is not None:
        browser.force_login(user)
    return browser


def _page(browser: Client, topic, page: int = 1) -> str:
    """The page as the reader gets it, asked twice so the second answer is built from what was kept."""
    for _ in range(2):
        response = browser.get(f"{topic.get_absolute_url()}?page={page}")
        assert response.status_code == 200
    return response.content.decode()


def _article(html: str, post_id: int) -> str:
    return html.split(f'id="post-{post_id}"', 1)[1].split("</article>", 1)[0]


def test_a_reply_an_edit_a_reaction_and_a_hiding_show_at_once_to_members_in_their_language_and_visitors(
        thread, member, moderator):
    topic, post = thread
    readers = {"en": _browser(member), "fr": _browser(factories.UserFactory(language="fr")), "visitor": _browser()}
    for browser in readers.values():
        assert "letting agency" in _page(browser, topic)
    services.reply_to_topic(author=factories.UserFactory(), topic=topic, body="Try the housing cooperative.")
    services.edit_post(editor=post.author, post=post, body="We work with two letting agencies.")
    services.toggle_post_reaction(user=moderator, post=post, emoji="party")
    for name, browser in readers.items():
        html = _page(browser, topic)
        assert "housing cooperative" in html and "two letting agencies" in html, name
        assert "🎉</span> 1" in _article(html, post.pk), name
        if name != "visitor":
            assert ("Utile" in html) == (name == "fr"), name
    services.hide_post(moderator=moderator, post=post, reason="Off topic")
    for name, browser in readers.items():
        html = _page(browser, topic)
        assert "letting agencies" not in html and "housing cooperative" in html, name
    assert "This post is hidden by a moderator." in _article(_page(readers["en"], topic), post.pk)
    assert "two letting agencies" in _page(_browser(moderator), topic)


def test_a_new_reply_past_a_full_page_shows_on_the_second_page_and_not_on_the_first(public_category, member):
    topic = forum.topic(category_=public_category)
    forum.many_posts(topic, 19)
    services.reply_to_topic(author=factories.UserFactory(), topic=topic, body="The twenty-first post.")
    browser = _browser(member)
    first = _page(browser, topic)
    assert "twenty-first" not in first and "twenty-first" in _page(browser, topic, 2)
    services.reply_to_topic(author=factories.UserFactory(), topic=topic, body="The twenty-second post.")
    assert "twenty-second" in _page(browser, topic, 2) and "twenty-second" not in _page(browser, topic)


def test_a_bookmark_is_pressed_at_once_and_only_for_the_member_who_made_it(thread, member, outsider):
    topic, post = thread
    browsers = {member: _browser(member), outsider: _browser(outsider)}
    for browser in browsers.values():
        assert "Bookmarked ✓" not in _article(_page(browser, topic), post.pk)
    response = browsers[member].post(reverse("forums:bookmark", args=[post.pk]))
    assert response.status_code == 302
    assert "Bookmarked ✓" in _article(_page(browsers[member], topic), post.pk)
    assert "Bookmarked ✓" not in _article(_page(browsers[outsider], topic), post.pk)
    browsers[member].post(reverse("forums:bookmark", args=[post.pk]))
    assert "Bookmarked ✓" not in _article(_page(browsers[member], topic), post.pk)


def test_own_reactions_and_helpful_marks_stay_with_the_member_who_gave_them(thread, member, outsider):
    topic, post = thread
    for user in (member, outsider):
        _page(_browser(user), topic)
    services.toggle_post_reaction(user=member, post=post, emoji="heart")
    services.toggle_helpful(user=outsider, post=post)
    mine, theirs = _article(_page(_browser(member), topic), post.pk), _article(_page(_browser(outsider), topic),
                                                                                post.pk)
    assert mine.count('aria-pressed="true"') == 1 and "Helpful ✓" not in mine
    assert theirs.count('aria-pressed="true"') == 0 and "Helpful ✓" in theirs


def test_a_held_post_is_listed_to_its_author_and_the_moderators_only(public_category, member, outsider,
                                                                     category_moderator, moderator):
    topic = forum.topic(category_=public_category, author=factories.UserFactory())
    public_category.hold_first_posts = True
    public_category.save()
    newcomer = factories.UserFactory()
    readers = {who: _browser(who) for who in (newcomer, member, outsider, category_moderator, moderator)}
    visitor = _browser()
    for browser in [*readers.values(), visitor]:
        _page(browser, topic)
    held = services.reply_to_topic(author=newcomer, topic=topic, body="My first post, held for approval.")
    assert held.status == Post.Status.PENDING
    for who, browser in readers.items():
        shown = "held for approval" in _page(browser, topic)
        assert shown == (who in (newcomer, category_moderator, moderator)), who
    assert "held for approval" not in _page(visitor, topic)
    services.approve_post(moderator=category_moderator, post=held)
    for browser in [*readers.values(), visitor]:
        assert "held for approval" in _page(browser, topic)


def test_a_warm_topic_page_asks_the_database_nothing_about_its_posts(thread, member):
    topic, _post = thread
    forum.many_posts(topic, 30)
    for user in (member, None):
        browser = _browser(user)
        for page in (1, 2):
            _page(browser, topic, page)
            with CaptureQueriesContext(connection) as queries:
                assert browser.get(f"{topic.get_absolute_url()}?page={page}").status_code == 200
            assert not [q["sql"] for q in queries if "forums_post" in q["sql"]], (user, page)


@pytest.mark.parametrize("category_name", ["members_category", "municipal_category"])
def test_who_reads_a_topic_is_decided_from_the_kept_rights_as_before(request, category_name, member,
                                                                     municipal_member, moderator):
    """The page reads the reader's rights with the topic and their marks in one cache round trip
    (selectors.topic_page_start): a visitor is sent to log in, a member outside a restricted category gets 404,
    the category's audience and moderators read it, only moderators get the tools; each twice, the second time
    from what was kept."""
    category = request.getfixturevalue(category_name)
    topic = forum.topic(category_=category, author=municipal_member, title="Council housing")
    category_moderator = factories.UserFactory()
    category.moderators.add(category_moderator)
    restricted = category_name == "municipal_category"
    expected = {member: 404 if restricted else 200, municipal_member: 200, category_moderator: 200, moderator: 200}
    for user, status in expected.items():
        browser = _browser(user)
        for _ in range(2):
            response = browser.get(topic.get_absolute_url())
            assert response.status_code == status, (user, category_name)
        if status == 200:
            tools = "Moderator tools" in response.content.decode()
            assert tools == (user in (category_moderator, moderator)), user
    visitor = _browser().get(topic.get_absolute_url())
    assert visitor.status_code == 302 and "/accounts/login/" in visitor["Location"]


def test_the_heading_the_posts_and_the_reply_form_are_looked_up_in_one_cache_round_trip(thread, member,
                                                                                        monkeypatch):
    topic, _post = thread
    browser = _browser(member)
    _page(browser, topic)
    round_trips = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: round_trips.append(keys) or get_many(keys))
    assert browser.get(topic.get_absolute_url()).status_code == 200
    with_cards = [keys for keys in round_trips if any(key.startswith("v:card:") for key in keys)]
    assert len(with_cards) == 1
    assert len([key for key in with_cards[0] if key.startswith("v:card:")]) == 4  # heading, 2 posts, reply form
