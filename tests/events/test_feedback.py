"""Feedback: asked once of every attendee when the event ends (notification and mail), answered once until
30 days after, summarised for organisers with a server-drawn chart, anonymous unless the attendee agrees."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from events import services, tasks
from events.models import Feedback, FeedbackRequest
from tests import factories
from tests.events.factories import make_event, organiser_for
from tests.hostile import ALL_STRINGS, assert_inert

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended():
    """An event that ended an hour ago, with two attendees and one no-show."""
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    starts = timezone.now() + timedelta(hours=1)
    event = make_event(organiser=organiser, organisation=organisation, starts_at=starts)
    people = [factories.UserFactory(full_name=name) for name in ("Amina Haddad", "Daniel Okafor", "No Show")]
    for person in people:
        registration = services.register_for_event(user=person, event=event)
        if person.full_name != "No Show":
            services.check_in(actor=organiser, event=event, registration_id=registration.pk, method="list")
    services.update_event(actor=organiser, event=event, starts_at=timezone.now() - timedelta(hours=3),
                          ends_at=timezone.now() - timedelta(hours=1))
    event.refresh_from_db()
    return organiser, event, people


def test_attendees_are_asked_once_by_notification_and_mail_from_the_background_job(ended):
    _, event, (amina, daniel, _no_show) = ended
    mail.outbox.clear()
    for _ in range(3):  # the timer runs the command every 10 minutes; each run enqueues the job
        call_command("send_feedback_requests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(m.to[0] for m in mail.outbox) == sorted([amina.email, daniel.email])
    assert reverse("events:feedback", args=[event.slug]) in mail.outbox[0].body
    assert Notification.objects.filter(recipient=amina, kind="events.feedback").count() == 1
    assert FeedbackRequest.objects.count() == 2
    assert tasks.send_feedback_requests() == 0


def test_nobody_is_asked_about_an_event_that_ended_over_30_days_ago(ended):
    _, event, _people = ended
    assert tasks.send_feedback_requests(now=event.ends_at + timedelta(days=31)) == 0


def test_an_attendee_answers_once(client, ended):
    _, event, (amina, _daniel, _no_show) = ended
    client.force_login(amina)
    url = reverse("events:feedback", args=[event.slug])
    data = {"rating": "4", "useful": "The cases", "improve": "", "attend_again": "yes"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "rating": "1"})
    assert "already given your feedback" in response.content.decode()
    assert list(Feedback.objects.values_list("rating", flat=True)) == [4]


def test_feedback_closes_30_days_after_and_is_for_attendees_only(client, ended, member):
    _, event, (amina, _daniel, no_show) = ended
    url = reverse("events:feedback", args=[event.slug])
    for someone in (member, no_show):
        client.force_login(someone)
        assert client.get(url).status_code == 403
        assert client.post(url, {"rating": "5", "attend_again": "yes"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.submit_feedback(user=amina, event=event, rating=5, attend_again="yes",
                                 now=event.ends_at + timedelta(days=31))
    assert not Feedback.objects.exists()


def test_a_rating_outside_1_to_5_is_refused_with_the_field_named(client, ended):
    _, event, (amina, _daniel, _no_show) = ended
    client.force_login(amina)
    response = client.post(reverse("events:feedback", args=[event.slug]), {"rating": "9", "attend_again": "yes"})
    assert response.status_code == 400 and "rating" in response.context["form"].errors


def test_the_summary_counts_averages_draws_and_names_only_who_agreed(client, ended, member):
    organiser, event, (amina, daniel, _no_show) = ended
    services.submit_feedback(user=amina, event=event, rating=5, useful="Useful-by-Amina", attend_again="yes",
                             named=True)
    services.submit_feedback(user=daniel, event=event, rating=2, improve="Improve-by-Daniel", attend_again="no")
    url = reverse("events:feedback-results", args=[event.slug])
    for someone in (member, amina):
        client.force_login(someone)
        assert client.get(url).status_code == 403
    client.force_login(organiser)
    page = client.get(url).content.decode()
    assert "2 answers from 2 attendees; average rating 3.5 of 5." in page
    assert 'data-testid="ratings-svg"' in page and "data:image/svg+xml;base64," in page
    assert "Useful-by-Amina" in page and "Amina Haddad" in page
    assert "Improve-by-Daniel" in page and "Daniel Okafor" not in page and "anonymous" in page


@pytest.mark.parametrize("text", ALL_STRINGS)
def test_hostile_feedback_text_is_refused_or_shown_inert(client, ended, text):
    organiser, event, (amina, _daniel, _no_show) = ended
    client.force_login(amina)
    response = client.post(reverse("events:feedback", args=[event.slug]),
                           {"rating": "3", "useful": text, "improve": text, "attend_again": "maybe"})
    assert response.status_code in (302, 400)
    client.force_login(organiser)
    page = client.get(reverse("events:feedback-results", args=[event.slug])).content.decode()
    assert_inert(page)
