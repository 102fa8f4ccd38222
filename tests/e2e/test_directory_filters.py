"""The directory's filters in a browser: ticking a facet refreshes the list in place (htmx), the address
follows for the history and for sharing, and Back returns to the list before."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _console_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_a_ticked_facet_refreshes_the_list_in_place_and_back_undoes_it(page):
    from core.models import PolicyArea

    areas = {a.code: a for a in PolicyArea.objects.all()}
    factories.OrganisationFactory(name="Vienna City", country="AT", policy_areas=[areas["socio-economic"]])
    factories.OrganisationFactory(name="Berlin Helpers", country="DE", policy_areas=[areas["cultural"]])
    errors = _console_errors(page)
    page.goto("/directory/")
    listing = page.get_by_test_id("organisations")
    listing.get_by_text("Vienna City").wait_for()
    page.evaluate("window.sameDocument = true")  # gone if the browser loads a new page

    cultural = page.locator("#facet-area-cultural")
    cultural.check()
    page.wait_for_url("**/directory/?area=cultural*")
    listing.get_by_text("Vienna City").wait_for(state="detached")
    assert listing.get_by_text("Berlin Helpers").is_visible()
    assert page.evaluate("window.sameDocument === true")  # refreshed in place, not reloaded
    assert page.locator("#facet-area-cultural").is_checked()
    assert page.evaluate("document.activeElement.id") == "facet-area-cultural"  # the focus stays on the box

    page.go_back()
    page.wait_for_url("**/directory/")
    listing.get_by_text("Vienna City").wait_for()
    assert not page.locator("#facet-area-cultural").is_checked()
    assert errors == [] and page.js_errors == []


def test_without_javascript_the_apply_button_filters_the_list(browser, live_server):
    from core.models import PolicyArea

    areas = {a.code: a for a in PolicyArea.objects.all()}
    factories.OrganisationFactory(name="Vienna City", country="AT", policy_areas=[areas["socio-economic"]])
    factories.OrganisationFactory(name="Berlin Helpers", country="DE", policy_areas=[areas["cultural"]])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/directory/")
        page.locator("#facet-area-cultural").check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**/directory/?area=cultural*")
        assert "Vienna City" not in page.get_by_test_id("organisations").inner_text()
        assert "Berlin Helpers" in page.get_by_test_id("organisations").inner_text()
    finally:
        context.close()
