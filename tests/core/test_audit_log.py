"""The audit log: each privileged action leaves one append-only row — who, when, what, on which object, from
which address — that staff read and filter in the admin and nobody can change."""

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from core.models import AuditEntry
from events import services as event_services
from forums import services as forum_services
from tests import factories
from tests.events.factories import make_event
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_an_admin_approving_and_promoting_a_member_from_the_page_is_recorded_with_the_address(
        client, organisation, org_admin):
    applicant = factories.UserFactory(full_name="Ana Applicant")
    membership = accounts_services.request_membership(user=applicant, organisation=organisation)
    client.force_login(org_admin)
    url = reverse("accounts:membership-action", args=[organisation.slug, membership.pk, "approve"])
    client.post(url, REMOTE_ADDR="203.0.113.9")
    client.post(reverse("accounts:membership-action", args=[organisation.slug, membership.pk, "role"]),
                {"role": "organiser"}, REMOTE_ADDR="203.0.113.9")
    approved, promoted = AuditEntry.objects.order_by("id")
    assert (approved.action, approved.actor, approved.ip_address) == ("membership.approved", org_admin,
                                                                      "203.0.113.9")
    assert approved.target_label == f"Ana Applicant in {organisation.name}"
    assert promoted.action == "membership.role_changed" and promoted.details == {"from": "member",
                                                                                "to": "organiser"}


def test_staff_verifying_removing_and_organisers_changing_events_are_recorded(staff, org_admin, organisation):
    accounts_services.set_organisation_verified(actor=staff, organisation=organisation, verified=False)
    member = factories.MembershipFactory(organisation=organisation)
    accounts_services.remove_member(actor=org_admin, organisation=organisation, membership_id=member.pk)
    event = make_event()
    organiser = event.created_by
    event_services.update_event(actor=organiser, event=event, title="The Inter-Ethnic City, revisited")
    event_services.cancel_event(actor=organiser, event=event, reason="The venue is closed")
    assert _actions() == ["organisation.unverified", "membership.removed", "event.published", "event.changed",
                          "event.cancelled"]
    assert AuditEntry.objects.get(action="event.cancelled").details == {"reason": "The venue is closed"}
    assert AuditEntry.objects.get(action="membership.removed").ip_address is None  # no request: no address


def test_moderators_actions_are_in_the_audit_log_linked_to_the_moderation_log(moderator):
    topic = forum.topic(category_=forum.category(name="Housing", slug="housing-audit"))
    forum_services.set_topic_pinned(moderator=moderator, topic=topic, pinned=True, reason="Useful")
    entry = AuditEntry.objects.get()
    assert entry.action == "moderation.pin_topic" and entry.actor == moderator
    assert entry.details["moderation_log_entry"] > 0


def test_nobody_edits_or_deletes_the_audit_log(client, staff, organisation):
    accounts_services.set_organisation_verified(actor=staff, organisation=organisation, verified=True)
    entry = AuditEntry.objects.get()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    client.force_login(staff)
    assert client.get(reverse("admin:core_auditentry_changelist") + "?action=organisation.verified").status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "x"}).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get().action == "organisation.verified"
