"""Notifications are stored as what happened (kind and parameters) and worded when shown: in the reader's
language and time zone, on the list page, in the API and in the mails, whoever caused them."""

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from core.models import Notification
from core.recipients import speaking_to
from core.services import notify, send_notification_digests
from moderation import services as moderation
from tests import factories

pytestmark = pytest.mark.django_db

UNTIL = datetime(2027, 3, 5, 13, 0, tzinfo=UTC)


def _arabic(message: str, **params) -> str:
    """`message` as the Arabic catalogue has it (translators may reword it), and never the English."""
    with translation.override("ar"):
        text = translation.gettext(message) % params
    assert text != message % params, f"{message!r} has no Arabic translation"
    return text


def test_a_notification_keeps_its_kind_and_parameters_and_the_text_in_the_sites_language(member):
    note = notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"})
    note.refresh_from_db()
    assert note.params == {"organisation": "Ville de Lyon"}
    assert note.title == "You are now a member of Ville de Lyon"


def test_the_list_page_and_the_api_word_it_from_the_parameters_not_from_the_stored_text(client, member):
    note = notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"})
    Notification.objects.filter(pk=note.pk).update(title="stale stored text")
    client.force_login(member)
    page = client.get(reverse("core:notifications")).content.decode()
    assert "You are now a member of Ville de Lyon" in page and "stale stored text" not in page
    (row,) = client.get(reverse("api-notifications")).json()["results"]
    assert row["title"] == "You are now a member of Ville de Lyon"
    assert row["kind"] == "accounts.join_approved" and row["params"] == {"organisation": "Ville de Lyon"}


def test_a_notification_from_before_parameters_or_of_an_unknown_kind_reads_as_its_stored_title(client, member):
    Notification.objects.create(recipient=member, kind="accounts.join_approved", title="Old stored title")
    Notification.objects.create(recipient=member, kind="gone.kind", params={"x": 1}, title="Of a kind now gone")
    Notification.objects.create(recipient=member, kind="accounts.join_approved", params={"wrong": "x"},
                                title="Parameters that no longer fit")
    client.force_login(member)
    page = client.get(reverse("core:notifications")).content.decode()
    assert "Old stored title" in page and "Of a kind now gone" in page and "Parameters that no longer fit" in page


def test_the_migration_recovers_parameters_from_old_english_titles(member):
    migration = importlib.import_module("core.migrations.0009_notification_params_from_titles")
    old = [
        Notification.objects.create(recipient=member, kind="events.confirmed",
                                    title="Your registration for “City Lab: housing” is confirmed"),
        Notification.objects.create(recipient=member, kind="forums.reply", title="A member replied to “Flats”",
                                    body="I agree"),
        Notification.objects.create(recipient=member, kind="moderation.silenced",
                                    title="You cannot post or send messages until 05 March 2027 13:00: Insults"),
        Notification.objects.create(recipient=member, kind="events.message", title="Lab: bring a laptop"),
    ]
    migration.recover_params(apps, None)
    confirmed, reply, silenced, message = (Notification.objects.get(pk=n.pk).params for n in old)
    assert confirmed == {"title": "City Lab: housing"}
    assert reply == {"name": "", "topic": "Flats", "excerpt": "I agree"}
    assert silenced == {"until": "2027-03-05T13:00:00+00:00", "reason": "Insults"}
    assert message is None  # not recognisable for sure: it keeps its stored title


def test_a_silence_notice_states_its_end_in_the_members_own_time_zone_labelled(client, moderator, mailoutbox,
                                                                              django_capture_on_commit_callbacks):
    member = factories.UserFactory(timezone="Europe/Paris", email_notifications="each")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.silence_member(moderator=moderator, member=member, until=UNTIL, reason="Repeated insults")
    expected = "You cannot post or send messages until 5 March 2027, 14:00 (Europe/Paris): Repeated insults"
    client.force_login(member)
    assert expected in client.get(reverse("core:notifications")).content.decode()
    (mail,) = mailoutbox
    assert expected in mail.subject and expected in mail.body


def test_a_suspension_notice_in_french_names_the_month_in_french_in_the_members_zone(moderator):
    member = factories.UserFactory(timezone="America/Montreal", language="fr")
    moderation.suspend_member(moderator=moderator, member=member, until=UNTIL, reason="Harcèlement")
    note = member.notifications.get(kind="moderation.suspended")
    with speaking_to(member):
        title = Notification.objects.get(pk=note.pk).shown_title
    assert "5 mars 2027, 08:00 (America/Montreal)" in title and "Harcèlement" in title
    with translation.override("en"):
        assert "5 March 2027, 13:00 (UTC)" in Notification.objects.get(pk=note.pk).shown_title


def test_an_arabic_members_whole_notification_list_is_arabic_after_switching(client, member):
    notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"})
    notify(recipient=member, kind="events.confirmed", params={"title": "City Lab"})
    client.force_login(member)
    page = client.get(reverse("core:notifications")).content.decode()
    assert "You are now a member of Ville de Lyon" in page and "Your registration for “City Lab” is confirmed" in page

    client.post(reverse("accounts:set-language"), {"language": "ar", "next": reverse("core:notifications")})
    member.refresh_from_db()
    assert member.language == "ar"
    page = client.get(reverse("core:notifications")).content.decode()
    assert 'lang="ar" dir="rtl"' in page
    member_of = _arabic("You are now a member of %(organisation)s", organisation="Ville de Lyon")
    confirmed = _arabic("Your registration for “%(title)s” is confirmed", title="City Lab")
    assert member_of in page and confirmed in page and _arabic("Mark all as read") in page
    assert "You are now a member" not in page and "Your registration" not in page
    (first, second) = client.get(reverse("api-notifications")).json()["results"]
    assert {first["title"], second["title"]} == {member_of, confirmed}


def test_notification_mails_and_digests_are_worded_in_each_recipients_language(mailoutbox,
                                                                               django_capture_on_commit_callbacks):
    arabic = factories.UserFactory(language="ar", email_notifications="each")
    english = factories.UserFactory(language="en", email_notifications="digest")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):  # whoever causes it
        for member in (arabic, english):
            notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"})
    (each,) = mailoutbox
    assert each.to == [arabic.email]
    assert _arabic("You are now a member of %(organisation)s", organisation="Ville de Lyon") in each.subject
    assert send_notification_digests() == 1
    assert "You are now a member of Ville de Lyon" in mailoutbox[1].body


def test_a_suspended_member_is_told_the_end_in_their_own_time_zone_when_sent_away(client, moderator):
    member = factories.UserFactory(timezone="Asia/Tokyo")
    client.force_login(member)
    moderation.suspend_member(moderator=moderator, member=member, until=UNTIL, reason="Harassment")
    page = client.get(reverse("core:notifications"), follow=True).content.decode()
    assert "Your account is suspended until 5 March 2027, 22:00 (Asia/Tokyo): Harassment." in page
