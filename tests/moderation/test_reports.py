"""Members report content; moderators resolve it from one queue with context; the reporter hears the outcome.
Forum posts are the reportable kind these tests use; chat messages have their own (tests/chat)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.extensions import ExtensionPoint
from forums import services as forum_services
from forums.models import Post
from forums.moderation import POST_ACTIONS
from moderation import registry, services
from moderation.models import ModerationLogEntry, Report
from tests import factories
from tests.errors import error_fields
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(public_category, outsider):
    topic = forum.topic(category_=public_category, title="Housing for newcomers")
    return forum.reply(topic=topic, author=outsider, body="Buy our consultancy package today")


def test_a_member_reports_a_post_and_the_queue_shows_it_with_context(client, member, moderator, post):
    client.force_login(member)
    response = client.post(reverse("forums:report", args=[post.pk]), {"reason": "Advertising"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.context["excerpt"] == "Buy our consultancy package today"
    assert report.context["author"] == "Otto Outsider"
    assert report.context["url"] == reverse("forums:post", args=[post.pk])
    assert moderator.notifications.filter(kind="moderation.report").exists()
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "Buy our consultancy package today" in queue and "Advertising" in queue and "Mia Member" in queue


def test_a_member_cannot_report_twice_or_report_their_own_post(member, outsider, post):
    services.file_report(reporter=member, target=post, reason="Advertising")
    with pytest.raises(ValidationError):
        services.file_report(reporter=member, target=post, reason="Still advertising")
    with pytest.raises(PermissionDenied):
        services.file_report(reporter=outsider, target=post, reason="Reporting myself")


def test_an_empty_reason_is_refused_naming_the_field(client, member, post):
    client.force_login(member)
    response = client.post(reverse("forums:report", args=[post.pk]), {"reason": "   "})
    assert response.status_code == 400 and not Report.objects.exists()
    assert "reason" in response.context["form"].errors


@pytest.mark.parametrize(("action", "status"), [("hide", "hidden"), ("delete", "deleted"), ("edit", "published"),
                                                ("warn", "published"), ("dismiss", "published")])
def test_each_resolution_acts_logs_and_tells_the_reporter(client, member, moderator, post, action, status):
    services.file_report(reporter=member, target=post, reason="Advertising")
    other_reporter = factories.UserFactory()
    services.file_report(reporter=other_reporter, target=post, reason="Spam")
    report = Report.objects.earliest("id")
    client.force_login(moderator)
    response = client.post(reverse("moderation:report-resolve", args=[report.pk]),
                           {"action": action, "reason": "Commercial spam", "body": "[removed advertising]"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == status
    if action == "edit":
        assert post.body == "[removed advertising]"
    assert set(Report.objects.values_list("status", flat=True)) == {"resolved"}
    assert ModerationLogEntry.objects.filter(action=f"report_{action}", moderator=moderator).exists()
    expected_log = {"hide": "hide_post", "delete": "delete_post", "edit": "edit_post", "warn": "warn_member"}
    if action in expected_log:
        assert ModerationLogEntry.objects.filter(action=expected_log[action]).exists()
    for reporter in (member, other_reporter):
        outcome = reporter.notifications.get(kind="moderation.report_outcome")
        assert outcome.body == {**POST_ACTIONS, "warn": services.WARN, "dismiss": services.DISMISS}[action].outcome
    if action == "warn":
        assert post.author.notifications.filter(kind="moderation.warning").exists()


def test_a_moderator_can_write_their_own_message_to_the_reporter(member, moderator, post):
    report = services.file_report(reporter=member, target=post, reason="Advertising")
    services.resolve_report(moderator=moderator, report=report, action="hide", reason="Spam",
                            message="Thanks, we removed it.")
    assert member.notifications.get(kind="moderation.report_outcome").body == "Thanks, we removed it."


def test_resolving_needs_a_reason_except_to_dismiss_and_an_edit_needs_text(member, moderator, post):
    report = services.file_report(reporter=member, target=post, reason="Advertising")
    with pytest.raises(ValidationError) as error:
        services.resolve_report(moderator=moderator, report=report, action="hide")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.resolve_report(moderator=moderator, report=report, action="edit", reason="x")
    assert "body" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.resolve_report(moderator=moderator, report=report, action="explode", reason="x")


def test_only_moderators_of_the_posts_category_resolve_its_reports(
        client, member, post, other_category_moderator, category_moderator):
    report = services.file_report(reporter=member, target=post, reason="Advertising")
    with pytest.raises(PermissionDenied):
        services.resolve_report(moderator=other_category_moderator, report=report, action="dismiss")
    client.force_login(other_category_moderator)
    assert "Advertising" not in client.get(reverse("moderation:queue")).content.decode()
    assert client.get(reverse("moderation:report-resolve", args=[report.pk])).status_code == 404
    services.resolve_report(moderator=category_moderator, report=report, action="dismiss")


def test_another_apps_model_registers_as_a_reportable_kind_with_its_own_actions(member, moderator):
    """What chat does for its messages from its ready(), shown with auth groups as the stand-in model."""
    group = Group.objects.create(name="Totally real working group")
    author = factories.UserFactory()
    removed = []
    registry.register_reportable(
        "test.group", Group,
        describe=lambda g: registry.ReportContext(excerpt=g.name, author=author, url="/groups/",
                                                  where=f"the group {g.name}"),
        actions={"delete": registry.ReportAction("Remove it", lambda *, moderator, target, reason, **extra:
                                                 removed.append(target.pk))})
    try:
        report = services.file_report(reporter=member, target=group, reason="Fake group")
        assert report.context["where"] == "the group Totally real working group" and report.scope is None
        assert list(services.report_actions(report)) == ["delete", "warn", "dismiss"]
        services.resolve_report(moderator=moderator, report=report, action="delete", reason="Fraud")
        assert removed == [group.pk]
        assert member.notifications.filter(kind="moderation.report_outcome").exists()
        assert ModerationLogEntry.objects.get(action="report_delete").member == author
    finally:
        registry.REPORTABLE._items.pop("test.group")


def test_a_model_that_is_not_registered_cannot_be_reported(member):
    with pytest.raises(ValueError):
        services.file_report(reporter=member, target=Group.objects.create(name="Unregistered"), reason="x")


def test_registering_a_second_kind_under_a_taken_key_fails_at_start_up():
    point = ExtensionPoint("test.point", "A point for this test.")
    point.register("one", "first")
    point.register("one", "first")
    with pytest.raises(ValueError):
        point.register("one", "second")


def test_reporting_through_the_api_uses_the_same_rules(client, member, post):
    client.force_login(member)
    url = reverse("api-forum-report", args=[post.pk])
    response = client.post(url, {"reason": "Advertising"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "open"
    response = client.post(url, {"reason": "Again"}, content_type="application/json")
    assert "reason" in error_fields(response)
    assert error_fields(client.post(url, {"reason": ""}, content_type="application/json")).keys() == {"reason"}


def test_a_hidden_post_can_no_longer_be_reported(member, moderator, post):
    forum_services.hide_post(moderator=moderator, post=post, reason="Spam")
    with pytest.raises(PermissionDenied):
        services.file_report(reporter=member, target=Post.objects.get(pk=post.pk), reason="x")
