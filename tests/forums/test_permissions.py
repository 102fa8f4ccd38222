"""Who reads, starts topics, replies and moderates where: each role tries each action, from outside."""

import pytest
from django.urls import reverse

from forums.models import Category, Topic
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "outsider_of_restricted", "other_category_moderator", "moderator"]


@pytest.fixture
def as_role(client, request, member, moderator, other_category_moderator):
    def log_in(role: str):
        user = {"visitor": None, "member": member, "outsider_of_restricted": member,
                "other_category_moderator": other_category_moderator, "moderator": moderator}[role]
        if user is not None:
            client.force_login(user)
        return client, user
    return log_in


@pytest.mark.parametrize(("role", "expected"), [
    ("visitor", 200), ("member", 200), ("other_category_moderator", 200), ("moderator", 200)])
def test_everyone_reads_a_public_category_and_its_topics(as_role, public_category, role, expected):
    topic = forum.topic(category_=public_category, title="Youth participation in city councils")
    client, _ = as_role(role)
    assert client.get(public_category.get_absolute_url()).status_code == expected
    response = client.get(topic.get_absolute_url())
    assert response.status_code == expected
    assert "Youth participation in city councils" in response.content.decode()


def test_a_visitor_is_sent_to_log_in_for_a_members_only_category(client, members_category):
    topic = forum.topic(category_=members_category)
    for url in (members_category.get_absolute_url(), topic.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_any_member_reads_and_posts_in_a_members_only_category(client, member, members_category):
    client.force_login(member)
    assert client.get(members_category.get_absolute_url()).status_code == 200
    response = client.post(reverse("forums:topic-create", args=[members_category.slug]),
                           {"title": "Mentoring newcomers", "body": "Who runs a mentoring scheme?"})
    assert response.status_code == 302
    assert Topic.objects.get(title="Mentoring newcomers").author == member


@pytest.mark.parametrize("role", ["outsider_of_restricted", "other_category_moderator"])
def test_a_member_outside_a_restricted_category_neither_sees_nor_reads_nor_posts_in_it(
        as_role, municipal_category, municipal_member, role):
    topic = forum.topic(author=municipal_member, category_=municipal_category, title="Budget for interpreters")
    client, _ = as_role(role)
    assert client.get(municipal_category.get_absolute_url()).status_code == 404
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert client.get(reverse("forums:post", args=[topic.posts.get().pk])).status_code == 404
    assert "Municipal practitioners" not in client.get(reverse("forums:categories")).content.decode()
    assert client.post(reverse("forums:topic-create", args=[municipal_category.slug]),
                       {"title": "x", "body": "y"}).status_code == 404
    assert client.post(reverse("forums:reply", args=[topic.pk]), {"body": "y"}).status_code == 404
    assert client.get(reverse("forums:search") + "?q=interpreters").content.decode().count("Budget for") == 0
    assert client.get(reverse("api-forum-topic", args=[topic.pk])).status_code == 404
    assert client.get(reverse("api-forum-topics", args=[municipal_category.slug])).status_code == 404


def test_a_member_of_a_verified_municipality_reads_and_posts_in_the_municipal_category(
        client, municipal_category, municipal_member):
    client.force_login(municipal_member)
    assert "Municipal practitioners" in client.get(reverse("forums:categories")).content.decode()
    response = client.post(reverse("forums:topic-create", args=[municipal_category.slug]),
                           {"title": "Budget for interpreters", "body": "How do you fund them?"})
    assert response.status_code == 302


def test_an_unverified_municipality_does_not_open_the_restricted_category(client, municipal_category):
    from accounts.models import Organisation
    from tests import factories

    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=factories.OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY, verified=False))
    client.force_login(user)
    assert client.get(municipal_category.get_absolute_url()).status_code == 404


def test_a_group_chosen_for_a_restricted_category_opens_it(client, member):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Researchers")
    category = forum.category(name="Research", visibility=Category.Visibility.RESTRICTED, allowed_groups=[group])
    client.force_login(member)
    assert client.get(category.get_absolute_url()).status_code == 404
    member.groups.add(group)
    assert client.get(category.get_absolute_url()).status_code == 200


