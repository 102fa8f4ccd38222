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


@pytest.fixture
def make_run(settings):
    """Settings as `make run` has them: DEBUG on."""
    settings.DEBUG = True
    return settings


def test_under_make_run_a_mistyped_address_shows_the_sites_page_and_no_url_patterns(client, make_run, caplog):
    response = client.get("/evnets/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and "Skip to content" in page
    assert "URLconf" not in page and "Using the URLconf" not in page and "admin/" not in page
    assert "Not Found: /evnets/" in caplog.text


def test_under_make_run_a_missing_object_shows_the_sites_page(client, make_run):
    response = client.get(reverse("events:detail", args=["no-such-event"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Skip to content" in page and "Raised by:" not in page


def test_under_make_run_a_missing_slash_still_redirects(client, make_run):
    response = client.get("/events")
    assert response.status_code == 301 and response["Location"] == "/events/"


@pytest.mark.urls("tests.core.boom_urls")
def test_under_make_run_a_failure_shows_the_sites_page_and_the_traceback_goes_to_the_terminal(client, make_run,
                                                                                           caplog):
    client.raise_request_exception = False
    response = client.get("/fail/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page and "the database caught fire" not in page
    assert "Internal Server Error: /fail/" in caplog.text
    assert "RuntimeError: the database caught fire" in caplog.text


def test_a_refusal_is_logged_in_one_line_without_a_traceback(client, member, caplog):
    client.force_login(member)
    assert client.get(reverse("events:create")).status_code == 403
    refusals = [r for r in caplog.records if r.getMessage().startswith("Forbidden")]
    assert refusals and all(r.exc_info is None for r in refusals)


def test_the_favicon_is_found_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content).startswith(b"\x00\x00\x01\x00")  # the ICO signature


def test_under_make_run_an_unknown_api_address_still_answers_json(client, make_run):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
