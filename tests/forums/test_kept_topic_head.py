"""A topic page keeps its heading (title, marks, tags, the watch button, a moderator's tools) and its reply form
({% card %}) until the forums change, per reader with the same buttons: a watch, a lock, new tags, a new title and a
new reply show on the next request, to members in their language and to visitors, and no reader gets another's
buttons or token."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from forums import services
from forums.models import Category, Tag
from tests import factories
from tests.forums import factories as forum

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def topic(db):
    return forum.topic(author=factories.UserFactory(full_name="Olga Opener"), title="Flats for newcomers")


def _browser(user=None, *, csrf: bool = False) -> Client:
    browser = Client(enforce_csrf_checks=csrf)
    if user is not None:
        browser.force_login(user)
    return browser


def _page(browser: Client, topic) -> str:
    """The topic page, asked twice so the second answer uses what was kept."""
    for _ in range(2):
        response = browser.get(topic.get_absolute_url())
        assert response.status_code == 200
    return response.content.decode()


def test_watching_shows_at_once_in_the_members_language(topic, member):
    francophone = factories.UserFactory(language="fr")
    assert "Watch: tell me of replies" in _page(_browser(member), topic)
    before = _page(_browser(francophone), topic)
    services.set_watching(user=member, watching=True, topic=topic)
    services.set_watching(user=francophone, watching=True, topic=topic)
    assert "Stop watching" in _page(_browser(member), topic)
    after = _page(_browser(francophone), topic)
    assert after != before and "Stop watching" not in after and "Watch: tell me of replies" not in after
    assert "Watch: tell me of replies" in _page(_browser(factories.UserFactory()), topic)  # not watching


def test_a_lock_shows_at_once_to_members_and_visitors_and_closes_the_reply_form(topic, member, moderator):
    reply_url = reverse("forums:reply", args=[topic.pk])
    assert reply_url in _page(_browser(member), topic)
    assert "Log in to reply" in _page(_browser(), topic)
    services.set_topic_locked(moderator=moderator, topic=topic, locked=True)
    for page in (_page(_browser(member), topic), _page(_browser(), topic)):
        assert "locked: no new replies" in page
    shown = _page(_browser(member), topic)
    assert f'action="{reply_url}"' not in shown and "This topic is locked." in shown
    assert f'action="{reply_url}"' in _page(_browser(moderator), topic)  # moderators still reply


def test_new_tags_and_a_new_reply_show_at_once(topic, member, moderator):
    _page(_browser(member), topic)
    tag = services.create_tag(moderator=moderator, name="Housing")
    services.set_topic_tags(moderator=moderator, topic=topic, tags=[tag])
    assert f"?tag={tag.slug}" in _page(_browser(member), topic)
    assert f"?tag={tag.slug}" in _page(_browser(), topic)
    forum.reply(topic=topic, body="We work with a letting agency.")
    assert "letting agency" in _page(_browser(member), topic)
    assert Tag.objects.count() == 1


def test_only_moderators_get_the_tools_and_each_member_replies_with_their_own_token(topic, member, outsider,
                                                                                   moderator):
    assert "Moderator tools" in _page(_browser(moderator), topic)
    for user in (member, outsider):  # the second member's page is built from the blocks the first one kept
        browser = _browser(user, csrf=True)
        shown = _page(browser, topic)
        assert "Moderator tools" not in shown
        token = shown.split('data-draft="reply-', 1)[1].split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]
        answer = browser.post(reverse("forums:reply", args=[topic.pk]), {
            "csrfmiddlewaretoken": token, "body": f"A reply from {user.full_name}."})
        assert answer.status_code == 302, f"{user}: {answer.status_code}"
    assert topic.posts.count() == 3


def test_a_topic_moved_where_the_member_may_not_read_or_deleted_is_gone_on_the_next_request(topic, member,
                                                                                             moderator):
    assert _page(_browser(member), topic)
    restricted = forum.category(name="Staff room", slug="staff", visibility=Category.Visibility.RESTRICTED)
    services.move_topic(moderator=moderator, topic=topic, category=restricted)
    assert _browser(member).get(topic.get_absolute_url()).status_code == 404
    assert "Staff room" in _page(_browser(moderator), topic)
    other = forum.topic(title="Schools for newcomers")
    assert _page(_browser(member), other)
    services.delete_post(actor=other.author, post=other.posts.first())
    assert _browser(member).get(other.get_absolute_url()).status_code == 404


def test_an_accepted_answer_and_its_authors_new_name_show_at_once(member):
    question = forum.topic(category_=forum.category(name="Questions", slug="questions", question_style=True),
                           title="Where to find flats?")
    answer = forum.reply(topic=question, author=factories.UserFactory(full_name="Rita Replier"),
                         body="With a letting agency.")
    assert "Accepted answer" not in _page(_browser(member), question)
    services.accept_answer(actor=question.author, post=answer)
    assert "Accepted answer" in _page(_browser(member), question)
    accounts_services.update_profile(user=answer.author, full_name="Rita Replier-Berg")
    shown = _page(_browser(member), question)
    assert "Rita Replier-Berg" in shown.split('id="answer-heading"', 1)[1].split("</section>", 1)[0]
