"""Requests in the moderators' one queue (moderation.registry): reported by members, hidden by moderators."""

import pytest

from moderation.models import ModerationLogEntry, Report
from tests import factories
from tests.expertise.factories import make_request, member_of

pytestmark = pytest.mark.django_db


def test_a_member_reports_a_request_and_a_moderator_hides_it_from_the_queue(client):
    request = make_request(title="Buy our consulting services")
    reporter = member_of()
    client.force_login(reporter)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Report to the moderators" in page
    url = f"/moderation/report/expertise.request/{request.pk}/"
    response = client.post(url, {"reason": "This is advertising, not a request for support."})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.context["where"] == "the request for support “Buy our consulting services”"

    moderator = factories.ModeratorFactory()
    client.force_login(moderator)
    assert "Buy our consulting services" in client.get("/moderation/").content.decode()
    client.post(f"/moderation/reports/{report.pk}/", {"action": "hide", "reason": "Advertising."})
    request.refresh_from_db()
    assert request.hidden and request.hidden_reason == "Advertising."
    assert ModerationLogEntry.objects.filter(action="hide_request", target_id=request.pk).exists()
    assert request.author.notifications.filter(kind="expertise.hidden").exists()
    client.force_login(reporter)
    assert client.get(request.get_absolute_url()).status_code == 404


def test_the_requesting_organisation_cannot_report_its_own_request_nor_anyone_a_draft(client):
    request = make_request()
    draft = make_request(status="draft")
    client.force_login(member_of(request.organisation))
    assert client.post(f"/moderation/report/expertise.request/{request.pk}/", {"reason": "x"}).status_code == 403
    client.force_login(member_of())
    assert client.post(f"/moderation/report/expertise.request/{draft.pk}/", {"reason": "x"}).status_code == 403
    assert not Report.objects.exists()
