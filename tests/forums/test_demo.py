"""The demo forums: categories per policy area, a municipalities-only one, two dozen topics, an open report."""

import pytest
from django.core.management import call_command

from events.models import Event
from forums.models import Category, Post, Topic
from moderation.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_forums_and_a_second_load_adds_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Category.objects.exclude(policy_area=None).values_list("policy_area__code", flat=True)) == {
        "socio-economic", "legal-political", "cultural"}
    municipal = Category.objects.get(name="Municipal practitioners")
    assert municipal.visibility == "restricted" and municipal.allowed_organisation_kinds == ["municipality"]
    assert Topic.objects.filter(reply_count__gte=1).count() >= 20
    assert Report.objects.filter(status="open").count() == 1
    public_events = Event.objects.filter(status="published", visibility="public").count()
    assert Topic.objects.filter(subject_type__model="event").count() == min(2, public_events)
    counts = (Category.objects.count(), Topic.objects.count(), Post.objects.count(), Report.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Category.objects.count(), Topic.objects.count(), Post.objects.count(), Report.objects.count()) == counts
