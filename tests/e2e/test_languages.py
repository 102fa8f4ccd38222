"""Journeys in other languages: a member switches to Arabic through the header's menu and the layout mirrors;
a French member goes through ten pages and meets no English navigation or button label.

Screenshots of the Arabic pages are kept in test-results/screenshots/ (git-ignored) for a reviewer."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

from accounts.models import User
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"
WIDTH, HEIGHT = 1280, 800
# Ten pages a member goes through, with the events calendar, a form and the messenger among them.
JOURNEY = ["/", "/directory/", "/practices/", "/resources/", "/events/", "/events/calendar/", "/forums/",
           "/expertise/", "/me/", "/notifications/", "/messages/", "/me/profile/"]
ARABIC_SHOTS = {"home": "/", "dashboard": "/me/", "profile-form": "/me/profile/", "messages": "/messages/",
                "events-calendar": "/events/calendar/"}


def _english_labels() -> set[str]:
    """Every English message of the interface that French writes differently ("Forums" is French too)."""
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    return {entry.msgid for entry in catalogue if not entry.msgid_plural and entry.msgstr != entry.msgid}


def _texts(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector, "els => els.map(e => (e.value && e.tagName === 'INPUT' ? e.value : e.innerText).trim())")


def _journey_in_french(new_page) -> dict[str, dict[str, list[str]]]:
    """What a French member reads on each page of the journey: navigation and buttons."""
    member = factories.UserFactory(email="claire@example.org", full_name="Claire Martin", language="fr")
    factories.MembershipFactory(user=member)
    page = new_page()
    log_in(page, "claire@example.org", factories.PASSWORD)
    seen = {}
    for path in JOURNEY:
        page.goto(path)
        assert page.evaluate("document.documentElement.lang") == "fr", path
        seen[path] = {
            "navigation": _texts(page, "header a, header summary, header button, header label, footer a, "
                                       "footer h2, nav a"),
            "buttons": _texts(page, "main button, main input[type=submit], main a.button"),
        }
    assert page.js_errors == []
    return seen


def _english_in(seen: dict[str, dict[str, list[str]]], part: str) -> list[str]:
    english = _english_labels()
    return [f"{path}: {text!r}" for path, parts in seen.items() for text in parts[part] if text in english]


def test_a_journey_through_ten_pages_in_french_meets_no_english_navigation_or_button(new_page):
    seen = _journey_in_french(new_page)
    assert all(parts["navigation"] for parts in seen.values())
    assert sum(len(parts["buttons"]) for parts in seen.values()) > 10
    assert _english_in(seen, "navigation") == []
    assert _english_in(seen, "buttons") == []


def test_a_member_switches_to_arabic_through_the_menu_and_the_layout_mirrors(browser, live_server):
    factories.UserFactory(email="amina@example.org", full_name="Amina Haddad", language="en")
    # Without JavaScript: the menu is a disclosure and a form, nothing more.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": WIDTH, "height": HEIGHT},
                                  java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, "amina@example.org", factories.PASSWORD)
        page.goto("/me/")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["en", "ltr"]
        home_link = page.locator(".site-nav .nav-links a").first
        assert home_link.bounding_box()["x"] < WIDTH / 2

        # The menu is a disclosure of buttons, each language named in itself.
        page.locator(".language-menu summary").click()
        page.get_by_role("button", name="العربية").click()
        page.wait_for_url("**/me/")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        assert User.objects.get(email="amina@example.org").language == "ar"

        # Mirrored: the brand and the navigation start at the right edge, the account links at the left.
        brand = page.locator(".site-header .brand").bounding_box()
        home_link = page.locator(".site-nav .nav-links a").first.bounding_box()
        account = page.locator(".nav-account").bounding_box()
        assert brand["x"] + brand["width"] > WIDTH * 0.8
        assert home_link["x"] > WIDTH / 2
        assert account["x"] < WIDTH / 2
        assert page.locator(".site-nav .nav-links a").first.inner_text() == "الرئيسية"

        SHOTS.mkdir(parents=True, exist_ok=True)
        for name, path in ARABIC_SHOTS.items():
            page.goto(path)
            assert page.evaluate("document.documentElement.dir") == "rtl", path
            # Nothing pushes the page sideways: what mirrored still fits.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            page.screenshot(path=str(SHOTS / f"ar-{name}.png"), full_page=True)
        print(f"Arabic screenshots: {SHOTS}/ar-*.png")
        assert errors == []
    finally:
        context.close()
