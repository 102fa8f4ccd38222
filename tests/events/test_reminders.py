"""Reminders: due ones go out once, whatever how often the job runs; cancelled events stop them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events import services, tasks
from events.models import Event, SentReminder
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db(transaction=True)


def _run(now) -> int:
    return tasks.send_due_reminders(now=now)


def test_the_24_and_1_hour_reminders_go_out_once_each_with_the_ics():
    starts = timezone.now() + timedelta(days=3)
    event = make_event(starts_at=starts)
    member = factories.UserFactory()
    services.register_for_event(user=member, event=event)
    mail.outbox.clear()
    assert _run(starts - timedelta(hours=30)) == 0
    assert _run(starts - timedelta(hours=24)) == 1
    assert _run(starts - timedelta(hours=23, minutes=59)) == 0
    assert _run(starts - timedelta(hours=1)) == 1
    assert _run(starts - timedelta(minutes=59)) == 0
    assert _run(starts + timedelta(minutes=1)) == 0
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [f"[Crossroads] Reminder: “{event.title}” starts in 24 hours",
                        f"[Crossroads] Reminder: “{event.title}” starts in 1 hour"]
    assert all(m.attachments[0][2] == "text/calendar" for m in mail.outbox)


def test_the_management_command_is_safe_to_run_every_minute():
    starts = timezone.now() + timedelta(minutes=30)
    event = make_event(starts_at=starts)
    services.register_for_event(user=factories.UserFactory(), event=event)
    mail.outbox.clear()
    for _ in range(3):
        call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert SentReminder.objects.count() == 1


def test_registering_late_sends_only_the_nearest_reminder():
    starts = timezone.now() + timedelta(minutes=30)
    event = make_event(starts_at=starts)
    services.register_for_event(user=factories.UserFactory(), event=event)
    mail.outbox.clear()
    assert _run(timezone.now()) == 1
    assert "starts in 1 hour" in mail.outbox[0].subject


def test_a_webinar_reminder_carries_the_join_link_to_confirmed_registrants_only():
    starts = timezone.now() + timedelta(minutes=30)
    webinar = make_event(starts_at=starts, kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE, venue="",
                         join_url="https://meet.example.org/room-42", capacity=1)
    confirmed, waiting = factories.UserFactory(), factories.UserFactory()
    services.register_for_event(user=confirmed, event=webinar)
    services.register_for_event(user=waiting, event=webinar)
    mail.outbox.clear()
    _run(timezone.now())
    assert [m.to for m in mail.outbox] == [[confirmed.email]]
    assert "https://meet.example.org/room-42" in mail.outbox[0].body


def test_a_cancelled_event_sends_no_more_reminders():
    starts = timezone.now() + timedelta(minutes=30)
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, starts_at=starts)
    services.register_for_event(user=factories.UserFactory(), event=event)
    services.cancel_event(actor=organiser, event=event)
    mail.outbox.clear()
    assert _run(timezone.now()) == 0 and mail.outbox == []


def test_a_moved_event_is_reminded_of_its_new_start():
    starts = timezone.now() + timedelta(minutes=30)
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation, starts_at=starts)
    services.register_for_event(user=factories.UserFactory(), event=event)
    assert _run(timezone.now()) == 1
    services.update_event(actor=organiser, event=event, starts_at=starts + timedelta(minutes=10),
                          ends_at=event.ends_at + timedelta(minutes=10))
    assert _run(timezone.now()) == 1
    assert _run(timezone.now()) == 0


def test_an_event_may_set_its_own_reminder_times(settings):
    settings.EVENTS_REMINDER_OFFSETS_MINUTES = [60]
    starts = timezone.now() + timedelta(days=3)
    event = make_event(starts_at=starts, reminder_offsets=[48 * 60])
    services.register_for_event(user=factories.UserFactory(), event=event)
    assert _run(starts - timedelta(hours=48)) == 1
    assert _run(starts - timedelta(hours=1)) == 0
