"""A visitor who meets a members-only page is sent to log in and then back to it, never to a bare 403."""

import pytest
from django.urls import reverse

from events.models import Event
from tests import factories
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def test_a_visitor_logs_in_from_a_members_only_event_and_lands_back_on_it(client, member):
    event = make_event(visibility=Event.Visibility.MEMBERS, title="Closed circle")
    response = client.get(event.get_absolute_url(), follow=True)
    login_page = response.content.decode()
    assert response.redirect_chain == [(f"/accounts/login/?next={event.get_absolute_url()}", 302)]
    assert "Log in to continue: this page is for members." in login_page
    assert "Closed circle" not in login_page
    response = client.post(response.redirect_chain[0][0], {"login": member.email, "password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert "Closed circle" in client.get(response["Location"]).content.decode()


def test_a_member_without_the_right_still_sees_why_they_are_refused(client, member):
    client.force_login(member)
    response = client.get(reverse("events:create"))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_the_api_still_answers_a_visitor_in_json(client):
    response = client.get(reverse("api-me"))
    assert response.status_code in (401, 403) and response["Content-Type"] == "application/json"
