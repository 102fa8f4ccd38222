"""The one extension mechanism: apps fill core's extension points from ready(), and pages, search, forums
and moderation read them — so every kind of contribution reaches its page without an import between apps."""

import pytest
from django.urls import reverse

from core import extensions
from core.extensions import DISCUSSABLE, LINK_PREVIEWS, PAGE_SECTIONS, SEARCH_PROVIDERS
from moderation.registry import REPORTABLE, SCOPES
from tests import factories
from tests.directory.factories import make_practice
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def test_every_app_has_registered_its_contributions_at_start_up():
    assert [key for key, _ in SEARCH_PROVIDERS.items() if key != "expertise.requests"] == [
        "organisations", "practices", "resources", "events", "topics"]
    assert set(DISCUSSABLE.keys()) == {"event", "practice"}
    assert set(LINK_PREVIEWS.keys()) == {"accounts:organisation", "events:detail", "directory:practice"}
    assert [s.template for s in PAGE_SECTIONS.for_slot("dashboard")][:4] == [
        "events/partials/dashboard_events.html", "events/partials/dashboard_feed.html", "forums/_dashboard.html",
        "directory/dashboard_section.html"]
    assert {"forums.post", "chat.message", "directory.practice", "events.event", "accounts.profile",
            "accounts.organisation"} <= set(REPORTABLE.keys())
    assert SCOPES.keys() == ["forums.category"]
    assert "chat.write_to" in extensions.ACTIONS
    assert {"declared-interests", "languages", "place", "practices", "resources", "speakers",
            "helpful-answers"} <= set(extensions.MATCHING_EVIDENCE.keys())


def test_an_action_nobody_registered_fails_with_a_clear_message():
    with pytest.raises(LookupError, match=r"nothing is registered as 'chat\.nothing'"):
        extensions.call("chat.nothing", sender=None)


def test_a_cross_app_action_opens_a_group_conversation_for_another_app(member):
    """What a later app (expertise) does to bring a member and several peers together."""
    peers = [factories.UserFactory(), factories.UserFactory()]
    conversation = extensions.call("chat.write_to", sender=member, recipients=peers, title="Matching: housing",
                                   body="Hello both")
    again = extensions.call("chat.write_to", sender=member, recipients=peers, title="Matching: housing",
                            body="Following up")
    assert conversation.pk == again.pk and conversation.title == "Matching: housing"
    assert conversation.messages.count() == 2


def test_the_home_page_shows_each_apps_section_in_the_declared_order(client):
    make_event(title="Roundtable on housing")
    make_practice(status="published", title="Anti-rumours agents")
    page = client.get(reverse("core:home")).content.decode()
    positions = [page.find(marker) for marker in ('id="upcoming-events"', 'id="forum-active"',
                                                  'id="latest-practices"')]
    assert -1 not in positions and positions == sorted(positions)
    assert "Roundtable on housing" in page and "Anti-rumours agents" in page
