"""A practice's discussion topic: started from the practice's page, linked both ways; practices as references."""

import pytest
from django.urls import reverse

from forums.models import Topic
from tests.directory.factories import make_practice
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


def test_a_member_starts_a_practices_discussion_and_both_pages_link_each_other(client, member):
    general = forum.category(name="General", slug="general")
    practice = make_practice(status="published", title="Plan Einstein: living and learning together")
    client.force_login(member)
    assert "Start a discussion in the forums" in client.get(practice.get_absolute_url()).content.decode()
    response = client.post(reverse("forums:discuss", args=["practice", practice.slug]))
    topic = Topic.objects.get()
    assert response["Location"] == topic.get_absolute_url()
    assert topic.subject == practice and topic.category == general
    assert topic.posts.get().references[0]["title"] == "Plan Einstein: living and learning together"
    assert topic.get_absolute_url() in client.get(practice.get_absolute_url()).content.decode()


def test_an_unpublished_practice_cannot_be_discussed_or_referenced(client, member):
    forum.category(name="General", slug="general")
    draft = make_practice(status="draft")
    client.force_login(member)
    assert client.post(reverse("forums:discuss", args=["practice", draft.slug])).status_code == 404
    post = forum.topic(author=member, body=f"See [this]({draft.get_absolute_url()})").posts.get()
    assert post.references == []
