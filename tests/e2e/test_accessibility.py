"""WCAG 2.2 AA: axe-core finds no serious or critical violation on any page type, in English and in Arabic.

axe-core comes bundled with axe-playwright-python (nothing is downloaded when the test runs). The demo network
is loaded once; in each language a moderator of it, who also has a conversation and an open report to see, visits
the member pages, after the sign-up and log-in pages have been checked as a visitor. The Django admin is
excluded (it is Django's own, not ours).
"""

from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from chat import services as chat
from directory.models import Practice, Resource
from events import services as events
from events.models import Event, RegistrationQuestion
from forums.models import Post, Topic
from moderation import services as moderation
from tests.events.factories import organiser_for

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "crossroads-demo"
MODERATOR = "moderator@demo.crossroads.example"
# WCAG 2.0/2.1/2.2 A and AA rules, plus axe's best practices (landmarks, one main, headings in order...).
AXE_OPTIONS = {"resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]}}
BLOCKING = ("serious", "critical")
# Kept in test-results/screenshots/ (git-ignored) for a reviewer to compare the two languages.
SCREENSHOTS = ("directory with facets", "registration", "conversation", "moderation queue")
SHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"


def _demo_network() -> dict[str, str]:
    """Load the demo network, add what it lacks (a conversation, an open report, an event asking a question)
    and return the address of each page type."""
    import_module("core.migrations.0005_initial_pages").create_pages(django_apps, None)
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    moderator = User.objects.get(email=MODERATOR)
    official = User.objects.get(email="official@demo.crossroads.example")
    conversation = chat.open_direct_conversation(user=moderator, other=official)
    chat.send_message(sender=official, conversation=conversation, body="Could you look at the housing thread?")
    chat.send_message(sender=moderator, conversation=conversation, body="Yes, I will look at it today.")
    topic = Topic.objects.filter(category__visibility="public").order_by("pk").first()
    post = Post.objects.filter(topic=topic).order_by("pk").first()
    moderation.file_report(reporter=official, target=post, reason="It advertises a paid service.")

    organisation = official.memberships.filter(status="active").first().organisation
    organiser = organiser_for(organisation, full_name="Olga Organiser")
    starts = (timezone.now() + timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
    event = events.create_event(
        actor=organiser, organisations=[organisation], kind=Event.Kind.WEBINAR, format=Event.Format.ONLINE,
        title="Housing first for newcomers", starts_at=starts, ends_at=starts + timedelta(hours=1),
        timezone_name="Europe/Vienna", capacity=40, join_url="https://meet.example.org/housing")
    events.add_question(actor=organiser, event=event, kind=RegistrationQuestion.Kind.SHORT_TEXT,
                        label="Your city", required=True)
    events.publish_event(actor=organiser, event=event)

    practice = Practice.objects.filter(status="published").order_by("pk").first()
    resource = Resource.objects.order_by("pk").first()
    public_event = Event.objects.filter(status="published", visibility="public").order_by("starts_at").first()
    return {
        "home": "/",
        "directory with facets": f"/directory/?country={organisation.country}",
        "practices": "/practices/",
        "practice": practice.get_absolute_url(),
        "resource": resource.get_absolute_url(),
        "search": "/search/?q=housing",
        "events list": "/events/",
        "events calendar": "/events/calendar/",
        "event": public_event.get_absolute_url(),
        "registration": f"{event.get_absolute_url()}register/",
        "forums index": "/forums/",
        "topic": topic.get_absolute_url(),
        "moderation queue": "/moderation/",
        "inbox": "/messages/",
        "conversation": conversation.get_absolute_url(),
        "dashboard": "/me/",
        "profile": f"/people/{official.pk}/",
        "profile form": "/me/profile/",
        "organisation": organisation.get_absolute_url(),
    }


def _violations(page, axe: Axe, name: str) -> list[str]:
    results = axe.run(page, options=AXE_OPTIONS).response
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            found.append(f"{name} ({page.url}): {violation['impact']} {violation['id']} at "
                         f"{' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return found


def test_every_page_type_has_no_serious_or_critical_axe_violation_in_english_and_arabic(browser, live_server):
    pages = _demo_network()
    axe = Axe()
    SHOTS.mkdir(parents=True, exist_ok=True)
    found: list[str] = []
    for language in ("en", "ar"):
        User.objects.filter(email=MODERATOR).update(language=language)
        context = browser.new_context(base_url=live_server.url, locale=language, timezone_id="Europe/Vienna",
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            for name, path in (("sign-up", "/accounts/signup/"), ("log-in", "/accounts/login/")):
                page.goto(path)
                found += _violations(page, axe, f"{name} [{language}]")
            page.locator("input[name=login]").fill(MODERATOR)
            page.locator("input[name=password]").fill(DEMO_PASSWORD)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_url("**/me/")
            for name, path in pages.items():
                response = page.goto(path)
                assert response.status == 200, f"{name}: {path} answered {response.status}"
                assert page.evaluate("document.documentElement.lang") == language, name
                found += _violations(page, axe, f"{name} [{language}]")
                if name in SCREENSHOTS:
                    page.screenshot(path=str(SHOTS / f"a11y-{language}-{name.replace(' ', '-')}.png"))
        finally:
            context.close()
    assert not found, "\n".join(found)
