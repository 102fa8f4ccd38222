"""Mails go out in the recipient's language and time zone, not the sender's or the server's."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from events import services
from events.tasks import send_due_reminders
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db

STARTS = datetime(2027, 3, 20, 13, 0, tzinfo=UTC)  # 9:00 in New York, 14:00 in Paris


def test_a_french_members_registration_mail_is_in_french_while_the_organiser_works_in_english(
        client, django_capture_on_commit_callbacks):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation, language="en")
    event = make_event(organiser=organiser, organisation=organisation, requires_approval=True,
                       starts_at=STARTS, title="La ville interculturelle")
    member = factories.UserFactory(language="fr", timezone="Europe/Paris", full_name="Camille Martin")
    registration = services.register_for_event(user=member, event=event)
    mail.outbox.clear()

    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:registration-action", args=[event.slug, registration.pk, "approve"]),
                               follow=True)
    assert response.headers["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()

    (message,) = mail.outbox
    assert message.to == [member.email]
    with translation.override("fr"):  # as the French catalogue words it (translators may reword it)
        subject = gettext("Your registration for “%(title)s” is confirmed") % {"title": "La ville interculturelle"}
        hello = gettext("Hello %(name)s,") % {"name": "Camille"}
        local, yours = gettext("local time"), gettext("your time")
        seat = gettext("your seat is confirmed for:")
    assert "confirmed" not in subject + seat and "Hello" not in hello
    assert message.subject == f"[Crossroads] {subject}"
    body = message.body
    assert body.startswith(hello) and seat in body
    # Dates in French, each with its zone named: the venue's and the member's own.
    assert "samedi 20 mars 2027" in body and "09:00–11:00 EDT" in body and "14:00–16:00 CET" in body
    assert f"{local}, America/New_York" in body and f"{yours}, Europe/Paris" in body
    assert "Your seat" not in body and "Saturday" not in body and "March" not in body


def test_a_reminder_says_how_long_with_the_plural_form_the_number_needs():
    event = make_event(starts_at=(timezone.now() + timedelta(hours=30)).replace(second=0, microsecond=0))
    member = factories.UserFactory(language="en")
    services.register_for_event(user=member, event=event)
    mail.outbox.clear()
    assert send_due_reminders(now=event.starts_at - timedelta(hours=24)) == 1
    assert send_due_reminders(now=event.starts_at - timedelta(hours=1)) == 1
    day, hour = mail.outbox
    assert day.subject.endswith("starts in 24 hours") and "this event starts in 24 hours." in day.body
    assert hour.subject.endswith("starts in 1 hour") and "this event starts in 1 hour." in hour.body
