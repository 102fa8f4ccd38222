"""A member's notification list is kept ({% card %}, per member, page, language and time zone) until one of their
notifications is made or read (core.notifications, bumped per recipient by core.services) or a member's name
changes: each of those shows on the next request, in the member's language, and no member ever sees another's
list or token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.services import set_language, update_profile
from core.services import notify
from core.templatetags.cards import TOKEN_STAND_IN
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

URL = reverse("core:notifications")


def _page(browser: Client, **params) -> tuple[str, int]:
    """The page's HTML, and how many times the request read notifications (their count or their rows)."""
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(URL, params)
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    read = [q for q in sql if 'FROM "core_notification"' in q and '"read_at" IS NULL' not in q]
    return response.content.decode(), len(read)


def _browser(user, **options) -> Client:
    browser = Client(**options)
    browser.force_login(user)
    return browser


def test_the_list_is_kept_and_a_new_notification_shows_on_the_next_request(member):
    notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"})
    browser = _browser(member)
    html, reads = _page(browser)
    assert "You are now a member of Ville de Lyon" in html and reads == 2  # its count and its rows
    html, reads = _page(browser)
    assert "You are now a member of Ville de Lyon" in html and reads == 0
    notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Comune di Torino"})
    html, reads = _page(browser)
    assert "Comune di Torino" in html and "Ville de Lyon" in html and reads == 2


def test_a_notification_read_shows_as_read_on_the_next_request(member):
    note = notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"})
    browser = _browser(member)
    assert 'class="unread"' in _page(browser)[0]
    browser.post(reverse("core:notification-open", args=[note.pk]))
    assert 'class="unread"' not in _page(browser)[0]
    notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Comune di Torino"})
    assert 'class="unread"' in _page(browser)[0]
    browser.post(reverse("core:notifications-read-all"))
    assert 'class="unread"' not in _page(browser)[0]


def test_the_list_reads_in_the_members_language_after_a_switch(member):
    notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"})
    browser = _browser(member)
    assert "You are now a member of Ville de Lyon" in _page(browser)[0]
    set_language(user=member, language="fr")
    with translation.override("fr"):
        french = translation.gettext("You are now a member of %(organisation)s") % {"organisation": "Ville de Lyon"}
    assert french != "You are now a member of Ville de Lyon"
    assert french in _page(browser)[0]


def test_a_new_name_of_the_actor_shows_on_the_next_request(member):
    actor = factories.UserFactory(full_name="Amina Haddad")
    notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"}, actor=actor)
    browser = _browser(member)
    assert "Amina Haddad" in _page(browser)[0]
    update_profile(user=actor, full_name="Amina Haddad-Rossi")
    assert "Amina Haddad-Rossi" in _page(browser)[0]


def test_each_member_sees_their_own_list_and_posts_from_it_with_their_own_token(member):
    other = factories.UserFactory()
    note = notify(recipient=member, kind="accounts.join_approved", params={"organisation": "Ville de Lyon"})
    notify(recipient=other, kind="accounts.join_approved", params={"organisation": "Comune di Torino"})
    mine, theirs = _browser(member, enforce_csrf_checks=True), _browser(other)
    for _ in range(2):
        html = _page(mine)[0]
        assert "Ville de Lyon" in html and "Comune di Torino" not in html and str(TOKEN_STAND_IN) not in html
        html = _page(theirs)[0]
        assert "Comune di Torino" in html and "Ville de Lyon" not in html and str(TOKEN_STAND_IN) not in html
    html = _page(mine)[0]
    form = html.split(reverse("core:notification-open", args=[note.pk]), 1)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = mine.post(reverse("core:notification-open", args=[note.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert 'class="unread"' not in _page(mine)[0]


def test_each_page_of_the_list_is_kept_apart(member):
    for n in range(31):
        notify(recipient=member, kind="accounts.join_approved", params={"organisation": f"Town {n:02}"})
    browser = _browser(member)
    first, second = _page(browser)[0], _page(browser, page=2)[0]
    assert "Town 30" in first and "Town 00" not in first
    assert "Town 00" in second and "Town 30" not in second and "Page 2 of 2" in second
    html, reads = _page(browser, page=2)
    assert "Town 00" in html and "Town 30" not in html and reads == 0
