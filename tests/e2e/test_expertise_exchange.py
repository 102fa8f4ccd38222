"""Journey: a city posts a request for support, sees suggested peers with reasons, a peer offers help, the city
accepts, and both land in the group conversation."""

import os

import pytest

from core.models import Topic
from tests import factories
from tests.directory.factories import make_practice
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("EXPERTISE_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    """Screenshots for looking at the pages, when EXPERTISE_SCREENSHOTS names a folder."""
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_city_asks_for_support_a_suggested_peer_offers_and_both_meet_in_the_conversation(new_page):
    city = factories.OrganisationFactory(name="Comune di Milano", kind="municipality", country="IT", city="Milan")
    official = factories.UserFactory(email="sofia@example.org", full_name="Sofia Marino")
    factories.MembershipFactory(user=official, organisation=city)
    peer = factories.OrganisationFactory(name="Refugee Housing Alliance", country="NL", city="Amsterdam")
    helper = factories.UserFactory(email="joost@example.org", full_name="Joost Bakker")
    factories.MembershipFactory(user=helper, organisation=peer, role="admin")
    make_practice(author=helper, organisation=peer, status="published", topics=("housing",), level="local",
                  title="Shared flats for refugees and students")
    assert Topic.objects.filter(slug="housing").exists()

    city_page = new_page()
    log_in(city_page, "sofia@example.org", factories.PASSWORD)
    city_page.goto("/expertise/new/")
    city_page.get_by_label("On behalf of:").select_option(label="Comune di Milano")
    city_page.get_by_label("Title:").fill("Study visit on housing for refugees")
    city_page.get_by_label("Kind of support:").select_option(label="Study visit")
    city_page.get_by_label("What is needed:").fill("We would like to **visit** a supported housing programme.")
    city_page.get_by_label("Country:").select_option("IT")
    city_page.get_by_label("City:").fill("Milan")
    city_page.get_by_label("Languages of work:").select_option(["it", "en"])
    city_page.get_by_label("Housing", exact=True).check()
    _shot(city_page, "request-form")
    city_page.get_by_role("button", name="Publish").click()
    city_page.get_by_text("Your request is published").wait_for()
    suggestions = city_page.get_by_test_id("suggestions")
    suggestions.get_by_role("link", name="Refugee Housing Alliance").wait_for()
    suggestions.get_by_text("1 published practice in Housing at local level").wait_for()
    _shot(city_page, "request-open")
    city_page.get_by_role("button", name="Invite Refugee Housing Alliance").click()
    city_page.get_by_text("is invited to respond").wait_for()

    peer_page = new_page()
    log_in(peer_page, "joost@example.org", factories.PASSWORD)
    peer_page.goto("/notifications/")
    peer_page.get_by_text("Comune di Milano invites you to help: Study visit on housing for refugees").first.click()
    offer_form = peer_page.get_by_test_id("offer-form")
    offer_form.get_by_label("On behalf of:").select_option(label="Refugee Housing Alliance")
    offer_form.get_by_label("What you propose:").fill("Two days in Amsterdam: shared flats and our tenancy coaches.")
    offer_form.get_by_label("When:").fill("Two days in April")
    offer_form.get_by_label("In which language:").select_option("en")
    offer_form.get_by_role("button", name="Send the offer").click()
    peer_page.get_by_text("Your offer is sent.").wait_for()

    city_page.reload()
    offers = city_page.get_by_test_id("offers")
    offers.get_by_text("Two days in Amsterdam").wait_for()
    _shot(city_page, "request-with-offer")
    city_page.set_viewport_size({"width": 390, "height": 844})
    _shot(city_page, "request-with-offer-phone")
    city_page.set_viewport_size({"width": 1280, "height": 900})
    offers.get_by_role("button", name="Accept").click()
    city_page.wait_for_url("**/messages/**")
    city_page.get_by_role("heading", name="Study visit on housing for refugees").wait_for()
    _shot(city_page, "conversation")

    peer_page.goto("/notifications/")
    peer_page.get_by_text("Comune di Milano accepted your offer").first.click()
    peer_page.wait_for_url("**/messages/**")
    peer_page.get_by_role("heading", name="Study visit on housing for refugees").wait_for()

    city_page.goto("/expertise/study-visit-on-housing-for-refugees/")
    city_page.get_by_test_id("request-status").get_by_text("Matched").wait_for()
    city_page.get_by_test_id("history").get_by_text("Accepted the offer of Refugee Housing Alliance").wait_for()
    assert city_page.js_errors == [] and peer_page.js_errors == []
