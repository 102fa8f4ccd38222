"""A topic page keeps each rendered post ({% card %}, core/templatetags/cards.py) for members: an edit, a reaction,
a helpful mark, a moderator's hiding or a new name shows on the next request, in each member's language, and no
member sees another's own bits (their reactions, "Edit" on their own post, a moderator's tools, their token)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from forums import services
from tests import factories
from tests.forums import factories as forum

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def thread(db):
    topic = forum.topic(author=factories.UserFactory(full_name="Olga Opener"), title="Flats for newcomers")
    return topic, forum.reply(topic=topic, author=factories.UserFactory(full_name="Rita Replier"),
                              body="We work with a letting agency.")


def _browser(user, *, csrf: bool = False) -> Client:
    browser = Client(enforce_csrf_checks=csrf)
    browser.force_login(user)
    return browser


def _post(browser: Client, topic, post_id: int) -> str:
    """The post as the member's page shows it, the page asked twice so the second answer uses what was kept."""
    for _ in range(2):
        response = browser.get(topic.get_absolute_url())
        assert response.status_code == 200
    return response.content.decode().split(f'id="post-{post_id}"', 1)[1].split("</article>", 1)[0]


def test_an_edit_shows_at_once_to_members_in_their_language(thread, member):
    topic, post = thread
    francophone = factories.UserFactory(language="fr")
    browsers = {"en": _browser(member), "fr": _browser(francophone)}
    for browser in browsers.values():
        _post(browser, topic, post.pk)
    services.edit_post(editor=post.author, post=post, body="We work with two letting agencies.")
    for language, browser in browsers.items():
        shown = _post(browser, topic, post.pk)
        assert "two letting agencies" in shown
        assert ("Utile" in shown) == (language == "fr") and ("Helpful" in shown) == (language == "en")


def test_a_reaction_and_a_helpful_mark_show_at_once_and_are_pressed_only_for_who_gave_them(thread, member, outsider):
    topic, post = thread
    for user in (member, outsider):
        _post(_browser(user), topic, post.pk)
    services.toggle_post_reaction(user=member, post=post, emoji="party")
    services.toggle_helpful(user=member, post=post)
    mine, theirs = _post(_browser(member), topic, post.pk), _post(_browser(outsider), topic, post.pk)
    assert 'aria-pressed="true"' in mine and "Helpful ✓" in mine
    assert 'aria-pressed="true"' not in theirs and "Helpful ✓" not in theirs
    assert "1 found this helpful" in theirs and "🎉</span> 1" in theirs


def test_only_the_author_is_offered_edit_and_a_hidden_post_shows_in_full_to_moderators_only(thread, member,
                                                                                            moderator):
    topic, post = thread
    assert "post-edit" not in _post(_browser(member), topic, post.pk)
    assert reverse("forums:post-edit", args=[post.pk]) in _post(_browser(post.author), topic, post.pk)
    services.hide_post(moderator=moderator, post=post, reason="Off topic")
    shown = _post(_browser(member), topic, post.pk)
    assert "This post is hidden by a moderator." in shown and "letting agency" not in shown
    assert "letting agency" in _post(_browser(moderator), topic, post.pk)


def test_a_new_name_shows_at_once_on_the_post(thread, member):
    topic, post = thread
    browser = _browser(member)
    _post(browser, topic, post.pk)
    accounts_services.update_profile(user=post.author, full_name="Rita Replier-Berg")
    assert "Rita Replier-Berg" in _post(browser, topic, post.pk)


def test_each_member_marks_helpful_with_their_own_token_from_a_kept_post(thread, member, outsider):
    topic, post = thread
    for user in (member, outsider):  # the second member's page is built from the post the first one kept
        browser = _browser(user, csrf=True)
        shown = _post(browser, topic, post.pk)
        token = shown.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        answer = browser.post(reverse("forums:helpful", args=[post.pk]), {"csrfmiddlewaretoken": token})
        assert answer.status_code == 302, f"{user}: {answer.status_code}"
    post.refresh_from_db()
    assert post.helpful_count == 2
