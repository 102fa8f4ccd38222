"""Who moderates is read once per request, in one small query, and never loads every permission."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moderation.permissions import is_global_moderator, is_moderator
from tests import factories
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


def _permission_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "auth_permission" in q["sql"]]


@pytest.fixture
def busy_topic(db):
    topic = forum.topic(title="Housing for newcomers")
    for n in range(5):
        forum.reply(topic=topic, body=f"Reply number {n}.")
    return topic


def test_a_superusers_page_does_not_load_every_permission(client, staff, busy_topic):
    client.force_login(staff)
    assert _permission_queries(client, busy_topic.get_absolute_url()) == []


def test_a_moderators_page_asks_about_the_permission_once_however_many_posts_it_checks(client, moderator, busy_topic):
    client.force_login(moderator)
    queries = _permission_queries(client, busy_topic.get_absolute_url())
    assert len(queries) == 1
    assert "codename" in queries[0]  # the one permission, not all of the member's


def test_a_member_is_a_moderator_once_the_group_is_given_outside_a_request(member):
    assert not is_global_moderator(member)
    Group.objects.get(name="Moderators").user_set.add(member)
    assert is_global_moderator(member) and is_moderator(member)


def test_an_inactive_superuser_moderates_nothing():
    user = factories.UserFactory(is_superuser=True, is_active=False)
    assert not is_global_moderator(user)


def test_a_user_object_keeps_no_answer_after_its_request(rf, member):
    from django.http import HttpResponse

    from accounts.middleware import MemberMiddleware

    request = rf.get("/")
    request.user = member
    answer = MemberMiddleware(lambda r: HttpResponse(str(is_global_moderator(r.user))))(request)
    assert answer.content == b"False"
    Group.objects.get(name="Moderators").user_set.add(member)
    assert is_global_moderator(member)


@pytest.mark.usefixtures("rendered_cache")
def test_kept_rights_a_member_made_a_moderator_reviews_on_the_next_request_and_no_one_else_does(member, outsider,
                                                                                                staff):
    from directory.models import Practice
    from tests.core.test_member_frame import admin_save, member_client, page
    from tests.directory.factories import author_with_organisation, make_practice

    practice = make_practice(author=author_with_organisation(role="admin"), status=Practice.Status.SUBMITTED,
                             title="Language cafes")
    mine, theirs = member_client(member), member_client(outsider)
    for client in (mine, theirs):
        assert client.get(practice.get_absolute_url()).status_code == 404  # not published: only its reviewers
        assert 'data-testid="nav-moderation"' not in page(client)
    admin_save(member_client(staff), reverse("admin:accounts_user_change", args=[member.pk]),
               groups=[str(Group.objects.get(name="Moderators").pk)])
    assert 'data-testid="workflow"' in page(mine, practice.get_absolute_url())
    assert 'data-testid="nav-moderation"' in page(mine)
    assert theirs.get(practice.get_absolute_url()).status_code == 404
    assert 'data-testid="nav-moderation"' not in page(theirs)
    admin_save(member_client(staff), reverse("admin:accounts_user_change", args=[member.pk]), groups=[])
    assert mine.get(practice.get_absolute_url()).status_code == 404
    assert 'data-testid="nav-moderation"' not in page(mine)


def test_kept_rights_a_page_asks_no_permission_query_once_its_members_rights_are_kept(rendered_cache, client, member,
                                                                                     busy_topic):
    client.force_login(member)
    _permission_queries(client, busy_topic.get_absolute_url())
    assert _permission_queries(client, busy_topic.get_absolute_url()) == []
