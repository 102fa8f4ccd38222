"""A forum topic carries the language it is written in: the author's by default, marked on its page and in lists
(`lang`, `dir="rtl"` for Arabic), exposed by the API."""

import pytest
from django.urls import reverse

from forums.models import Topic
from tests import factories
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


def test_a_forum_topic_is_written_in_its_authors_language_and_marked_so(client, public_category):
    author = factories.UserFactory(language="es")
    client.force_login(author)
    new = reverse("forums:topic-create", args=[public_category.slug])
    assert '<option value="es" selected>' in client.get(new).content.decode()
    response = client.post(new, {"title": "Pisos compartidos", "body": "¿Quién tiene experiencia?",
                                 "language": "es"})
    topic = Topic.objects.get(title="Pisos compartidos")
    assert response.status_code == 302 and topic.language == "es"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert '<h1 lang="es">Pisos compartidos</h1>' in page and '<div class="prose" lang="es">' in page
    arabic = forum.topic(category_=public_category, title="سكن مشترك", language="ar")
    listing = client.get(public_category.get_absolute_url()).content.decode()
    assert f'<a href="{arabic.get_absolute_url()}" lang="ar" dir="rtl">' in listing
    api = client.get(reverse("api-forum-topic", args=[topic.pk])).json()
    assert api["language"] == "es"


def test_a_topic_in_a_language_not_offered_is_refused_with_a_field_error(client, public_category):
    client.force_login(factories.UserFactory())
    response = client.post(reverse("forums:topic-create", args=[public_category.slug]),
                           {"title": "x", "body": "y", "language": "xx"})
    assert response.status_code == 200 and not Topic.objects.exists()
    assert "Select a valid choice. xx is not one of the available choices." in response.content.decode()


def test_the_api_starts_a_topic_in_a_chosen_language_and_refuses_an_unknown_one(client, public_category):
    client.force_login(factories.UserFactory(language="en"))
    url = reverse("api-forum-topics", args=[public_category.slug])
    response = client.post(url, {"title": "سكن مشترك", "body": "من لديه تجربة؟", "language": "ar"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["language"] == "ar"
    assert Topic.objects.get(title="سكن مشترك").language == "ar"
    refused = client.post(url, {"title": "x", "body": "y", "language": "xx"}, content_type="application/json")
    assert refused.status_code == 400 and "language" in refused.json()["error"]["fields"]