def test_a_global_moderator_reads_every_category(client, moderator, municipal_category, municipal_member):
    topic = forum.topic(author=municipal_member, category_=municipal_category)
    client.force_login(moderator)
    assert client.get(municipal_category.get_absolute_url()).status_code == 200
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_a_visitor_cannot_post_and_is_sent_to_log_in(client, public_category):
    topic = forum.topic(category_=public_category)
    for url in (reverse("forums:topic-create", args=[public_category.slug]), reverse("forums:reply", args=[topic.pk])):
        response = client.post(url, {"title": "t", "body": "b"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("api-forum-posts", args=[topic.pk]), {"body": "b"}).status_code == 403


def test_only_moderators_start_topics_where_the_category_says_so(client, member, moderator, category_moderator):
    announcements = forum.category(name="Announcements", start_topics=Category.Access.MODERATORS)
    announcements.moderators.add(category_moderator)
    client.force_login(member)
    assert client.post(reverse("forums:topic-create", args=[announcements.slug]),
                       {"title": "t", "body": "b"}).status_code == 403
    for user in (moderator, category_moderator):
        client.force_login(user)
        assert client.post(reverse("forums:topic-create", args=[announcements.slug]),
                           {"title": f"News from {user.full_name}", "body": "b"}).status_code == 302


def test_a_category_can_be_open_to_read_but_replies_restricted(client, member, municipal_member):
    from accounts.models import Organisation

    category = forum.category(name="Ask a city", reply=Category.Access.RESTRICTED,
                              allowed_organisation_kinds=[Organisation.Kind.MUNICIPALITY])
    topic = forum.topic(category_=category, author=member)
    client.force_login(member)
    assert client.get(topic.get_absolute_url()).status_code == 200
    assert client.post(reverse("forums:reply", args=[topic.pk]), {"body": "me too"}).status_code == 403
    client.force_login(municipal_member)
    assert client.post(reverse("forums:reply", args=[topic.pk]), {"body": "We do this."}).status_code == 302


@pytest.mark.parametrize(("role", "allowed"), [
    ("visitor", False), ("member", False), ("other_category_moderator", False), ("moderator", True)])
def test_only_moderators_of_the_category_use_its_moderator_tools(as_role, public_category, role, allowed):
    topic = forum.topic(category_=public_category)
    post = topic.posts.get()
    client, _ = as_role(role)
    posts = [reverse("forums:topic-moderate", args=[topic.pk, "pin"]),
             reverse("forums:post-moderate", args=[post.pk, "hide"])]
    pages = [reverse("forums:topic-move", args=[topic.pk]), reverse("forums:topic-merge", args=[topic.pk]),
             reverse("forums:topic-split", args=[topic.pk]), reverse("forums:post-history", args=[post.pk])]
    for url in posts + pages:
        status = client.post(url, {"reason": "tidy"}).status_code if url in posts else client.get(url).status_code
        if allowed:
            assert status in (200, 302), url
        else:
            assert status in (302, 403), url
            if role == "visitor":
                assert status == 302
    topic.refresh_from_db()
    assert topic.is_pinned is allowed


def test_a_category_moderator_moderates_their_category_only(client, category_moderator, public_category):
    topic = forum.topic(category_=public_category)
    elsewhere = forum.topic(category_=forum.category(name="Other"))
    client.force_login(category_moderator)
    assert client.post(reverse("forums:topic-moderate", args=[topic.pk, "lock"])).status_code == 302
    assert client.post(reverse("forums:topic-moderate", args=[elsewhere.pk, "lock"])).status_code == 403
    assert client.get(reverse("moderation:queue")).status_code == 200
    assert client.get(reverse("moderation:member", args=[topic.author_id])).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("other_category_moderator", 200), ("moderator", 200)])
def test_the_queue_and_log_are_for_moderators(as_role, role, status):
    client, _ = as_role(role)
    assert client.get(reverse("moderation:queue")).status_code == status
    assert client.get(reverse("moderation:log")).status_code == status


def test_a_member_edits_and_deletes_only_their_own_posts(client, member, outsider, public_category):
    topic = forum.topic(category_=public_category, author=outsider)
    post = topic.posts.get()
    client.force_login(member)
    assert client.get(reverse("forums:post-edit", args=[post.pk])).status_code == 403
    assert client.post(reverse("forums:post-edit", args=[post.pk]), {"body": "mine now"}).status_code == 403
    assert client.post(reverse("forums:post-delete", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.body == "How do you find flats?"
