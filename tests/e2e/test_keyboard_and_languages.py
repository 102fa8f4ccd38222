"""Journey: a member reaches the content and logs in with the keyboard alone; Arabic pages read right to left."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def test_the_skip_link_comes_first_and_log_in_works_from_the_keyboard(page):
    factories.UserFactory(email="ada@example.org", full_name="Ada Keyboard")
    page.goto("/accounts/login/")

    page.keyboard.press("Tab")
    assert _focused(page) == "Skip to content"
    page.keyboard.press("Enter")
    assert _focused(page) == "main"

    # From the main content, the form's fields come next in reading order.
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.name") != "login":
        page.keyboard.press("Tab")
    page.keyboard.type("ada@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/me/")
    page.get_by_role("heading", name="Welcome, Ada Keyboard").wait_for()
    # The focus ring is visible: the site's outline, not the browser's default nothing.
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert page.js_errors == []


def test_pages_in_arabic_are_laid_out_right_to_left(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ar", viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        brand = page.get_by_role("link", name="Crossroads", exact=True).bounding_box()
        submit = page.locator("main form button[type=submit]").bounding_box()
        # Logical properties mirror the layout: the brand and the form start at the right edge.
        assert brand["x"] > 640
        assert submit["x"] + submit["width"] > 640
    finally:
        context.close()
