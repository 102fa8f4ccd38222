"""Content carries the language it is written in: practices, resources, events and forum topics. The element
showing it says so (`lang`, and `dir="rtl"` for Arabic), whatever the page's language; authors' forms default to
their own language; lists filter by it; the API exposes it. (Forum topics: tests/forums/test_topic_language.py.)"""

import pytest
from django.urls import reverse

from directory import services
from events.models import Event
from tests import factories
from tests.directory.factories import PRACTICE_FIELDS, author_with_organisation, make_practice, make_resource
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


def test_an_arabic_practice_is_marked_right_to_left_on_its_page_in_lists_and_search(client):
    practice = make_practice(status="published", language="ar", title="مقاهي اللغة في الأحياء",
                             summary="يلتقي الجيران والقادمون الجدد كل أسبوع للتحدث.")
    page = client.get(practice.get_absolute_url()).content.decode()
    assert '<h1 lang="ar" dir="rtl">مقاهي اللغة في الأحياء</h1>' in page
    assert 'data-testid="practice-summary" lang="ar" dir="rtl">' in page
    listing = client.get(reverse("directory:practices")).content.decode()
    assert '<h2 class="list-title" lang="ar" dir="rtl">' in listing
    english = make_practice(status="published", language="en", title="Language cafés")
    assert '<h1 lang="en">Language cafés</h1>' in client.get(english.get_absolute_url()).content.decode()


def test_practices_and_resources_filter_by_the_language_they_are_written_in(client):
    make_practice(status="published", language="fr", title="Cafés de langue à Lyon")
    make_practice(status="published", language="en", title="Language cafés in Leeds")
    page = client.get(reverse("directory:practices"), {"language": "fr"}).content.decode()
    assert "Cafés de langue à Lyon" in page and "Language cafés in Leeds" not in page
    make_resource(language="es", title="Guía de acogida")
    make_resource(language="en", title="Welcome guide")
    page = client.get(reverse("directory:resources"), {"language": "es"}).content.decode()
    assert "Guía de acogida" in page and "Welcome guide" not in page
    assert 'lang="es"' in page


def test_an_event_is_written_in_its_organisers_language_unless_they_say_otherwise(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation, language="fr")
    client.force_login(organiser)
    form = client.get(reverse("events:create")).content.decode()
    assert '<option value="fr" selected>' in form
    event = make_event(organiser=organiser, organisation=organisation, title="La ville interculturelle")
    assert event.language == "fr"
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">La ville interculturelle</h1>' in page
    assert 'lang="fr">La ville interculturelle</a>' in client.get(reverse("events:list")).content.decode()
    (row,) = [e for e in client.get(reverse("api-events")).json()["results"] if e["slug"] == event.slug]
    assert row["language"] == "fr"
    english = make_event(organiser=organiser, organisation=organisation, title="Open city", language="en")
    assert Event.objects.get(pk=english.pk).language == "en"


def test_a_new_practice_or_resource_is_in_its_authors_language_unless_they_say_otherwise(client):
    author = author_with_organisation()
    author.language = "es"
    author.save(update_fields=["language"])
    client.force_login(author)
    assert '<option value="es" selected>' in client.get(reverse("directory:practice-create")).content.decode()
    assert '<option value="es" selected>' in client.get(reverse("directory:resource-create")).content.decode()
    fields = {k: v for k, v in PRACTICE_FIELDS.items() if k != "language"}
    practice = services.create_practice(author=author, organisation=author.memberships.get().organisation,
                                        title="Mentores de empleo", **fields)
    assert practice.language == "es"
