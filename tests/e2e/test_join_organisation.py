"""Journey: a newcomer signs up, verifies their e-mail, asks to join an organisation, the admin approves."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_newcomer_signs_up_joins_an_organisation_and_sees_it_on_their_profile(new_page):
    organisation = factories.OrganisationFactory(name="Welcome Bridges e.V.", slug="welcome-bridges")
    admin = factories.UserFactory(email="ada@example.org", full_name="Ada Admin")
    factories.MembershipFactory(user=admin, organisation=organisation, role="admin")

    newcomer = new_page(timezone_id="America/Toronto")
    newcomer.goto("/accounts/signup/")
    newcomer.get_by_label("Email").fill("nadia@example.org")
    newcomer.get_by_label("Full name").fill("Nadia Karimi")
    newcomer.get_by_label("Password:", exact=True).fill("a-long-pass-phrase-42")
    newcomer.get_by_label("Password (again)").fill("a-long-pass-phrase-42")
    newcomer.get_by_role("button", name="Sign Up").click()
    newcomer.get_by_text("Verify Your Email Address").first.wait_for()
    # The time zone was not touched: the sign-up page pre-selected the browser's own.
    assert User.objects.get(email="nadia@example.org").timezone == "America/Toronto"

    # Follow the link in the verification mail, as the newcomer would from their inbox.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    newcomer.goto(link.replace("http://testserver", ""))
    newcomer.get_by_role("button", name="Confirm").click()
    newcomer.wait_for_url("**/me/")

    newcomer.goto("/organisations/welcome-bridges/")
    newcomer.get_by_label("Message").fill("I run the Tuesday job café.")
    newcomer.get_by_role("button", name="Ask to join").click()
    newcomer.get_by_text("awaiting approval").wait_for()

    admin_page = new_page()
    log_in(admin_page, "ada@example.org", factories.PASSWORD)
    admin_page.goto("/notifications/")
    admin_page.get_by_role("button", name="Nadia Karimi asks to join Welcome Bridges e.V.").click()
    admin_page.get_by_text("I run the Tuesday job café.").wait_for()
    admin_page.get_by_role("button", name="Approve Nadia Karimi").click()
    admin_page.get_by_text("Nadia Karimi is now a member.").wait_for()

    newcomer.goto("/me/")
    newcomer.get_by_role("link", name="My public profile").click()
    profile_orgs = newcomer.get_by_test_id("profile-organisations")
    profile_orgs.get_by_role("link", name="Welcome Bridges e.V.").wait_for()
    assert newcomer.js_errors == []
    assert admin_page.js_errors == []
