"""The event page shows published practices of the clearinghouse that share the event's policy areas."""

import pytest

from core.models import PolicyArea
from tests.directory.factories import make_practice
from tests.events.factories import make_event
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def test_published_practices_sharing_a_policy_area_show_on_the_event_page(client):
    event = make_event(policy_areas=PolicyArea.objects.filter(code="cultural"))
    shared = make_practice(status="published", areas=("cultural",), title="Anti-rumours agents")
    make_practice(status="published", areas=("socio-economic",), title="Job mentoring")
    make_practice(status="submitted", areas=("cultural",), title="Awaiting review")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Anti-rumours agents" in page and shared.get_absolute_url() in page
    assert "Job mentoring" not in page and "Awaiting review" not in page


def test_an_event_without_policy_areas_lists_no_practices(client):
    make_practice(status="published", areas=("cultural",), title="Anti-rumours agents")
    assert "Related practices" not in client.get(make_event().get_absolute_url()).content.decode()


def test_related_practices_keep_the_event_pages_query_count(client):
    event = make_event(policy_areas=PolicyArea.objects.all())
    make_practice(status="published", areas=("cultural",))
    before = count_queries(client, event.get_absolute_url())
    for _ in range(3):
        make_practice(status="published", areas=("cultural", "socio-economic"))
    assert count_queries(client, event.get_absolute_url()) == before
