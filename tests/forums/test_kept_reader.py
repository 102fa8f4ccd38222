"""A topic page keeps, per member, what the forums' rules need about them (forums.permissions.Reader: groups,
organisations, moderated categories) and their read mark and watch on the topic (selectors.topic_marks): a
change of rights, a watch or a reply shows on the member's next request, in their language."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation
from accounts.services import set_language, set_organisation_verified
from forums import selectors, services
from tests import factories
from tests.core.test_member_frame import admin_save
from tests.forums import factories as forum

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

WATCHING = 'name="watching" value="0"'


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _page(browser: Client, topic) -> str:
    response = browser.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_member_whose_organisation_is_verified_reads_the_restricted_category_on_the_next_request(
        municipal_category, municipal_member, staff, language):
    reader = factories.UserFactory(language=language)
    town = factories.OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, verified=False)
    factories.MembershipFactory(user=reader, organisation=town)
    topic = forum.topic(category_=municipal_category, title="Council housing", author=municipal_member)
    browser = _browser(reader)
    assert browser.get(topic.get_absolute_url()).status_code == 404
    set_organisation_verified(actor=staff, organisation=town, verified=True)
    assert f'lang="{language}"' in _page(browser, topic) and "Council housing" in _page(browser, topic)
    set_organisation_verified(actor=staff, organisation=town, verified=False)
    assert browser.get(topic.get_absolute_url()).status_code == 404


def test_a_member_made_a_categorys_moderator_in_the_admin_gets_the_tools_on_the_next_request(
        public_category, member, staff):
    topic = forum.topic(category_=public_category)
    own, admin = _browser(member), _browser(staff)
    assert "moderator-tools" not in _page(own, topic)
    change = reverse("admin:forums_category_change", args=[public_category.pk])
    admin_save(admin, change, moderators=[str(member.pk)])
    assert "moderator-tools" in _page(own, topic)
    admin_save(admin, change, moderators=[])
    assert "moderator-tools" not in _page(own, topic)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_watching_shows_on_the_next_request_whether_chosen_or_begun_by_replying(public_category, language):
    reader = factories.UserFactory(language=language)
    topic = forum.topic(category_=public_category)
    own = _browser(reader)
    assert WATCHING not in _page(own, topic)
    services.set_watching(user=reader, watching=True, topic=topic)
    assert WATCHING in _page(own, topic)
    services.set_watching(user=reader, watching=False, topic=topic)
    assert WATCHING not in _page(own, topic)
    forum.reply(topic=topic, author=reader)  # who writes in a topic watches it
    html = _page(own, topic)
    assert WATCHING in html and f'lang="{language}"' in html


def test_a_new_reply_is_marked_read_once_the_member_has_seen_its_page(public_category, member):
    topic = forum.topic(category_=public_category)
    own = _browser(member)
    _page(own, topic)
    forum.reply(topic=topic, body="A late answer.")
    assert topic.pk in _unread(member)
    assert "A late answer." in _page(own, topic)
    assert topic.pk not in _unread(member)


def _unread(user) -> list[int]:
    return [t.pk for t in selectors.unread_topics(user)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_reply_past_a_full_page_opens_a_second_page_on_the_next_request(public_category, member, language):
    topic = forum.topic(category_=public_category)
    forum.many_posts(topic, selectors.POSTS_PER_PAGE - 1)
    set_language(user=member, language=language)
    own, visitor = _browser(member), Client()
    for browser in (own, visitor):
        assert "?page=2" not in _page(browser, topic)
    forum.reply(topic=topic, body="One post too many for the first page.")
    for browser in (own, visitor):
        assert "?page=2" in _page(browser, topic)
        second = browser.get(topic.get_absolute_url() + "?page=2").content.decode()
        assert "One post too many for the first page." in second
