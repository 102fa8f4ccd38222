"""Every registration state and transition, through events.services as pages and API call it."""

from datetime import timedelta

import icalendar
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Notification
from events import services
from events.models import Event, Registration
from tests import factories
from tests.events.factories import make_event, members, organiser_for

pytestmark = pytest.mark.django_db


def _status(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


def test_registration_with_a_free_seat_is_confirmed_and_mailed_with_the_ics(django_capture_on_commit_callbacks):
    event = make_event(capacity=2)
    member = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register_for_event(user=member, event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email] and "confirmed" in message.subject
    name, content, mimetype = message.attachments[0]
    assert name == f"{event.slug}.ics" and mimetype == "text/calendar"
    parsed = icalendar.Calendar.from_ical(content)
    assert str(parsed.walk("VEVENT")[0]["UID"]).startswith(str(event.uid))
    assert Notification.objects.filter(recipient=member, kind="events.confirmed").exists()


def test_registration_beyond_capacity_goes_to_the_waitlist():
    event = make_event(capacity=1)
    first, second = members(2)
    assert services.register_for_event(user=first, event=event).status == Registration.Status.CONFIRMED
    assert services.register_for_event(user=second, event=event).status == Registration.Status.WAITLISTED


def test_a_full_event_without_waitlist_refuses_with_a_message():
    event = make_event(capacity=1, waitlist_enabled=False)
    first, second = members(2)
    services.register_for_event(user=first, event=event)
    with pytest.raises(ValidationError, match="full and has no waitlist"):
        services.register_for_event(user=second, event=event)
    assert not Registration.objects.filter(user=second).exists()


def test_an_event_with_approval_puts_registrations_pending_until_an_organiser_decides():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, requires_approval=True, capacity=1)
    first, second, third = members(3)
    registrations = [services.register_for_event(user=m, event=event) for m in (first, second, third)]
    assert {r.status for r in registrations} == {Registration.Status.PENDING}
    assert services.approve_registration(actor=organiser, event=event,
                                         registration_id=registrations[0].pk).status == "confirmed"
    assert services.approve_registration(actor=organiser, event=event,
                                         registration_id=registrations[1].pk).status == "waitlisted"
    assert services.decline_registration(actor=organiser, event=event,
                                         registration_id=registrations[2].pk).status == "declined"
    with pytest.raises(ValidationError, match="declined your registration"):
        services.register_for_event(user=third, event=event)


def test_approving_a_confirmed_registration_is_refused():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    registration = services.register_for_event(user=factories.UserFactory(), event=event)
    with pytest.raises(ValidationError, match="awaiting approval"):
        services.approve_registration(actor=organiser, event=event, registration_id=registration.pk)
    with pytest.raises(ValidationError, match="cancel a confirmed one"):
        services.decline_registration(actor=organiser, event=event, registration_id=registration.pk)


