"""Journey: a member submits a practice, a moderator returns it with a reason, the member revises, the moderator
publishes it, and a visitor finds it by a facet and by full-text search."""

import re

import pytest

from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_practice_goes_from_submission_through_review_to_being_found_by_a_visitor(new_page):
    organisation = factories.OrganisationFactory(name="Gemeente Utrecht", slug="gemeente-utrecht", country="NL")
    author = factories.UserFactory(email="tess@example.org", full_name="Tess de Vries")
    factories.MembershipFactory(user=author, organisation=organisation)
    factories.ModeratorFactory(email="mo@example.org", full_name="Mo Moderator")

    member = new_page()
    log_in(member, "tess@example.org", factories.PASSWORD)
    member.goto("/practices/new/")
    member.get_by_label("Lead organisation:").select_option(label="Gemeente Utrecht")
    member.get_by_label("Title:", exact=True).fill("Co-housing for young refugees and students")
    member.get_by_label("Summary:").fill("Young refugees and Dutch students share flats and a weekly language "
                                        "evening in Overvecht.")
    member.get_by_label("Start year:").fill("2019")
    member.get_by_label("Country:").select_option("NL")
    member.get_by_label("City:").fill("Utrecht")
    member.get_by_label("Youth", exact=True).check()
    member.get_by_label("Housing", exact=True).check()
    member.get_by_role("button", name="Submit for review").click()
    member.get_by_text("Your practice is submitted for review.").wait_for()

    moderator = new_page()
    log_in(moderator, "mo@example.org", factories.PASSWORD)
    moderator.goto("/practices/review/")
    moderator.get_by_role("link", name="Co-housing for young refugees and students").click()
    moderator.get_by_label("Reason:").fill("Please describe the results: how many found work or training?")
    moderator.get_by_role("button", name="Return to the author").click()
    moderator.get_by_text("is returned to its author").wait_for()

    member.goto("/notifications/")
    member.get_by_role("button", name="Your practice “Co-housing for young refugees and students” was returned "
                                       "to you").click()
    member.get_by_text("how many found work or training?").first.wait_for()
    member.get_by_role("link", name="Edit").click()
    member.get_by_label("Results:").fill("Of 38 residents, 29 found work or training within 18 months.")
    member.get_by_role("button", name="Save and submit for review").click()
    member.get_by_text("Your practice is submitted for review.").wait_for()

    moderator.goto("/practices/review/")
    moderator.get_by_role("link", name="Co-housing for young refugees and students").click()
    moderator.get_by_role("button", name="Publish").click()
    moderator.get_by_text("is published").wait_for()

    visitor = new_page()
    visitor.goto("/practices/")
    visitor.get_by_role("group", name="Target group").get_by_label("Youth").check()
    visitor.wait_for_url("**/practices/?*target=youth*")
    visitor.get_by_test_id("practices").get_by_role("link", name="Co-housing for young refugees and students"
                                                    ).wait_for()
    visitor.get_by_placeholder("Search practices").fill("students training")
    visitor.get_by_role("button", name="Search", exact=True).click()
    # The list refreshes in place (htmx), which writes the space as %20 where a plain form post writes +.
    visitor.wait_for_url(re.compile(r"q=students(\+|%20)training"))
    visitor.get_by_test_id("practices").get_by_role("link", name="Co-housing for young refugees and students").click()
    visitor.get_by_text("29 found work or training").wait_for()

    visitor.goto("/search/?q=co-housing")
    visitor.get_by_test_id("search-practices").get_by_role("link", name="Co-housing for young refugees and students"
                                                           ).wait_for()
    for page in (member, moderator, visitor):
        assert page.js_errors == []
