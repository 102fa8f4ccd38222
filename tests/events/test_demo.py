"""The events demo: the UN roundtable with its programme, webinars upcoming and past, a waitlist; idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.demo import PAST_WORKSHOP, ROUNDTABLE
from events.models import Certificate, Event, Feedback, ProgrammeItem, Registration, RegistrationAnswer

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_events_the_issue_names_and_a_second_load_adds_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    roundtable = Event.objects.get(title=ROUNDTABLE)
    assert roundtable.venue == "Conference Room 8, United Nations Headquarters" and roundtable.city == "New York"
    local = roundtable.starts_at.astimezone(roundtable.tzinfo)
    assert (local.hour, local.minute) == (9, 0)
    assert (roundtable.ends_at.astimezone(roundtable.tzinfo).hour) == 13
    assert ProgrammeItem.objects.filter(event=roundtable).count() == 5 and roundtable.speakers.count() == 5
    past = Event.objects.get(title="Youth Participation and Migrant Voice")
    assert past.recording_url and past.kind == "webinar"
    assert Event.objects.filter(kind="webinar", join_url__gt="", status="published").exclude(pk=past.pk).exists()
    assert Registration.objects.filter(status="waitlisted").exists()
    assert Registration.objects.filter(status="pending").exists()
    assert Event.objects.filter(status="cancelled").exists()
    past_workshop = Event.objects.get(title=PAST_WORKSHOP)
    assert past_workshop.ends_at < timezone.now()
    assert past_workshop.registrations.filter(checked_in_at__isnull=False).count() >= 5
    assert Certificate.objects.filter(registration__event=past_workshop).exists()
    assert Feedback.objects.filter(registration__event=past_workshop).count() >= 3
    assert past_workshop.programme.exclude(room="").values("room").distinct().count() >= 2  # parallel sessions
    assert RegistrationAnswer.objects.filter(registration__event=roundtable).exists()
    counts = (Event.objects.count(), Registration.objects.count(), ProgrammeItem.objects.count())

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Event.objects.count(), Registration.objects.count(), ProgrammeItem.objects.count()) == counts