def test_cancelling_a_confirmed_seat_promotes_the_first_of_the_waitlist_and_tells_them(
        django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    holder, first_in_line, second_in_line = members(3)
    services.register_for_event(user=holder, event=event)
    waiting = [services.register_for_event(user=m, event=event) for m in (first_in_line, second_in_line)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(user=holder, event=event)
    assert _status(waiting[0]) == Registration.Status.CONFIRMED
    assert _status(waiting[1]) == Registration.Status.WAITLISTED
    promoted_mail = next(m for m in mail.outbox if m.to == [first_in_line.email])
    assert "seat freed up" in promoted_mail.subject and promoted_mail.attachments
    assert Notification.objects.filter(recipient=first_in_line, kind="events.promoted").exists()


def test_an_organiser_cancelling_a_confirmed_registrant_promotes_the_waitlist():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=1)
    holder, waiting = members(2)
    held = services.register_for_event(user=holder, event=event)
    queued = services.register_for_event(user=waiting, event=event)
    services.cancel_registration_by_organiser(actor=organiser, event=event, registration_id=held.pk)
    assert _status(held) == Registration.Status.CANCELLED
    assert _status(queued) == Registration.Status.CONFIRMED
    assert Registration.objects.get(pk=held.pk).decided_by == organiser
    assert Notification.objects.filter(recipient=holder, kind="events.cancelled_by_organiser").exists()
    services.cancel_registration(user=waiting, event=event)
    assert Registration.objects.get(pk=queued.pk).decided_by is None
    assert Notification.objects.filter(recipient=waiting, kind="events.cancelled_by_member").exists()


def test_cancelling_a_waitlisted_place_promotes_nobody():
    event = make_event(capacity=1)
    holder, waiting, later = members(3)
    held = services.register_for_event(user=holder, event=event)
    services.register_for_event(user=waiting, event=event)
    last = services.register_for_event(user=later, event=event)
    services.cancel_registration(user=waiting, event=event)
    assert _status(held) == "confirmed" and _status(last) == "waitlisted"


def test_registering_again_after_cancelling_joins_the_end_of_the_queue():
    event = make_event(capacity=1)
    holder, first, second = members(3)
    services.register_for_event(user=holder, event=event)
    services.register_for_event(user=first, event=event)
    services.register_for_event(user=second, event=event)
    services.cancel_registration(user=first, event=event)
    again = services.register_for_event(user=first, event=event)
    assert again.status == "waitlisted"
    services.cancel_registration(user=holder, event=event)
    assert Registration.objects.get(user=second).status == "confirmed"
    assert Registration.objects.get(user=first).status == "waitlisted"


def test_registering_twice_is_refused_with_the_current_state():
    event = make_event()
    member = factories.UserFactory()
    services.register_for_event(user=member, event=event)
    with pytest.raises(ValidationError, match="already registered: “Confirmed”"):
        services.register_for_event(user=member, event=event)


def test_raising_the_capacity_promotes_the_waitlist():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=1)
    _, waiting = members(2)
    services.register_for_event(user=_, event=event)
    queued = services.register_for_event(user=waiting, event=event)
    services.update_event(actor=organiser, event=event, capacity=2)
    assert _status(queued) == "confirmed"


@pytest.mark.parametrize(("fields", "reason"), [
    ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "Registration opens on"),
    ({"registration_closes_at": timezone.now() - timedelta(minutes=1),
      "registration_opens_at": timezone.now() - timedelta(days=1)}, "closed"),
])
def test_registration_outside_its_window_is_refused(fields, reason):
    event = make_event(**fields)
    with pytest.raises(ValidationError, match=reason):
        services.register_for_event(user=factories.UserFactory(), event=event)


def test_a_draft_or_cancelled_event_takes_no_registrations():
    draft = make_event(publish=False)
    with pytest.raises(ValidationError, match="not open"):
        services.register_for_event(user=factories.UserFactory(), event=draft)
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    services.cancel_event(actor=organiser, event=event)
    with pytest.raises(ValidationError, match="cancelled"):
        services.register_for_event(user=factories.UserFactory(), event=event)


def test_an_unverified_account_cannot_register():
    member = factories.UserFactory()
    EmailAddress.objects.filter(user=member).update(verified=False)
    with pytest.raises(ValidationError, match="Verify your e-mail"):
        services.register_for_event(user=member, event=make_event())


def test_an_event_for_its_organisations_members_refuses_others():
    organisation = factories.OrganisationFactory()
    event = make_event(organisation=organisation, organiser=organiser_for(organisation),
                       registration_scope=Event.RegistrationScope.ORGANISERS_MEMBERS)
    insider = factories.UserFactory()
    factories.MembershipFactory(user=insider, organisation=organisation)
    assert services.register_for_event(user=insider, event=event).status == "confirmed"
    with pytest.raises(ValidationError, match="members of its organising organisations only"):
        services.register_for_event(user=factories.UserFactory(), event=event)


