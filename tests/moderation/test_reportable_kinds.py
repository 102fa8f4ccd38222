"""Practices, events, profiles and organisations are reportable like posts and messages: each page offers
the report form to members who may see it (not to its author, not to visitors), the report reaches the one
queue, and a moderator's action applies."""

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import ModerationLogEntry, Report
from tests import factories
from tests.directory.factories import make_practice
from tests.events.factories import make_event
from tests.hostile import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["practice", "event", "profile", "organisation"])
def reported(request):
    """(kind key, the object, its author, its page)."""
    if request.param == "practice":
        practice = make_practice(status="published")
        return "directory.practice", practice, practice.author, practice.get_absolute_url()
    if request.param == "event":
        event = make_event()
        return "events.event", event, event.created_by, event.get_absolute_url()
    if request.param == "profile":
        person = factories.UserFactory(full_name="Ivo Impostor")
        return "accounts.profile", person, person, person.get_absolute_url()
    founder = factories.UserFactory()
    organisation = factories.OrganisationFactory(created_by=founder)
    return "accounts.organisation", organisation, founder, organisation.get_absolute_url()


def test_a_member_reports_from_the_page_and_the_moderator_sees_it_in_the_queue(client, member, moderator, reported):
    key, target, author, page = reported
    client.force_login(member)
    assert "Report to the moderators" in client.get(page).content.decode()
    url = reverse("moderation:report", args=[key, target.pk])
    response = client.post(url, {"reason": "Misleading claims", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    report = Report.objects.get()
    assert report.target == target and report.context["author_id"] == (author.pk if author else None)
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "Misleading claims" in queue


def test_visitors_and_authors_cannot_report(client, reported):
    key, target, author, page = reported
    url = reverse("moderation:report", args=[key, target.pk])
    assert "Report to the moderators" not in client.get(page).content.decode()
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(author)
    shown = "Report to the moderators" in client.get(page).content.decode()
    if key == "accounts.organisation":
        return  # a founder may report their organisation's page: it is the organisation's, not theirs
    assert not shown
    assert client.post(url, {"reason": "Myself"}).status_code == 403
    assert not Report.objects.exists()


def test_warning_the_author_from_the_queue_tells_them_and_is_logged(member, moderator, reported):
    _key, target, author, _page = reported
    report = services.file_report(reporter=member, target=target, reason="Rude")
    services.resolve_report(moderator=moderator, report=report, action="warn", reason="Keep it factual")
    assert author.notifications.filter(kind="moderation.warning").exists()
    assert ModerationLogEntry.objects.filter(action="warn_member", member=author).exists()


def test_a_moderator_withdraws_a_reported_practice_to_its_author(member, moderator):
    practice = make_practice(status="published")
    report = services.file_report(reporter=member, target=practice, reason="Copied from elsewhere")
    assert list(services.report_actions(report)) == ["withdraw", "warn", "dismiss"]
    services.resolve_report(moderator=moderator, report=report, action="withdraw", reason="Plagiarism")
    practice.refresh_from_db()
    assert practice.status == "returned"
    assert ModerationLogEntry.objects.filter(action="withdraw_practice", reason="Plagiarism").exists()


def test_a_member_of_another_organisation_cannot_report_a_draft_they_cannot_see(client, outsider):
    practice = make_practice(status="draft")
    client.force_login(outsider)
    assert client.get(reverse("moderation:report", args=["directory.practice", practice.pk])).status_code == 403


def test_an_unknown_kind_or_object_is_not_found(client, member):
    client.force_login(member)
    assert client.get(reverse("moderation:report", args=["nothing.here", 1])).status_code == 404
    assert client.get(reverse("moderation:report", args=["accounts.profile", 999999])).status_code == 404


def test_hostile_reasons_are_inert_in_the_queue(client, member, moderator):
    person = factories.UserFactory()
    for payload in XSS_PAYLOADS:
        services.file_report(reporter=factories.UserFactory(), target=person, reason=f"Reason {payload}")
    client.force_login(moderator)
    assert_inert(client.get(reverse("moderation:queue")).content.decode())


def test_a_next_address_on_another_site_is_ignored(client, member):
    person = factories.UserFactory()
    client.force_login(member)
    response = client.post(reverse("moderation:report", args=["accounts.profile", person.pk]),
                           {"reason": "Impersonation", "next": "https://evil.example/"})
    assert response["Location"] == person.get_absolute_url()


def test_the_old_moderation_addresses_lead_to_the_new_ones(client, moderator):
    client.force_login(moderator)
    response = client.get("/forums/moderation/log/?action=pin_topic")
    assert response.status_code == 301 and response["Location"] == reverse("moderation:log") + "?action=pin_topic"
    assert client.get("/forums/moderation/")["Location"] == reverse("moderation:queue")
