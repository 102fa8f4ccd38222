"""An event's discussion topic: created on demand, once, linked both ways, never more visible than the event."""

import pytest
from django.urls import reverse

from core.models import PolicyArea
from events.models import Event
from forums.models import Topic
from tests.events.factories import make_event
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def general(db):
    return forum.category(name="General", slug="general")


def test_a_member_starts_an_events_discussion_and_both_pages_link_each_other(client, member, general):
    event = make_event(title="Roundtable on youth councils")
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Start a discussion in the forums" in page
    response = client.post(reverse("forums:discuss", args=["event", event.slug]))
    topic = Topic.objects.get()
    assert response["Location"] == topic.get_absolute_url()
    assert topic.subject == event and topic.category == general and topic.author == member
    topic_page = client.get(topic.get_absolute_url()).content.decode()
    assert f'href="{event.get_absolute_url()}"' in topic_page
    assert topic.posts.get().references[0]["title"] == "Roundtable on youth councils"
    assert topic.get_absolute_url() in client.get(event.get_absolute_url()).content.decode()


def test_asking_again_opens_the_same_topic(client, member, outsider, general):
    event = make_event()
    for user in (member, outsider):
        client.force_login(user)
        client.post(reverse("forums:discuss", args=["event", event.slug]))
    assert Topic.objects.count() == 1 and Topic.objects.get().author == member


def test_the_discussion_goes_to_the_category_of_the_events_policy_area(client, member, general):
    area = PolicyArea.objects.get(code="legal-political")
    legal = forum.category(name="Legal", policy_area=area)
    event = make_event()
    event.policy_areas.set([area])
    client.force_login(member)
    client.post(reverse("forums:discuss", args=["event", event.slug]))
    assert Topic.objects.get().category == legal


def test_a_members_only_events_discussion_goes_to_a_members_only_category(client, member, general,
                                                                          members_category):
    event = make_event(visibility=Event.Visibility.MEMBERS)
    client.force_login(member)
    client.post(reverse("forums:discuss", args=["event", event.slug]))
    assert Topic.objects.get().category == members_category
    client.logout()
    assert "Discuss it in the forums" not in client.get(event.get_absolute_url()).content.decode()


def test_a_visitor_is_asked_to_log_in_and_a_draft_cannot_be_discussed(client, member, general):
    event = make_event(publish=False)
    assert client.post(reverse("forums:discuss", args=["event", event.slug])).status_code == 302
    client.force_login(member)
    assert client.post(reverse("forums:discuss", args=["event", event.slug])).status_code == 404
    assert not Topic.objects.exists()


def test_without_a_fitting_category_the_member_is_told(client, member):
    event = make_event()
    client.force_login(member)
    response = client.post(reverse("forums:discuss", args=["event", event.slug]), follow=True)
    assert "No forum category takes these discussions yet." in response.content.decode()
