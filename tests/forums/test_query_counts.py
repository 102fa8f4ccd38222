"""List pages and endpoints keep a fixed number of queries as topics and posts grow."""

import pytest
from django.urls import reverse

from tests.forums import factories as forum
from tests.queries import assert_queries_do_not_grow, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_topic(public_category):
    topic = forum.topic(category_=public_category)
    forum.many_posts(topic, 200)
    return topic


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_category_list_keeps_its_query_count_as_categories_and_topics_grow(client, member, signed_in):
    if signed_in:
        client.force_login(member)

    def add(n):
        for _ in range(n):
            forum.topic(category_=forum.category())

    assert_queries_do_not_grow(client, reverse("forums:categories"), add, more=5)


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_topic_page_with_200_posts_keeps_its_query_count_page_after_page(client, member, busy_topic, signed_in):
    if signed_in:
        client.force_login(member)
    url = busy_topic.get_absolute_url()
    client.get(url + "?page=11")  # the first visit records read state; later visits only move it on
    first = count_queries(client, url)
    last = count_queries(client, url + "?page=10")

    def add(n):
        forum.many_posts(busy_topic, n * 20)

    grown = assert_queries_do_not_grow(client, url + "?page=2", add)
    assert first == last == grown


def test_a_category_page_keeps_its_query_count_as_topics_grow(client, member, public_category):
    client.force_login(member)

    def add(n):
        for _ in range(n):
            forum.topic(category_=public_category)

    assert_queries_do_not_grow(client, public_category.get_absolute_url(), add)


def test_the_unread_list_and_the_home_page_keep_their_query_count(client, member, public_category):
    client.force_login(member)

    def add(n):
        for _ in range(n):
            forum.topic(category_=public_category)

    assert_queries_do_not_grow(client, reverse("forums:unread"), add)
    assert_queries_do_not_grow(client, reverse("core:home"), add)


def test_the_api_lists_keep_their_query_count(client, member, busy_topic, public_category):
    client.force_login(member)
    assert_queries_do_not_grow(client, reverse("api-forum-posts", args=[busy_topic.pk]),
                               lambda n: forum.many_posts(busy_topic, n))
    assert_queries_do_not_grow(client, reverse("api-forum-topics", args=[public_category.slug]),
                               lambda n: [forum.topic(category_=public_category) for _ in range(n)])
    assert_queries_do_not_grow(client, reverse("api-forum-categories"),
                               lambda n: [forum.topic(category_=forum.category()) for _ in range(n)])


def test_search_keeps_its_query_count(client, member, public_category):
    client.force_login(member)
    def add(n):
        for _ in range(n):
            forum.topic(category_=public_category, body="Finding flats")

    assert_queries_do_not_grow(client, reverse("forums:search") + "?q=flats", add)
