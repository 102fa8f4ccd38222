"""Defects a new member met in the browser (issue 15), each walked again in real Chromium."""

import pytest

from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _console_errors(page) -> list[str]:
    """Console errors, among them the browser's reports of what the Content-Security-Policy refused."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_the_api_documentation_runs_under_the_sites_content_security_policy(page, settings):
    assert not settings.DEBUG
    errors = _console_errors(page)
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").get_by_text("Crossroads API").wait_for()
    page.locator(".opblock-tag").first.wait_for()
    assert errors == [] and page.js_errors == []


def _member(email: str, name: str):
    user = factories.UserFactory(email=email, full_name=name)
    factories.MembershipFactory(user=user)
    return user


def test_chat_pages_speak_of_a_block_only_when_one_stands(page):
    from chat import services

    mia = _member("mia@example.org", "Mia Member")
    pia = _member("pia@example.org", "Pia Peer")
    ola = _member("ola@example.org", "Ola Other")
    conversation = services.open_direct_conversation(user=mia, other=pia)
    group = services.create_group_conversation(creator=mia, title="Mentoring schemes", members=[pia, ola])
    log_in(page, "mia@example.org", factories.PASSWORD)
    for url in (conversation.get_absolute_url(), group.get_absolute_url()):
        page.goto(url)
        page.get_by_role("button", name="Send").wait_for()
        assert page.get_by_test_id("chat-blocked").count() == 0
        assert "does not accept messages" not in page.content()

    services.block_member(user=pia, other=mia)
    page.goto(conversation.get_absolute_url())
    assert page.get_by_test_id("chat-blocked").inner_text() == "Pia Peer does not accept messages from you."


def test_the_message_button_in_the_members_directory_opens_the_conversation(page):
    _member("mia@example.org", "Mia Member")
    pia = _member("pia@example.org", "Pia Peer")
    log_in(page, "mia@example.org", factories.PASSWORD)
    page.goto("/people/")
    page.get_by_test_id("people").get_by_role("button", name=f"Message {pia.get_short_name()}").click()
    page.wait_for_url("**/messages/*/")
    assert "csrfmiddlewaretoken" not in page.url
    page.get_by_role("heading", name="Pia Peer").wait_for()
