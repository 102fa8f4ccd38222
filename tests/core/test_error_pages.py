"""Errors a visitor can meet are shown as the site's own pages, saying what happened and where to go."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_address_shows_the_sites_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Skip to content" in page


def test_a_refused_action_says_why(client, outsider, organisation):
    client.force_login(outsider)
    response = client.get(reverse("accounts:organisation-edit", args=[organisation.slug]))
    assert response.status_code == 403
    assert "Only the organisation&#x27;s administrators can do this." in response.content.decode()


def test_the_server_error_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
