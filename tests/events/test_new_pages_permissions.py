"""Every page issue 17 added, tried from the outside: a visitor, a member of another organisation, the
registrant, a moderator and the event's organiser. Nobody but the organiser reaches what is the organiser's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import RegistrationQuestion
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(moderator):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    other_member = factories.UserFactory()
    factories.MembershipFactory(user=other_member, organisation=factories.OrganisationFactory())
    starts = timezone.now() + timedelta(hours=1)
    event = make_event(organiser=organiser, organisation=organisation, starts_at=starts)
    question = services.add_question(actor=organiser, event=event, kind=RegistrationQuestion.Kind.SHORT_TEXT,
                                     label="City")
    item = services.add_programme_item(actor=organiser, event=event, starts_at=starts, title="Session", room="A")
    registrant = factories.UserFactory()
    registration = services.register_for_event(user=registrant, event=event, answers={question.pk: "Vienna"})
    services.check_in(actor=organiser, event=event, registration_id=registration.pk, method="list")
    services.update_event(actor=organiser, event=event, starts_at=starts - timedelta(days=1),
                          ends_at=starts - timedelta(days=1) + timedelta(hours=2))
    event.refresh_from_db()
    return {"event": event, "organiser": organiser, "other": other_member, "registrant": registrant,
            "moderator": moderator, "registration": registration, "question": question, "item": item}


ORGANISER_ONLY = [
    ("get", "events:questions", {}), ("post", "events:questions", {"action": "add", "kind": "short_text",
                                                                   "label": "Intruder?"}),
    ("get", "events:dashboard", {}), ("get", "events:check-in-desk", {}),
    ("get", "events:registrations-xlsx", {}), ("get", "events:registrations-csv", {}),
    ("get", "events:feedback-results", {}),
]


def _url(world, name):
    return reverse(name, args=[world["event"].slug])


@pytest.mark.parametrize("method, name, data", ORGANISER_ONLY)
def test_organiser_pages_refuse_everyone_else(client, world, method, name, data):
    url = _url(world, name)
    response = getattr(client, method)(url, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for who in ("other", "registrant", "moderator"):
        client.force_login(world[who])
        assert getattr(client, method)(url, data).status_code == 403, who
    assert not RegistrationQuestion.objects.filter(label="Intruder?").exists()
    client.force_login(world["organiser"])
    assert client.get(url).status_code == 200


def test_the_question_edit_page_and_the_qr_check_in_are_the_organisers(client, world):
    urls = [reverse("events:question-edit", args=[world["event"].slug, world["question"].pk]),
            reverse("events:check-in", args=[world["event"].slug, world["registration"].ticket_code])]
    for url in urls:
        assert client.get(url).status_code == 302
        for who in ("other", "registrant", "moderator"):
            client.force_login(world[who])
            assert client.get(url).status_code == 403 and client.post(url, {"label": "Changed"}).status_code == 403
        client.logout()
    assert RegistrationQuestion.objects.get(pk=world["question"].pk).label == "City"
    client.force_login(world["organiser"])
    assert all(client.get(url).status_code == 200 for url in urls)


def test_the_registrants_own_pages_are_theirs_alone(client, world):
    """Ticket (the event is over: no ticket then), certificate, feedback, answers."""
    event = world["event"]
    mine = [reverse("events:certificate", args=[event.slug]), reverse("events:feedback", args=[event.slug])]
    for url in mine:
        assert client.get(url).status_code == 302
        for who in ("other", "moderator", "organiser"):
            client.force_login(world[who])
            assert client.get(url).status_code == 403, (who, url)
        client.logout()
    client.force_login(world["registrant"])
    assert client.get(mine[0])["Content-Type"] == "application/pdf"
    assert client.get(mine[1]).status_code == 200
    answers = reverse("events:answers", args=[event.slug])
    client.force_login(world["other"])
    assert client.get(answers).status_code == 403


def test_session_planning_needs_a_registration_and_the_session_ics_is_public(client, world):
    event, item = world["event"], world["item"]
    plan = reverse("events:session-plan", args=[event.slug, item.pk])
    assert client.post(plan).status_code == 302 and not item.interests.exists()
    assert client.get(reverse("events:session-ics", args=[event.slug, item.pk])).status_code == 200
    client.force_login(world["other"])
    client.post(plan)
    assert not item.interests.exists()


def test_the_verification_page_is_public(client, world):
    certificate = services.issue_certificate(user=world["registrant"], event=world["event"])
    assert client.get(certificate.get_absolute_url()).status_code == 200
