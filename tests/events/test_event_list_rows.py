"""The event list keeps each row ({% card %}) and reads the events' organisers and policy areas only for the rows
it renders afresh: a member's list asks the same queries however many rows it shows, kept or not, and a row
rendered again after an edit still shows its organisers and areas, in the member's language."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.services import set_language
from core.models import PolicyArea
from events import services
from tests import factories
from tests.events.factories import make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

URL = reverse("events:list")


def _list(browser: Client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(URL)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _events(n: int, organisation, area: PolicyArea) -> list:
    return [make_event(organisation=organisation, title=f"Roundtable {i}", policy_areas=[area]) for i in range(n)]


@pytest.mark.parametrize("rendered", [True, False])
def test_a_members_event_list_asks_the_same_queries_for_3_or_15_rows_rendered_or_kept(member, settings, rendered):
    settings.CACHE_RENDERED = rendered
    organisation, area = factories.OrganisationFactory(), PolicyArea.objects.get(code="cultural")
    browser = Client()
    browser.force_login(member)
    _list(browser)  # a session's first page reads the header's counts, which the next ones keep
    _events(3, organisation, area)
    fresh_3, kept_3 = _list(browser)[1], _list(browser)[1]
    _events(12, organisation, area)
    html, fresh_15 = _list(browser)
    assert html.count('data-testid="event-row"') == 15 and html.count("Cultural integration") >= 15
    assert fresh_15 == fresh_3 and _list(browser)[1] == kept_3

def test_a_row_rendered_again_after_an_edit_shows_its_organisers_and_areas_in_the_members_language(member):
    organisation = factories.OrganisationFactory(name="Welcome Bridges")
    area = PolicyArea.objects.get(code="cultural")
    first, _other = _events(2, organisation, area)
    browser = Client()
    browser.force_login(member)
    for language in ("en", "fr"):
        set_language(user=member, language=language)
        _list(browser)
        organiser = first.organisations.first().memberships.filter(role="organiser").first().user
        services.update_event(actor=organiser, event=first, title=f"Roundtable 0, in {language}")
        html = _list(browser)[0]
        rows = html.split('data-testid="event-list"', 1)[1]
        assert f"Roundtable 0, in {language}" in rows and rows.count("Welcome Bridges") == 2
        with translation.override(language):
            assert rows.count(str(area.name)) == 2  # the area's name in the page's language
