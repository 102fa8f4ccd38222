"""Moderators find their queue from every page: a header link and a dashboard card with what waits there."""

import pytest
from django.urls import reverse

from forums import services as forum_services
from moderation import services
from tests import factories
from tests.directory.factories import make_practice
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(public_category, member, outsider):
    """One open report, one post held for approval, one practice submitted for review."""
    topic = forum.topic(category_=public_category, author=outsider)
    services.file_report(reporter=member, target=topic.posts.get(), reason="Advertising")
    careful = forum.category(name="Careful", hold_first_posts=True)
    held = forum_services.start_topic(author=factories.UserFactory(), category=careful, title="Hello", body="Hi")
    make_practice(status="submitted", title="Language cafés")
    return {"careful": careful, "held": held}


def test_a_moderator_sees_the_queue_and_its_counts_in_the_header_and_on_the_dashboard(client, moderator, waiting):
    client.force_login(moderator)
    home = client.get(reverse("core:home")).content.decode()
    link = home.split('data-testid="nav-moderation">')[1].split("</a>")[0]
    assert '<span class="badge" aria-hidden="true">3</span>' in link
    assert "1 open report, 2 awaiting approval" in link
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    card = dashboard.split('data-testid="dashboard-moderation">')[1].split("</div>")[0]
    assert f'href="{reverse("moderation:queue")}">Open reports</a> <span class="badge">1</span>' in card
    assert 'Forum posts awaiting approval</a> <span class="badge">1</span>' in card
    assert f'href="{reverse("directory:review-queue")}">Practices awaiting review</a> <span class="badge">1</span>' \
        in card


def test_a_category_moderator_counts_only_what_they_decide(client, waiting):
    keeper = factories.UserFactory()
    waiting["careful"].moderators.add(keeper)
    client.force_login(keeper)
    link = client.get(reverse("core:home")).content.decode().split('data-testid="nav-moderation">')[1]
    assert "0 open reports, 1 awaiting approval" in link.split("</a>")[0]


@pytest.mark.parametrize("who", ["member", "outsider", "visitor"])
def test_nobody_else_sees_a_moderation_link_or_card(client, request, who, waiting):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
        assert 'data-testid="dashboard-moderation"' not in client.get(reverse("accounts:dashboard")).content.decode()
    assert 'data-testid="nav-moderation"' not in client.get(reverse("core:home")).content.decode()


def test_a_moderator_with_nothing_waiting_sees_the_link_without_a_badge(client, moderator):
    client.force_login(moderator)
    link = client.get(reverse("core:home")).content.decode().split('data-testid="nav-moderation">')[1]
    assert "badge" not in link.split("</a>")[0]
