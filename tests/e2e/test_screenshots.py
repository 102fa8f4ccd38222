"""Journey: the ten main pages on a desktop and a phone, as a visitor and as a member of the demo network.

Each page is kept as a screenshot in test-results/screenshots/ (git-ignored) for a reviewer to look at, and
must load with no console error, no failed request and no 4xx or 5xx answer. The live test server speaks
HTTP only, so the chat client's WebSocket (which needs the ASGI server) is the one console error allowed.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from directory.models import Practice
from events.models import Event
from forums.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def _pages() -> list[tuple[str, str, bool]]:
    """(name, path, as a member) for the ten main pages."""
    practice = Practice.objects.filter(status="published").order_by("pk").first()
    event = Event.objects.filter(status="published", visibility="public").order_by("starts_at").first()
    topic = Topic.objects.filter(category__visibility="public").order_by("pk").first()
    organisation = practice.organisation
    return [
        ("01-home", "/", False),
        ("02-directory-map", "/directory/?map=1", False),
        ("03-practices", "/practices/", False),
        ("04-practice", practice.get_absolute_url(), False),
        ("05-events", "/events/", False),
        ("06-event", event.get_absolute_url(), False),
        ("07-forums", "/forums/", False),
        ("08-topic", topic.get_absolute_url(), False),
        ("09-organisation", organisation.get_absolute_url(), True),
        ("10-dashboard", "/me/", True),
        ("11-practice-form", "/practices/new/", True),
        ("12-about", "/about/", False),
    ]


def _watch(page, problems: list[str]) -> None:
    page.on("console", lambda m: m.type == "error" and "WebSocket" not in m.text and problems.append(
        f"console: {m.text}"))
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("requestfailed", lambda r: "/ws/" not in r.url and problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))


def test_the_main_pages_look_finished_on_desktop_and_phone(browser, live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = _pages()
    problems: list[str] = []
    for width_name, (width, height) in WIDTHS.items():
        for member in (False, True):
            context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height},
                                          locale="en-GB", timezone_id="Europe/Vienna")
            context.set_default_timeout(15_000)
            page = context.new_page()
            _watch(page, problems)
            if member:
                page.goto("/accounts/login/")
                page.get_by_label("Email").fill("official@demo.crossroads.example")
                page.get_by_label("Password").fill("crossroads-demo")
                page.get_by_role("button", name="Sign In").click()
                page.wait_for_url("**/me/")
            for name, path, needs_member in pages:
                if needs_member != member:
                    continue
                page.goto(path)
                page.wait_for_load_state("load")
                # Every page wears the finish: the logo, the header search, the footer's pages.
                assert page.locator("header .brand img").count() == 1, path
                assert page.get_by_role("search").count() >= 1, path
                assert page.locator("footer a[href='/privacy/']").count() == 1, path
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {width}px"
                page.screenshot(path=str(SHOTS / f"{name}-{width_name}.png"), full_page=True)
            context.close()
    assert problems == []
    assert len(list(SHOTS.glob("*.png"))) >= 20


def test_the_world_map_is_used_with_the_keyboard_alone(page):
    from tests import factories

    for country in ("AT", "AT", "FR"):
        factories.OrganisationFactory(country=country)
    page.goto("/directory/?map=1")
    for _ in range(200):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.closest('svg') ? "
                              "document.activeElement.getAttribute('aria-label') : null")
        if label:
            break
    assert label in ("Austria: 2 organisations", "France: 1 organisation")
    page.keyboard.press("Enter")
    page.wait_for_url("**country=**")
    assert page.locator("[data-testid=organisations] .list-title").count() in (1, 2)
    # the table alternative holds the same counts
    page.get_by_text("The same counts as a table").click()
    assert page.get_by_role("cell", name="Austria").is_visible()
    assert page.js_errors == []