def test_cancelling_the_event_tells_every_live_registrant_and_raises_the_sequence(
        django_capture_on_commit_callbacks):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=1)
    holder, waiting = members(2)
    services.register_for_event(user=holder, event=event)
    services.register_for_event(user=waiting, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_event(actor=organiser, event=event, reason="The venue is closed.")
    assert cancelled.status == Event.Status.CANCELLED and cancelled.sequence == event.sequence + 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([holder.email, waiting.email])
    parsed = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(parsed.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert Notification.objects.filter(kind="events.cancelled").count() == 2


def test_moving_a_published_event_tells_its_registrants(django_capture_on_commit_callbacks):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    member = factories.UserFactory()
    services.register_for_event(user=member, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(actor=organiser, event=event, starts_at=event.starts_at + timedelta(hours=1),
                              ends_at=event.ends_at + timedelta(hours=1))
    assert [m.subject for m in mail.outbox] == [f"[Crossroads] New time: {event.title}"]


def test_only_those_who_run_the_event_may_manage_it(member, outsider, moderator):
    organisation = factories.OrganisationFactory()
    event = make_event(organisation=organisation, organiser=organiser_for(organisation))
    registration = services.register_for_event(user=factories.UserFactory(), event=event)
    plain_member_of_the_organisation = factories.UserFactory()
    factories.MembershipFactory(user=plain_member_of_the_organisation, organisation=organisation)
    for someone in (member, outsider, moderator, plain_member_of_the_organisation):
        with pytest.raises(PermissionDenied):
            services.cancel_event(actor=someone, event=event)
        with pytest.raises(PermissionDenied):
            services.cancel_registration_by_organiser(actor=someone, event=event, registration_id=registration.pk)
        with pytest.raises(PermissionDenied):
            services.update_event(actor=someone, event=event, title="Taken over")
        with pytest.raises(PermissionDenied):
            services.create_event(actor=someone, organisations=[organisation], kind="webinar", title="x",
                                  starts_at=event.starts_at, ends_at=event.ends_at, timezone_name="UTC",
                                  format="online")


def test_an_organiser_of_one_co_organising_organisation_edits_the_event_without_dropping_the_other():
    ours, theirs = factories.OrganisationFactory(), factories.OrganisationFactory()
    organiser, partner = organiser_for(ours), organiser_for(theirs)
    staff = factories.UserFactory(is_staff=True)
    event = services.create_event(actor=staff, organisations=[ours, theirs], kind="webinar", title="Joint webinar",
                                  starts_at=timezone.now() + timedelta(days=3),
                                  ends_at=timezone.now() + timedelta(days=3, hours=1), timezone_name="UTC",
                                  format="online")
    services.update_event(actor=organiser, event=event, organisations=[ours, theirs], title="Joint webinar, 2nd")
    assert set(event.organisations.all()) == {ours, theirs}
    stranger = factories.OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.update_event(actor=partner, event=event, organisations=[ours, theirs, stranger])


def test_publishing_the_recording_raises_the_sequence_and_tells_confirmed_registrants(
        django_capture_on_commit_callbacks):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=1)
    confirmed, waiting = members(2)
    services.register_for_event(user=confirmed, event=event)
    services.register_for_event(user=waiting, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.publish_recording(actor=organiser, event=event,
                                             recording_url="https://video.example.org/1")
    assert updated.sequence == event.sequence + 1
    assert list(Notification.objects.filter(kind="events.recording").values_list("recipient", flat=True)) == [
        confirmed.pk]
    services.publish_recording(actor=organiser, event=event, recording_url="https://video.example.org/1")
    assert Notification.objects.filter(kind="events.recording").count() == 1


def test_after_the_capacity_is_lowered_below_the_confirmed_seats_a_cancellation_promotes_nobody():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=3)
    first, second, third, waiting = members(4)
    for member in (first, second, third):
        services.register_for_event(user=member, event=event)
    queued = services.register_for_event(user=waiting, event=event)
    services.update_event(actor=organiser, event=event, capacity=1)
    services.cancel_registration(user=first, event=event)
    # Two confirmed seats remain against a capacity of one: the waitlist stays where it is.
    assert _status(queued) == "waitlisted"
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2
